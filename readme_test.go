package conversations_test

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
	"sync"
	"testing"
)

// readmePrelude declares what README snippets use without declaring: the
// variables a reader has in scope and the user types the testing section
// builds on. A name a snippet declares itself is left out of its prelude.
var readmePrelude = map[string]string{
	"ctx":                    "var ctx context.Context",
	"c":                      "var c *conversations.Client",
	"client":                 "var client *conversations.Client",
	"srv":                    "var srv *conversationstest.Server",
	"t":                      "var t *testing.T",
	"r":                      "var r *http.Request",
	"sid":                    "var sid string",
	"token":                  "var token string",
	"authToken":              "var authToken string",
	"apiKeySecret":           "var apiKeySecret string",
	"convSID":                "var convSID string",
	"sig":                    "var sig string",
	"urlWithBodySHA256":      "var urlWithBodySHA256 string",
	"rawBody":                "var rawBody []byte",
	"file":                   "var file *os.File",
	"params":                 "var params *conversations.MessageCreateParams",
	"myOnMessage":            "func myOnMessage(*http.Request, *webhook.MessageEvent) webhook.Response { return webhook.Allow() }",
	"Notifier":               "type Notifier struct{ Conversations conversations.ConversationsAPI; Messages conversations.MessagesAPI; Author string }",
	"TicketUpdated":          "func (n *Notifier) TicketUpdated(ctx context.Context, id, status string) (*conversations.Message, error) { return nil, nil }",
	"existingConversation":   "type existingConversation struct{ conversations.ConversationsAPI }",
	"conv":                   "var conv *conversations.Conversation",
	"accountSID":             "var accountSID string",
	"apiKeySID":              "var apiKeySID string",
	"user":                   "var user struct{ Email string }",
	"deviceID":               "var deviceID string",
	"conversationServiceSID": "var conversationServiceSID string",
	"fcmCredentialSID":       "var fcmCredentialSID string",
	"isSpam":                 "func isSpam(string) bool { return false }",
	"redact":                 "func redact(s string) string { return s }",
	"memoryStoreID":          "var memoryStoreID string",
	"convID":                 "var convID string",
}

var readmeImports = []string{
	"context", "errors", "fmt", "io", "log", "log/slog", "net/http", "net/http/httptest", "os", "strings", "testing", "time",
	"github.com/conversations-go/conversations",
	"github.com/conversations-go/conversations/accesstoken",
	"github.com/conversations-go/conversations/conversationstest",
	"github.com/conversations-go/conversations/webhook",
}

// TestREADMESnippetsCompile type-checks every Go block of README.md and of
// the reference pages it links (docs/*.md) against the SDK as it is: a
// renamed or removed identifier in the front door or the docs fails here.
// Statements are checked inside a function; unused variables and imports
// are the only errors forgiven (snippets show calls, not programs).
func TestREADMESnippetsCompile(t *testing.T) {
	docs, err := filepath.Glob(filepath.Join("docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	// The file is named in this directory, so that imports resolve through
	// this module's go.mod.
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(wd, "readme_snippet.go")
	imp := readmeImporter()
	for _, file := range append([]string{"README.md"}, docs...) {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(b), -1)
		if file == "README.md" && len(blocks) < 10 {
			t.Fatalf("found %d Go blocks in README.md", len(blocks))
		}
		for i, m := range blocks {
			src := readmeSource(m[1])
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, name, src, 0)
			if err != nil {
				t.Errorf("%s Go block %d does not parse: %v\n%s", file, i+1, err, src)
				continue
			}
			var errs []string
			conf := types.Config{Importer: imp, Error: func(err error) {
				msg := err.Error()
				if strings.Contains(msg, "declared and not used") || strings.Contains(msg, "imported and not used") {
					return
				}
				errs = append(errs, msg)
			}}
			_, _ = conf.Check("readme", fset, []*ast.File{f}, nil)
			if len(errs) > 0 {
				t.Errorf("%s Go block %d (starting %q) does not compile:\n  %s", file, i+1, firstLine(m[1]), strings.Join(errs, "\n  "))
			}
		}
	}
}

// readmeImporter is the one source importer of the README tests, so the
// package and its imports are type-checked once per test binary.
var readmeImporter = sync.OnceValue(func() types.Importer {
	return importer.ForCompiler(token.NewFileSet(), "source", nil)
})

