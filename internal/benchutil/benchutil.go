// Package benchutil holds what the SDK's benchmarks and the comparison
// benchmarks in ./bench share: an in-memory transport serving canned bodies,
// list pages built from the spec's examples, and the raw net/http +
// encoding/json baseline that every SDK is measured against.
package benchutil

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
)

// Transport answers every request from memory. Body picks the canned body for
// a request; POSTs answer 201, everything else 200. Request bodies are read
// and closed, as a real transport would.
type Transport struct {
	// Body returns the canned response body for req.
	Body func(req *http.Request) []byte
}

// RoundTrip implements http.RoundTripper.
func (t Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	status := http.StatusOK
	if req.Method == http.MethodPost {
		status = http.StatusCreated
	}
	return &http.Response{
		StatusCode:    status,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(bytes.NewReader(t.Body(req))),
		ContentLength: -1,
		Request:       req,
	}, nil
}

// Golden reads testdata/golden/<name>.json below root (the repository root).
func Golden(root, name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(root, "testdata", "golden", name+".json"))
}

// ListPage builds a list body of n items under key from the first item of a
// golden list body, each with a distinct SID, and a meta block whose
// next_page_url is next (empty for the last page).
func ListPage(golden []byte, key string, n int, next string) ([]byte, error) {
	return listPageFrom(golden, key, 0, n, next)
}

// listPageFrom is ListPage whose items are numbered from first, so that the
// pages of one list never repeat an item.
func listPageFrom(golden []byte, key string, first, n int, next string) ([]byte, error) {
	var env map[string]json.RawMessage
	if err := json.Unmarshal(golden, &env); err != nil {
		return nil, err
	}
	var items []json.RawMessage
	if err := json.Unmarshal(env[key], &items); err != nil || len(items) == 0 {
		return nil, fmt.Errorf("golden body has no %q items", key)
	}
	var b bytes.Buffer
	b.WriteString(`{"` + key + `":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(bytes.Replace(items[0], []byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), []byte(fmt.Sprintf("%032x", first+i)), 1))
	}
	nextJSON := "null"
	if next != "" {
		nextJSON = `"` + next + `"`
	}
	fmt.Fprintf(&b, `],"meta":{"page":0,"page_size":%d,"first_page_url":"https://conversations.twilio.com/v1/x","previous_page_url":null,"url":"https://conversations.twilio.com/v1/x","next_page_url":%s,"key":"%s"}}`, n, nextJSON, key)
	return b.Bytes(), nil
}

// Pages serves a chain of list pages: page i's next_page_url carries
// PageToken=<i+1> until the last page. Use its Body as a Transport's Body.
type Pages struct {
	// Pages[i] is the body of page i.
	Pages [][]byte
}

// NewPages builds count pages of n items each, for the list at path (for
// example "/v1/Conversations/CH.../Messages").
func NewPages(golden []byte, key, path string, count, n int) (*Pages, error) {
	p := &Pages{Pages: make([][]byte, count)}
	for i := range p.Pages {
		next := ""
		if i+1 < count {
			next = fmt.Sprintf("https://conversations.twilio.com%s?PageSize=%d&Page=%d&PageToken=PT%d", path, n, i+1, i+1)
		}
		body, err := listPageFrom(golden, key, i*n, n, next)
		if err != nil {
			return nil, err
		}
		p.Pages[i] = body
	}
	return p, nil
}

// Body returns the page named by the request's PageToken (PT<i>), or page 0.
func (p *Pages) Body(req *http.Request) []byte {
	tok := req.URL.Query().Get("PageToken")
	var i int
	if tok != "" {
		fmt.Sscanf(tok, "PT%d", &i)
	}
	if i < 0 || i >= len(p.Pages) {
		i = 0
	}
	return p.Pages[i]
}

// RawGet is the baseline for reads: a hand-written request with the same
// headers as the SDK's, decoded with encoding/json into out.
func RawGet(ctx context.Context, hc *http.Client, user, pass, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	return rawDo(hc, req, user, pass, out)
}

// RawPost is the baseline for creates: form values built by hand.
func RawPost(ctx context.Context, hc *http.Client, user, pass, u string, form url.Values, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return rawDo(hc, req, user, pass, out)
}

// RawJSON is the baseline for JSON writes (v2): in marshalled by hand and
// sent with method to u.
func RawJSON(ctx context.Context, hc *http.Client, user, pass, method, u string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	return rawDo(hc, req, user, pass, out)
}

func rawDo(hc *http.Client, req *http.Request, user, pass string, out any) error {
	req.SetBasicAuth(user, pass)
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
