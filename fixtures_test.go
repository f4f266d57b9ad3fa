package conversations

import (
	"encoding/base64"
	"encoding/json"
	"github.com/conversations-go/conversations/internal/spectest"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Test credentials: made up, never from a real account.
const (
	testAccountSID = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	testAuthToken  = "test-auth-token-0123456789abcdef"
	testServiceSID = "ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
)

// recorded is one request as the transport saw it, body already read,
// including what net/http keeps outside the header map.
type recorded struct {
	Method string
	// Path is the escaped path as sent on the wire.
	Path     string
	RawQuery string
	Query    url.Values
	// Form is the body parsed as a form (set when there is a body).
	Form          url.Values
	Header        http.Header
	Host          string
	ContentLength int64
	Body          string
}

// recorder is the root package's one in-memory transport for unit tests: an
// httpmock transport that records every request and answers it with the
// next scripted response (the last one repeats), or with reply when set.
type recorder struct {
	mu        sync.Mutex
	reqs      []recorded
	responses []scripted
	// reply, when set, answers the n-th request (1-based) instead of the
	// scripted responses: for tests whose answer depends on the request
	// (media's hosts, links, retries).
	reply func(n int, req *http.Request) (*http.Response, error)
	mt    *httpmock.MockTransport
}

type scripted struct {
	status int
	body   string
	header http.Header
	err    error
}

// newRecorder returns a client on a recorder whose every request gets
// status and body (JSON).
func newRecorder(t testing.TB, status int, body string, opts ...Option) (*Client, *recorder) {
	t.Helper()
	rec := &recorder{}
	rec.then(status, body)
	return rec.client(t, testAccountSID, testAuthToken, opts...), rec
}

// newRecorderAs is newRecorder with other credentials and extra response
// headers, for the fuzz targets.
func newRecorderAs(t testing.TB, user, secret string, status int, body string, header http.Header, opts ...Option) (*Client, *recorder) {
	t.Helper()
	rec := &recorder{responses: []scripted{{status: status, body: body, header: header}}}
	return rec.client(t, user, secret, opts...), rec
}

// newReplyRecorder returns a client on a recorder that answers with reply.
func newReplyRecorder(t testing.TB, reply func(n int, req *http.Request) (*http.Response, error), opts ...Option) (*Client, *recorder) {
	t.Helper()
	rec := &recorder{reply: reply}
	return rec.client(t, testAccountSID, testAuthToken, opts...), rec
}

// client wires a new Client (retries off unless opts say otherwise) to the
// recorder's transport.
func (rec *recorder) client(t testing.TB, user, secret string, opts ...Option) *Client {
	t.Helper()
	rec.mt = httpmock.NewMockTransport()
	rec.mt.RegisterNoResponder(rec.roundTrip)
	all := append([]Option{WithHTTPClient(&http.Client{Transport: rec.mt}), WithoutRetry()}, opts...)
	c, err := NewClient(user, secret, all...)
	require.NoError(t, err)
	return c
}

// roundTrip records req and answers it. A body that fails to read fails
// the request with that error, as a real transport would.
func (rec *recorder) roundTrip(req *http.Request) (*http.Response, error) {
	var b []byte
	if req.Body != nil {
		var err error
		if b, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
	}
	r := recorded{Method: req.Method, Path: req.URL.EscapedPath(), RawQuery: req.URL.RawQuery, Query: req.URL.Query(),
		Header: req.Header.Clone(), Host: req.URL.Host, ContentLength: req.ContentLength, Body: string(b)}
	if len(b) > 0 {
		r.Form, _ = url.ParseQuery(string(b))
	}
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, r)
	n := len(rec.reqs)
	if rec.reply != nil {
		rec.mu.Unlock()
		return rec.reply(n, req)
	}
	i := min(n, len(rec.responses)) - 1
	s := rec.responses[i]
	rec.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	resp := httpmock.NewStringResponse(s.status, s.body)
	resp.ContentLength = int64(len(s.body))
	resp.Header.Set("Content-Type", "application/json")
	for k, v := range s.header {
		resp.Header[k] = v
	}
	resp.Request = req
	return resp, nil
}

// then adds a scripted response for the next request.
func (r *recorder) then(status int, body string) *recorder {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.responses = append(r.responses, scripted{status: status, body: body})
	return r
}

// count returns how many requests reached the transport.
func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.reqs)
}