func firstLine(s string) string { l, _, _ := strings.Cut(strings.TrimSpace(s), "\n"); return l }

// readmeSource turns a README block into a Go file: a whole file stays as
// it is (with a package clause added when it has none); otherwise top-level
// declarations stay at file level and statements go into a function.
func readmeSource(block string) string {
	block = regexp.MustCompile(`(?m)^\s*\.\.\.\s*$`).ReplaceAllString(block, "")
	if strings.HasPrefix(strings.TrimSpace(block), "package ") {
		return block
	}
	var decls, stmts []string
	lines := strings.Split(block, "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.HasPrefix(l, "import ") || strings.HasPrefix(l, "func ") || strings.HasPrefix(l, "type ") {
			decl := []string{l}
			if strings.HasSuffix(strings.TrimSpace(l), "{") || strings.HasSuffix(strings.TrimSpace(l), "(") || strings.HasSuffix(strings.TrimSpace(l), ",") {
				for i++; i < len(lines); i++ {
					decl = append(decl, lines[i])
					if lines[i] == "}" || lines[i] == ")" {
						break
					}
				}
			}
			decls = append(decls, strings.Join(decl, "\n"))
			continue
		}
		stmts = append(stmts, l)
	}
	declared := map[string]bool{}
	for _, d := range decls {
		for _, m := range regexp.MustCompile(`(?m)^(?:func (?:\([^)]*\) )?|type )(\w+)`).FindAllStringSubmatch(d, -1) {
			declared[m[1]] = true
		}
	}
	for _, m := range regexp.MustCompile(`(?m)^\s*(\w+)(?:, \w+)* :?= `).FindAllStringSubmatch(strings.Join(stmts, "\n"), -1) {
		declared[m[1]] = true // a snippet's own variable is not predeclared
	}
	var sb strings.Builder
	sb.WriteString("package readme\n\n")
	for _, d := range decls { // the block's own imports first, as Go requires
		if strings.HasPrefix(d, "import ") {
			sb.WriteString(d + "\n")
		}
	}
	for _, p := range readmeImports {
		if !strings.Contains(block, `"`+p+`"`) {
			sb.WriteString("import " + `"` + p + `"` + "\n")
		}
	}
	for name, d := range readmePrelude {
		if !declared[name] {
			sb.WriteString(d + "\n")
		}
	}
	for _, d := range decls {
		if !strings.HasPrefix(d, "import ") {
			sb.WriteString(d + "\n\n")
		}
	}
	if len(strings.TrimSpace(strings.Join(stmts, ""))) > 0 {
		sb.WriteString("func _() error {\n" + strings.Join(stmts, "\n") + "\nreturn nil\n}\n")
	}
	return sb.String()
}

// TestREADMENamesEveryServiceInterface holds the README's list of service
// interfaces ("Depend on the interfaces") to the package: every `...API`
// name the README mentions is an exported interface of the package, and
// every exported `...API` interface of the package is mentioned.
func TestREADMENamesEveryServiceInterface(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := readmeImporter().Import("github.com/conversations-go/conversations")
	if err != nil {
		t.Fatal(err)
	}
	inPackage := map[string]bool{}
	for _, name := range pkg.Scope().Names() {
		obj := pkg.Scope().Lookup(name)
		if _, ok := obj.Type().Underlying().(*types.Interface); ok && obj.Exported() && strings.HasSuffix(name, "API") {
			if _, isType := obj.(*types.TypeName); isType {
				inPackage[name] = true
			}
		}
	}
	if len(inPackage) < 15 {
		t.Fatalf("found %d service interfaces in the package", len(inPackage))
	}
	inREADME := map[string]bool{}
	for _, m := range regexp.MustCompile("`(?:conversations\\.)?([A-Z][A-Za-z]*API)`").FindAllStringSubmatch(string(b), -1) {
		inREADME[m[1]] = true
	}
	for name := range inREADME {
		if !inPackage[name] {
			t.Errorf("README.md names %s, which is not an exported interface of the package", name)
		}
	}
	for name := range inPackage {
		if !inREADME[name] {
			t.Errorf("README.md does not name the service interface %s", name)
		}
	}
}
