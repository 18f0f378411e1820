package valuepath_test

import (
	"flag"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// The API lock: api/<directory>.txt (api/valuepath.txt for the root,
// api/health_backtest.txt for health/backtest) describes every exported name of each
// package of the library, one per line, in the spirit of Go's own api/*.txt
// (with struct tags, since JSON field names are part of the contract).
// TestAPI fails when the API and the files differ, so that every change to
// the exported API is deliberate: rerun with -update-api, review the diff,
// and say in CHANGES.md what moved.
var updateAPI = flag.Bool("update-api", false, "rewrite api/*.txt from the current exported API")

// apiPackages are the library's packages whose API is locked, by directory.
var apiPackages = []string{".", "effectiveness", "effectiveness/population", "effectiveness/stakeholders", "engagement", "equivalents", "health", "health/backtest", "revenue", "revenue/forecast", "revenue/sbg", "segment", "valuepathtest"}

func TestAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks every package; not in -short")
	}
	imp := importer.ForCompiler(token.NewFileSet(), "source", nil)
	for _, dir := range apiPackages {
		name, lines := describeAPI(t, imp, dir)
		// The file is named after the directory, so that two subpackages
		// with one name (health/backtest, x/backtest) never share a file.
		file := filepath.Join("api", "valuepath.txt")
		if dir != "." {
			file = filepath.Join("api", strings.ReplaceAll(dir, "/", "_")+".txt")
		}
		got := strings.Join(lines, "\n") + "\n"
		if *updateAPI {
			require.NoError(t, os.MkdirAll("api", 0o755))
			require.NoError(t, os.WriteFile(file, []byte(got), 0o644))
			continue
		}
		want, err := os.ReadFile(file)
		require.NoError(t, err, "the API of %s is not locked: run go test -run TestAPI -update-api .", name)
		if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(got, "\n")); diff != "" {
			t.Errorf("the exported API of %s differs from %s (-locked +now); if the change is deliberate, run\n\tgo test -run TestAPI -update-api .\nand record it in CHANGES.md:\n%s", name, file, diff)
		}
	}
}

// describeAPI type-checks the non-test files of dir and describes its
// exported API as sorted lines.
func describeAPI(t *testing.T, imp types.Importer, dir string) (string, []string) {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.SkipObjectResolution)
	require.NoError(t, err)
	require.Len(t, pkgs, 1, "one package in %s", dir)
	var files []*ast.File
	var name string
	for n, p := range pkgs {
		name = n
		for _, f := range p.Files {
			files = append(files, f)
		}
	}
	sort.Slice(files, func(i, j int) bool { return fset.File(files[i].Pos()).Name() < fset.File(files[j].Pos()).Name() })
	path := "github.com/valuepath/valuepath"
	if dir != "." {
		path += "/" + dir
	}
	conf := types.Config{Importer: imp}
	pkg, err := conf.Check(path, fset, files, nil)
	require.NoError(t, err)
	return name, apiLines(pkg)
}

func apiLines(pkg *types.Package) []string {
	q := func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		return p.Name()
	}
	prefix := "pkg " + pkg.Name() + ", "
	var out []string
	add := func(format string, args ...any) { out = append(out, prefix+fmt.Sprintf(format, args...)) }
	scope := pkg.Scope()
	for _, n := range scope.Names() {
		obj := scope.Lookup(n)
		if !obj.Exported() {
			continue
		}
		switch o := obj.(type) {
		case *types.Const:
			add("const %s %s = %s", n, types.TypeString(o.Type(), q), o.Val().ExactString())
		case *types.Var:
			add("var %s %s", n, types.TypeString(o.Type(), q))
		case *types.Func:
			add("func %s%s", n, strings.TrimPrefix(types.TypeString(o.Type(), q), "func"))
		case *types.TypeName:
			out = append(out, typeLines(prefix, o, q)...)
		}
	}
	sort.Strings(out)
	return out
}

func typeLines(prefix string, o *types.TypeName, q types.Qualifier) []string {
	n := o.Name()
	var out []string
	tparams := ""
	if named, ok := o.Type().(*types.Named); ok && named.TypeParams().Len() > 0 {
		var ps []string
		for i := range named.TypeParams().Len() {
			tp := named.TypeParams().At(i)
			ps = append(ps, tp.Obj().Name()+" "+types.TypeString(tp.Constraint(), q))
		}
		tparams = "[" + strings.Join(ps, ", ") + "]"
	}
	under := o.Type().Underlying()
	switch u := under.(type) {
	case *types.Struct:
		out = append(out, fmt.Sprintf("%stype %s%s struct", prefix, n, tparams))
		for i := range u.NumFields() {
			f := u.Field(i)
			if !f.Exported() {
				continue
			}
			line := fmt.Sprintf("%stype %s struct, %s %s", prefix, n, f.Name(), types.TypeString(f.Type(), q))
			if f.Embedded() {
				line = fmt.Sprintf("%stype %s struct, embedded %s", prefix, n, types.TypeString(f.Type(), q))
			}
			if tag := reflect.StructTag(u.Tag(i)).Get("json"); tag != "" {
				line += fmt.Sprintf(" json:%q", tag)
			}
			out = append(out, line)
		}
	case *types.Interface:
		out = append(out, fmt.Sprintf("%stype %s%s interface", prefix, n, tparams))
		for i := range u.NumExplicitMethods() {
			m := u.ExplicitMethod(i)
			if m.Exported() {
				out = append(out, fmt.Sprintf("%stype %s interface, %s%s", prefix, n, m.Name(), strings.TrimPrefix(types.TypeString(m.Type(), q), "func")))
			}
		}
		for i := range u.NumEmbeddeds() {
			out = append(out, fmt.Sprintf("%stype %s interface, embedded %s", prefix, n, types.TypeString(u.EmbeddedType(i), q)))
		}
	default:
		if o.IsAlias() {
			out = append(out, fmt.Sprintf("%stype %s = %s", prefix, n, types.TypeString(o.Type(), q)))
		} else {
			out = append(out, fmt.Sprintf("%stype %s%s %s", prefix, n, tparams, types.TypeString(under, q)))
		}
	}
	if named, ok := o.Type().(*types.Named); ok && !o.IsAlias() {
		for i := range named.NumMethods() {
			m := named.Method(i)
			if !m.Exported() {
				continue
			}
			sig := m.Type().(*types.Signature)
			recv := n
			if _, ptr := sig.Recv().Type().(*types.Pointer); ptr {
				recv = "*" + n
			}
			out = append(out, fmt.Sprintf("%smethod (%s) %s%s", prefix, recv, m.Name(), strings.TrimPrefix(types.TypeString(sig, q), "func")))
		}
	}
	return out
}