// last returns the last request, failing the test if there was none.
func (r *recorder) last(t *testing.T) recorded {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	require.NotEmpty(t, r.reqs, "no request reached the transport")
	return r.reqs[len(r.reqs)-1]
}

// all returns every request so far.
func (r *recorder) all() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

// golden returns a response body from Twilio's spec: name is an
// operationId for its preferred example (the first, or for lists the first
// with items), or "OperationID_exampleName" for a named one. Reading the
// bodies from the spec itself means they cannot drift from it.
func golden(t *testing.T, name string) string {
	t.Helper()
	id, ex, named := strings.Cut(name, "_")
	op := specOps(t)[id]
	require.NotNil(t, op, "no operation %s in the spec", id)
	body := op.Example
	if named {
		body = op.Examples[ex]
	}
	require.NotNil(t, body, "no example %q for %s in the spec", ex, id)
	return string(body)
}

var specOpsOnce = sync.OnceValues(func() (map[string]*spectest.Op, error) {
	ops, err := spectest.Load(spectest.Path)
	byID := make(map[string]*spectest.Op, len(ops))
	for _, op := range ops {
		byID[op.ID] = op
	}
	return byID, err
})

// specOps is the spec's operations by operationId, loaded once per run.
func specOps(t *testing.T) map[string]*spectest.Op {
	t.Helper()
	ops, err := specOpsOnce()
	require.NoError(t, err)
	return ops
}

// decodeGolden decodes a golden body into a fresh T, for comparing with what
// the SDK returned.
func decodeGolden[T any](t *testing.T, name string) *T {
	t.Helper()
	v := new(T)
	require.NoError(t, json.Unmarshal([]byte(golden(t, name)), v))
	return v
}

// assertWire checks method, escaped path, the exact query and form values,
// and the headers every request carries (Basic auth, Accept, User-Agent,
// Content-Type only with a body).
func assertWire(t *testing.T, r recorded, method, path string, query, form url.Values) {
	t.Helper()
	assert.Equal(t, method, r.Method, "method")
	assert.Equal(t, path, r.Path, "path")
	if query == nil {
		query = url.Values{}
	}
	assert.Equal(t, query, r.Query, "query")
	if form == nil {
		assert.Empty(t, r.Body, "body")
		assert.Empty(t, r.Header.Get("Content-Type"), "Content-Type without a body")
	} else {
		assert.Equal(t, form, r.Form, "form")
		assert.Equal(t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
	}
	wantAuth := "Basic " + base64.StdEncoding.EncodeToString([]byte(testAccountSID+":"+testAuthToken))
	assert.Equal(t, wantAuth, r.Header.Get("Authorization"), "Authorization")
	assert.Equal(t, "application/json", r.Header.Get("Accept"), "Accept")
	assert.True(t, strings.HasPrefix(r.Header.Get("User-Agent"), "conversations-go/"+Version+" ("), "User-Agent %q", r.Header.Get("User-Agent"))
}

// testScope is one of the two scopes every scoped resource is tested in.
type testScope struct {
	name string
	// prefix is what the scope puts before the resource path: "/v1" or
	// "/v1/Services/IS...".
	prefix string
	// of returns the scope's services for a client.
	of func(c *Client) *Scope
}

var testScopes = []testScope{
	{name: "account", prefix: "/v1", of: (*Client).DefaultScope},
	{name: "service", prefix: "/v1/Services/" + testServiceSID, of: func(c *Client) *Scope {
		return &c.Service(testServiceSID).Scope
	}},
}

// pick returns accountName in the account scope and serviceName in the
// service scope, e.g. the golden file of an operation's two twins.
func (s testScope) pick(accountName, serviceName string) string {
	if s.name == "service" {
		return serviceName
	}
	return accountName
}

// goldenFor returns the golden body of an operation in a scope: the account
// name (e.g. "FetchConversation") or the service name
// ("FetchServiceConversation").
func (s testScope) goldenFor(t *testing.T, accountName, serviceName string) string {
	t.Helper()
	return golden(t, s.pick(accountName, serviceName))
}

// assertNothingSent checks that a call failed validation and that no
// request reached the transport.
func assertNothingSent(t *testing.T, rec *recorder, err error, param string) {
	t.Helper()
	require.Error(t, err)
	var v *ValidationError
	require.ErrorAs(t, err, &v)
	assert.Equal(t, param, v.Param)
	assert.Equal(t, 0, rec.count(), "a request reached the transport")
}
