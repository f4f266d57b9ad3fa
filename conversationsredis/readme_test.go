package conversationsredis_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADMEFleetSnippet compiles the README's "```go fleet" blocks (section
// "Running in a fleet") in this module, where Redis resolves: the root module's
// README test cannot import a nested module. Each block becomes the body of
// a function in a throwaway package built with the go command.
func TestREADMEFleetSnippet(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```go fleet\n(.*?)```").FindAllStringSubmatch(string(b), -1)
	if len(blocks) == 0 {
		t.Fatal("README.md has no ```go fleet block")
	}
	dir, err := os.MkdirTemp(".", "readme-snippet-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	var sb strings.Builder
	sb.WriteString("package readme\n" + `
import "context"
import "github.com/redis/go-redis/v9"
import "github.com/conversations-go/conversations"
import "github.com/conversations-go/conversations/conversationsredis"
import "github.com/conversations-go/conversations/eventstreams"
var accountSID, authToken string
func onMessage(context.Context, *eventstreams.MessageEvent) error { return nil }
`)
	for i, m := range blocks {
		sb.WriteString("\nfunc _() { // block " + string(rune('1'+i)) + "\n" + m[1])
		for _, v := range regexp.MustCompile(`(?m)^\s*(\w+(?:, \w+)*) :?= `).FindAllStringSubmatch(m[1], -1) {
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
		t.Fatalf("README ```go fleet blocks do not compile: %v\n%s\n%s", err, out, sb.String())
	}
}
