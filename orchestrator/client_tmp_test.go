package orchestrator

import (
	"net/http"
	"testing"
)

// testClient returns a client of the test server at url.
func testClient(t *testing.T, url string) *Client {
	t.Helper()
	return newClient(&httpTransport{base: url, hc: &http.Client{}, user: "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", pass: "token"})
}
