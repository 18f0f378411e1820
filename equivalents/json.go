package equivalents

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/strictjson"
	"github.com/valuepath/valuepath/internal/validate"
)

// ParseCatalog reads a catalog from JSON, the form [Catalog.MarshalJSON]
// writes, and validates it with [NewCatalog]. Unknown fields are rejected,
// so a misspelt "sorce" is an error rather than a factor without a source.
// Ratios and amounts may be JSON numbers or strings ("0.000709"); strings
// avoid any float rounding by other tools. A value that does not parse is
// reported with its field path, like every other problem.
//
//	{"units": [{"name": "hour", "time": "1h"}, {"name": "minute", "time": "1m"}],
//	 "factors": [{"from": "hour", "to": "minute", "ratio": "60", "source": "ISO 80000-3:2019"}]}
func ParseCatalog(data []byte) (*Catalog, error) {
	var raw specJSON
	if err := strictjson.Unmarshal(data, &raw); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, &valuepath.FieldError{Pkg: "equivalents", Path: te.Field,
				Err: fmt.Errorf("%w: want a %s, got a JSON %s", valuepath.ErrInvalid, te.Type.Kind(), te.Value)}
		}
		return nil, fmt.Errorf("equivalents: catalog json: %w: %v", valuepath.ErrInvalid, err)
	}
	v := validate.New("equivalents")
	s := raw.spec(v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return NewCatalog(s)
}

// MarshalJSON writes the catalog's CatalogSpec, which [ParseCatalog] reads back
// into an equal catalog. Decimals are written as strings, so no digit of a
// published ratio is lost to a reader's floats.
func (c *Catalog) MarshalJSON() ([]byte, error) { return json.Marshal(c.spec) }

// The JSON form of a CatalogSpec, with the values that can fail to parse kept raw
// so that a failure is reported with its field path.
type specJSON struct {
	Name        string       `json:"name"`
	Units       []unitJSON   `json:"units"`
	Factors     []factorJSON `json:"factors"`
	Equivalents []Equivalent `json:"equivalents"`
	AwardRules  []ruleJSON   `json:"award_rules"`
	Tolerance   float64      `json:"tolerance"`
	Places      int32        `json:"places"`
}

type unitJSON struct {
	Name     Unit            `json:"name"`
	Singular string          `json:"singular"`
	Plural   string          `json:"plural"`
	Time     json.RawMessage `json:"time"`
}

type factorJSON struct {
	From    Unit            `json:"from"`
	To      Unit            `json:"to"`
	Ratio   json.RawMessage `json:"ratio"`
	Source  string          `json:"source"`
	Edition string          `json:"edition"`
	Note    string          `json:"note"`
}

type quantityJSON struct {
	Value json.RawMessage `json:"value"`
	Unit  Unit            `json:"unit"`
}

type ruleJSON struct {
	Name      string          `json:"name"`
	Input     Unit            `json:"input"`
	Every     json.RawMessage `json:"every"`
	Award     *awardJSON      `json:"award"`
	Threshold json.RawMessage `json:"threshold"`
	Floor     *awardJSON      `json:"floor"`
	Cap       *awardJSON      `json:"cap"`
	Source    string          `json:"source"`
}

type awardJSON struct {
	Quantity *quantityJSON   `json:"quantity"`
	Money    json.RawMessage `json:"money"`
}

// award parses an award, reporting values that do not parse at path; absent
// means the zero Award.
func (a *awardJSON) award(v *validate.Collector, path string) Award {
	var out Award
	if a == nil {
		return out
	}
	if a.Quantity != nil {
		out.Quantity = Quantity{Value: rawDecimal(v, validate.Field(path, "quantity.value"), a.Quantity.Value), Unit: a.Quantity.Unit}
	}
	if len(a.Money) > 0 && string(a.Money) != "null" {
		if err := out.Money.UnmarshalJSON(a.Money); err != nil {
			v.Addf(validate.Field(path, "money"), valuepath.ErrInvalid,
				"%s is not money such as {\"amount\": \"1000\", \"currency\": \"USD\"}", truncate(string(a.Money)))
		}
	}
	return out
}

// rawDecimal parses a JSON number or string as a decimal; absent means zero.
func rawDecimal(v *validate.Collector, path string, raw json.RawMessage) decimal.Decimal {
	var d decimal.Decimal
	if len(raw) == 0 || string(raw) == "null" {
		return d
	}
	if len(raw) > maxDecimalLen+2 { // +2: the quotes of a string
		v.Addf(path, valuepath.ErrInvalid, "%s is longer than %d characters", truncate(string(raw)), maxDecimalLen)
		return d
	}
	if err := d.UnmarshalJSON(raw); err != nil {
		v.Addf(path, valuepath.ErrInvalid, "%s is not a decimal number", truncate(string(raw)))
	}
	return d
}

// maxDecimalLen bounds a decimal's text: parsing cost grows faster than it.
const maxDecimalLen = 64

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func (r specJSON) spec(v *validate.Collector) CatalogSpec {
	s := CatalogSpec{Name: r.Name, Equivalents: r.Equivalents, Tolerance: r.Tolerance, Places: r.Places}
	for i, u := range r.Units {
		def := UnitDef{Name: u.Name, Singular: u.Singular, Plural: u.Plural}
		if len(u.Time) > 0 && string(u.Time) != "null" {
			if err := json.Unmarshal(u.Time, &def.Time); err != nil {
				v.Addf(validate.Field(validate.Index("units", i), "time"), valuepath.ErrInvalid,
					"%s is not a duration such as \"1m\" or \"1h\"", truncate(string(u.Time)))
			}
		}
		s.Units = append(s.Units, def)
	}
	for i, f := range r.Factors {
		p := validate.Index("factors", i)
		s.Factors = append(s.Factors, Factor{From: f.From, To: f.To, Ratio: rawDecimal(v, validate.Field(p, "ratio"), f.Ratio),
			Source: f.Source, Edition: f.Edition, Note: f.Note})
	}
	for i, rule := range r.AwardRules {
		p := validate.Index("award_rules", i)
		s.AwardRules = append(s.AwardRules, AwardRule{
			Name: rule.Name, Input: rule.Input, Source: rule.Source,
			Every:     rawDecimal(v, validate.Field(p, "every"), rule.Every),
			Award:     rule.Award.award(v, validate.Field(p, "award")),
			Threshold: rawDecimal(v, validate.Field(p, "threshold"), rule.Threshold),
			Floor:     rule.Floor.award(v, validate.Field(p, "floor")),
			Cap:       rule.Cap.award(v, validate.Field(p, "cap")),
		})
	}
	return s
}
