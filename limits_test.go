package conversations

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLimitKeysCoverEveryWrite: every v1 write of the resource files (a
// create, update or delete with its path template) is in writeLimits, and
// writeLimits holds nothing else.
func TestLimitKeysCoverEveryWrite(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	write := regexp.MustCompile(`one\[[A-Za-z]+\]\(ctx, r\.s, (kindCreate|kindUpdate|kindDelete), "([^"]+)"`)
	del := regexp.MustCompile(`remove\(ctx, r\.s, "([^"]+)"`)
	kinds := map[string]kind{"kindCreate": kindCreate, "kindUpdate": kindUpdate, "kindDelete": kindDelete}
	found := map[limitOp]bool{}
	for _, f := range files {
		if filepath.Ext(f) != ".go" || len(f) > 8 && f[len(f)-8:] == "_test.go" {
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range write.FindAllStringSubmatch(string(b), -1) {
			found[limitOp{kinds[m[1]], m[2]}] = true
		}
		for _, m := range del.FindAllStringSubmatch(string(b), -1) {
			found[limitOp{kindDelete, m[1]}] = true
		}
	}
	require.Len(t, found, 33, "the v1 writes")
	for op := range found {
		_, ok := writeLimits[op]
		assert.True(t, ok, "write %v has no limit rule", op)
	}
	for op := range writeLimits {
		assert.True(t, found[op], "rule for %v, which is not a write", op)
	}
}

// keyLimiter records the keys it is asked for.
type keyLimiter struct {
	mu   sync.Mutex
	keys []string
}

func (l *keyLimiter) Wait(ctx context.Context, key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.keys = append(l.keys, key)
	return nil
}

func (l *keyLimiter) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := l.keys
	l.keys = nil
	return k
}

// TestLimitKeysOnTheWire: each kind of write waits under its key before it
// is sent, in both scopes; reads and account-level writes do not wait.
func TestLimitKeysOnTheWire(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.Method == http.MethodDelete {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		faultJSON(w, 200, faultConversationJSON(faultSID))
	})
	l := &keyLimiter{}
	c, _ := faultClient(t, srv.URL, WithLimiter(l))
	ctx := context.Background()
	const svc = "IS00000000000000000000000000000001"
	s := c.Service(svc)
	for _, tc := range []struct {
		name string
		call func() error
		keys []string
	}{
		{"message create", func() error {
			_, err := c.Messages.Create(ctx, "CH1", &MessageCreateParams{Body: Ptr("hi")})
			return err
		}, []string{"conversation:CH1"}},
		{"conversation update by unique name", func() error {
			_, err := s.Conversations.Update(ctx, "my-room", &ConversationUpdateParams{})
			return err
		}, []string{"conversation:my-room"}},
		{"participant delete", func() error { return c.Participants.Delete(ctx, "CH2", "MB1") }, []string{"conversation:CH2"}},
		{"conversation create", func() error {
			_, err := c.Conversations.Create(ctx, &ConversationCreateParams{})
			return err
		}, []string{"service:default"}},
		{"conversation create in a service", func() error {
			_, err := s.Conversations.Create(ctx, &ConversationCreateParams{})
			return err
		}, []string{"service:" + svc}},
		{"conversation delete", func() error { return s.Conversations.Delete(ctx, "CH1") }, []string{"service:" + svc}},
		{"user update", func() error {
			_, err := c.Users.Update(ctx, "US1", &UserUpdateParams{})
			return err
		}, []string{"service:default"}},
		{"service configuration update", func() error {
			_, err := s.Configuration.Update(ctx, &ChatServiceConfigurationUpdateParams{})
			return err
		}, []string{"service:" + svc}},
		{"account configuration update", func() error {
			_, err := c.Configuration.Update(ctx, &ConfigurationUpdateParams{})
			return err
		}, nil},
		{"read", func() error {
			_, err := c.Conversations.Fetch(ctx, "CH1")
			return err
		}, nil},
	} {
		require.NoError(t, tc.call(), tc.name)
		assert.Equal(t, tc.keys, l.take(), tc.name)
	}
}
