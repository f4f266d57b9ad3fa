// Package readmetest compiles README.md's fenced Go blocks of one tag
// ("```go otel", "```go fleet") inside a nested module, where that module's
// dependencies resolve: the root module's README test cannot import a
// nested module.
package readmetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// assigned matches the names a statement assigns with = or :=.
var assigned = regexp.MustCompile(`(?m)^\s*(\w+(?:, \w+)*) :?= `)

// CompileBlocks reads readme and builds its "```go <tag>" blocks with the
// go command from a throwaway package in the current directory. Each block
// becomes the body of a function, after header (the package's imports and
// declarations, without the package clause); the names a block assigns are
// used, so an unused variable does not fail the build. It fails t when the
// README has no such block or the blocks do not compile.
func CompileBlocks(t testing.TB, readme, tag, header string) {
	t.Helper()
	b, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```go "+regexp.QuoteMeta(tag)+"\n(.*?)```").FindAllStringSubmatch(string(b), -1)
	if len(blocks) == 0 {
		t.Fatalf("%s has no ```go %s block", readme, tag)
	}
	dir, err := os.MkdirTemp(".", "readme-snippet-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	var sb strings.Builder
	sb.WriteString("package readme\n" + header)
	for i, m := range blocks {
		sb.WriteString("\nfunc _() { // block " + string(rune('1'+i)) + "\n" + m[1])
		for _, v := range assigned.FindAllStringSubmatch(m[1], -1) {
			for _, name := range strings.Split(v[1], ", ") {
				sb.WriteString("\t_ = " + name + "\n")
			}
		}
		sb.WriteString("}\n")
	}
	if err := os.WriteFile(filepath.Join(dir, "readme.go"), []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "build", "-o", os.DevNull, "./"+filepath.Base(dir)).CombinedOutput()
	if err != nil {
		t.Fatalf("README ```go %s blocks do not compile: %v\n%s\n%s", tag, err, out, sb.String())
	}
}
