package main

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunScoresTheShippedCSV runs the example on its CSV and checks what it
// prints: every account scored, blanks counted, the bands ordered by churn
// rate and an AUC well above chance.
func TestRunScoresTheShippedCSV(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, bytes.NewReader(shipped)))
	text := out.String()
	t.Log("\n" + text)
	require.Regexp(t, `^300 accounts as of 2026-10-01, [1-9]\d* blank cells \(missing, not zero\), 300 scored\n`, text)

	band := regexp.MustCompile(`(?m)^(red|yellow|green)\s+(\d+)\s+(\d+)\s+(\d+)%$`)
	rates := map[string]float64{}
	total := 0
	for _, m := range band.FindAllStringSubmatch(text, -1) {
		n, _ := strconv.Atoi(m[2])
		rate, _ := strconv.ParseFloat(m[4], 64)
		total += n
		rates[m[1]] = rate
	}
	require.Len(t, rates, 3, "a line per band")
	assert.Equal(t, 300, total, "every account in a band")
	assert.Greater(t, rates["red"], rates["yellow"])
	assert.Greater(t, rates["yellow"], rates["green"])

	m := regexp.MustCompile(`AUC of the score against churn: (0\.\d{3})\n$`).FindStringSubmatch(text)
	require.NotNil(t, m, "an AUC line")
	auc, _ := strconv.ParseFloat(m[1], 64)
	assert.Greater(t, auc, 0.7, "the scorecard separates churners")
	assert.Less(t, auc, 0.95, "but the data is noisy: a near-perfect AUC would mean a leak")

	var again bytes.Buffer
	require.NoError(t, run(&again, bytes.NewReader(shipped)))
	assert.Equal(t, text, again.String(), "deterministic")
}

func TestRunReportsBadCells(t *testing.T) {
	const header = "customer_id,tenure_months,logins_30d,seat_utilisation,support_cases_90d,nps,churned\n"
	tests := []struct{ name, csv, want string }{
		{"no rows", header, "want a header and at least one row"},
		{"text in a number column", header + "C1,3,12,0.5,1,,No\nC2,3,many,0.5,1,,No\n", `row 3, column logins_30d: strconv.ParseFloat: parsing "many": invalid syntax`},
		{"infinite value", header + "C1,3,12,0.5,1,,No\nC2,3,12,+Inf,1,,Yes\n", `valuepath: columns["seat_utilisation"][1]: not a finite number: +Inf (account "C2")`},
		{"duplicate account", header + "C1,3,12,0.5,1,,No\nC1,3,12,0.5,1,,Yes\n", `valuepath: accounts[1]: duplicate account "C1" (also accounts[0])`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(&bytes.Buffer{}, strings.NewReader(tt.csv))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestBlanksAreMissingNotZero: an account whose usage cells are all blank
// is scored from what it has, not as an account with zero logins.
func TestBlanksAreMissingNotZero(t *testing.T) {
	const header = "customer_id,tenure_months,logins_30d,seat_utilisation,support_cases_90d,nps,churned\n"
	var blank, zero bytes.Buffer
	require.NoError(t, run(&blank, strings.NewReader(header+"C1,3,,,0,,No\nC2,3,300,0.9,0,10,Yes\n")))
	require.NoError(t, run(&zero, strings.NewReader(header+"C1,3,0,0,0,,No\nC2,3,300,0.9,0,10,Yes\n")))
	assert.Contains(t, blank.String(), "3 blank cells")
	assert.Contains(t, zero.String(), "1 blank cells")
	assert.NotEqual(t, blank.String()[strings.Index(blank.String(), "band"):], zero.String()[strings.Index(zero.String(), "band"):], "blank usage does not score as zero usage")
}
