package orchestrator

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

func parsePackage(t *testing.T) (*token.FileSet, []*ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return fset, files
}

// TestOperationLines: the "// Operation: Id (METHOD /path)" lines of the
// package name exactly the 22 operations of the v2 spec, with their
// methods and path templates.
func TestOperationLines(t *testing.T) {
	doc := loadSpec(t)
	want := map[string]string{}
	for path, item := range doc["paths"].(map[string]any) {
		for method, o := range item.(map[string]any) {
			if op, ok := o.(map[string]any); ok && op["operationId"] != nil {
				want[op["operationId"].(string)] = strings.ToUpper(method) + " " + path
			}
		}
	}
	_, files := parsePackage(t)
	re := regexp.MustCompile(`^// Operation: (\w+) \((GET|POST|PUT|PATCH|DELETE) (/v2/\S+)\)$`)
	got := map[string]string{}
	for _, f := range files {
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				if !strings.HasPrefix(c.Text, "// Operation:") {
					continue
				}
				m := re.FindStringSubmatch(c.Text)
				if m == nil {
					t.Errorf("malformed operation line %q", c.Text)
					continue
				}
				if w, ok := want[m[1]]; !ok || w != m[2]+" "+m[3] {
					t.Errorf("%q: the spec has %q", c.Text, w)
				}
				got[m[1]] = m[2] + " " + m[3]
			}
		}
	}
	var missing []string
	for id := range want {
		if _, ok := got[id]; !ok {
			missing = append(missing, id)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 || len(want) != 22 {
		t.Errorf("operations without a method: %v (spec: %d operations)", missing, len(want))
	}
}

// TestExportedIdentifiersDocumented: every exported type, function,
// method, constant, variable and struct field has a doc comment (a
// constant or variable may share its group's).
func TestExportedIdentifiersDocumented(t *testing.T) {
	fset, files := parsePackage(t)
	report := func(pos token.Pos, name string) { t.Errorf("%s: %s has no doc comment", fset.Position(pos), name) }
	for _, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Name.IsExported() && d.Doc == nil {
					report(d.Pos(), d.Name.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if !s.Name.IsExported() {
							continue
						}
						if s.Doc == nil && d.Doc == nil {
							report(s.Pos(), s.Name.Name)
						}
						if st, ok := s.Type.(*ast.StructType); ok {
							for _, fld := range st.Fields.List {
								for _, n := range fld.Names {
									if n.IsExported() && fld.Doc == nil {
										report(n.Pos(), s.Name.Name+"."+n.Name)
									}
								}
							}
						}
						if it, ok := s.Type.(*ast.InterfaceType); ok {
							_ = it // interface methods are documented on the service's methods
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() && s.Doc == nil && d.Doc == nil {
								report(n.Pos(), n.Name)
							}
						}
					}
				}
			}
		}
	}
}
