package conversationsotel_test

import (
	"testing"

	"github.com/conversations-go/conversations/internal/readmetest"
)

// TestREADMEOtelSnippet compiles the README's "```go otel" blocks (section
// "Metrics and traces") in this module, where OpenTelemetry resolves.
func TestREADMEOtelSnippet(t *testing.T) {
	readmetest.CompileBlocks(t, "../README.md", "otel", `
import "github.com/conversations-go/conversations"
import "github.com/conversations-go/conversations/conversationsotel"
var accountSID, authToken string
`)
}
