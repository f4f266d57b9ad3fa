package conversations

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchTransport answers every request from memory with a canned body chosen
// by path, so that the SDK and the raw baseline pay the same transport cost.
type benchTransport struct {
	bodies func(req *http.Request) []byte
}

func (t benchTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	status := http.StatusOK
	if req.Method == http.MethodPost {
		status = http.StatusCreated
	}
	return &http.Response{
		StatusCode: status,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(bytes.NewReader(t.bodies(req))),
		Request:    req,
	}, nil
}

// benchListBody builds a list page of n items from the first item of a golden
// list body, with distinct SIDs and the given next_page_url.
func benchListBody(tb testing.TB, goldenName, key string, n int, next string) []byte {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "golden", goldenName+".json"))
	if err != nil {
		tb.Fatal(err)
	}
	var env map[string]json.RawMessage
	if err := json.Unmarshal(raw, &env); err != nil {
		tb.Fatal(err)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(env[key], &items); err != nil || len(items) == 0 {
		tb.Fatalf("golden %s has no %s items", goldenName, key)
	}
	var b bytes.Buffer
	b.WriteString(`{"` + key + `":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(bytes.Replace(items[0], []byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), []byte(fmt.Sprintf("%032x", i)), 1))
	}
	nextJSON := "null"
	if next != "" {
		nextJSON = `"` + next + `"`
	}
	fmt.Fprintf(&b, `],"meta":{"page":0,"page_size":%d,"first_page_url":"https://conversations.twilio.com/v1/x","previous_page_url":null,"url":"https://conversations.twilio.com/v1/x","next_page_url":%s,"key":"%s"}}`, n, nextJSON, key)
	return b.Bytes()
}

func benchClient(b *testing.B, rt http.RoundTripper) (*Client, *http.Client) {
	hc := &http.Client{Transport: rt}
	c, err := NewClient(testAccountSID, testAuthToken, WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	return c, hc
}

// rawGet is the baseline: a hand-written net/http request with the same
// headers, decoded with encoding/json into the same struct.
func rawGet(ctx context.Context, hc *http.Client, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.SetBasicAuth(testAccountSID, testAuthToken)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "raw")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func BenchmarkFetchConversation(b *testing.B) {
	body, err := os.ReadFile(filepath.Join("testdata", "golden", "FetchConversation.json"))
	if err != nil {
		b.Fatal(err)
	}
	rt := benchTransport{bodies: func(*http.Request) []byte { return body }}
	c, hc := benchClient(b, rt)
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Conversations.Fetch(ctx, testConversationSID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out Conversation
			if err := rawGet(ctx, hc, "https://conversations.twilio.com/v1/Conversations/"+testConversationSID, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkListConversations50(b *testing.B) {
	body := benchListBody(b, "ListConversation", "conversations", 50, "")
	rt := benchTransport{bodies: func(*http.Request) []byte { return body }}
	c, hc := benchClient(b, rt)
	ctx := context.Background()
	params := &ConversationListParams{PageSize: Ptr(50)}
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p, err := c.Conversations.List(ctx, params)
			if err != nil || len(p.Items) != 50 {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out struct {
				Conversations []Conversation `json:"conversations"`
				Meta          Meta           `json:"meta"`
			}
			q := url.Values{"PageSize": {"50"}}
			if err := rawGet(ctx, hc, "https://conversations.twilio.com/v1/Conversations?"+q.Encode(), &out); err != nil || len(out.Conversations) != 50 {
				b.Fatal(err)
			}
		}
	})
}

// rawPost is the baseline for creates: url.Values built by hand.
func rawPost(ctx context.Context, hc *http.Client, u string, form url.Values, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.SetBasicAuth(testAccountSID, testAuthToken)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "raw")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}

func BenchmarkCreateConversation(b *testing.B) {
	body, err := os.ReadFile(filepath.Join("testdata", "golden", "CreateConversation_create.json"))
	if err != nil {
		b.Fatal(err)
	}
	rt := benchTransport{bodies: func(*http.Request) []byte { return body }}
	c, hc := benchClient(b, rt)
	ctx := context.Background()
	params := &ConversationCreateParams{
		FriendlyName:   Ptr("Support #1234"),
		UniqueName:     Ptr("support-1234"),
		Attributes:     Ptr(`{"topic":"billing"}`),
		State:          Ptr(ConversationStateActive),
		TimersInactive: Ptr("PT1H"),
	}
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Conversations.Create(ctx, params); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			form := url.Values{
				"FriendlyName":    {"Support #1234"},
				"UniqueName":      {"support-1234"},
				"Attributes":      {`{"topic":"billing"}`},
				"State":           {"active"},
				"Timers.Inactive": {"PT1H"},
			}
			var out Conversation
			if err := rawPost(ctx, hc, "https://conversations.twilio.com/v1/Conversations", form, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}
