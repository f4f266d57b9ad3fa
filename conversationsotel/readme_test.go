package conversationsotel_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADMEOtelSnippet type-checks the README's "```go otel" blocks
// (section "Metrics and traces") against this module, where OpenTelemetry resolves:
// the root module's README test cannot import a nested module.
func TestREADMEOtelSnippet(t *testing.T) {
	checkREADMEBlocks(t, "otel", `
import "github.com/conversations-go/conversations"
import "github.com/conversations-go/conversations/conversationsotel"
var accountSID, authToken string
`)
}

// checkREADMEBlocks type-checks each README block fenced "```go <tag>",
// its statements inside a function after prelude.
func checkREADMEBlocks(t *testing.T, tag, prelude string) {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```go "+tag+"\n(.*?)```").FindAllStringSubmatch(string(b), -1)
	if len(blocks) == 0 {
		t.Fatalf("README.md has no ```go %s block", tag)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(wd, "readme_snippet.go") // imports resolve through this module's go.mod
	imp := importer.ForCompiler(token.NewFileSet(), "source", nil)
	for i, m := range blocks {
		src := "package readme\n" + prelude + "\nfunc _() {\n" + m[1] + "\n}\n"
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatalf("README block %d does not parse: %v\n%s", i+1, err, src)
		}
		var errs []string
		conf := types.Config{Importer: imp, Error: func(err error) {
			if msg := err.Error(); !strings.Contains(msg, "declared and not used") && !strings.Contains(msg, "imported and not used") {
				errs = append(errs, msg)
			}
		}}
		_, _ = conf.Check("readme", fset, []*ast.File{f}, nil)
		if len(errs) > 0 {
			t.Errorf("README ```go %s block %d does not compile:\n  %s", tag, i+1, strings.Join(errs, "\n  "))
		}
	}
}
