package eventstreams

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
)

// FuzzParseBatch: any body either parses into events that all have an id
// and a type, one per element of a JSON array, or is refused with an error
// wrapping ErrMalformed; it never panics.
func FuzzParseBatch(f *testing.F) {
	if b, err := os.ReadFile("testdata/docs_examples.json"); err == nil {
		f.Add(b)
	}
	for _, s := range []string{``, `[]`, `[{}]`, `{"id":"x"}`, `[{"id":"EZ1","type":"com.twilio.conversations.message.added","data":{"Index":"1","Media":[{"Size":"x"}],"MessagingBinding":7}}]`,
		`[{"id":"EZ1","type":"com.twilio.conversations.user.updated","data":{"IsOnline":"yes","DateCreated":"2025-13-01T00:00:00Z"}}]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := ParseBatch(body)
		if err != nil {
			if !errors.Is(err, ErrMalformed) || events != nil {
				t.Fatalf("error %v (events %v) does not wrap ErrMalformed", err, events)
			}
			return
		}
		var raws []json.RawMessage
		if json.Unmarshal(body, &raws) != nil || len(raws) != len(events) {
			t.Fatalf("%d events from a body that is not an array of %d", len(events), len(raws))
		}
		for _, e := range events {
			if e.Base().ID == "" || e.Base().Type == "" {
				t.Fatalf("event without id or type: %+v", e.Base())
			}
		}
	})
}
