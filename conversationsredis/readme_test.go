package conversationsredis_test

import (
	"testing"

	"github.com/conversations-go/conversations/internal/readmetest"
)

// TestREADMEFleetSnippet compiles the README's "```go fleet" blocks (section
// "Running in a fleet") in this module, where Redis resolves.
func TestREADMEFleetSnippet(t *testing.T) {
	readmetest.CompileBlocks(t, "../README.md", "fleet", `
import "context"
import "github.com/redis/go-redis/v9"
import "github.com/conversations-go/conversations"
import "github.com/conversations-go/conversations/conversationsredis"
import "github.com/conversations-go/conversations/eventstreams"
var accountSID, authToken string
func onMessage(context.Context, *eventstreams.MessageEvent) error { return nil }
`)
}
