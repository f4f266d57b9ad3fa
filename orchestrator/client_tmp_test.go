package orchestrator

import (
	"net/http"
	"testing"
)

// testClient returns a client of the test server at url.
func testClient(t *testing.T, url string) *Client {
	t.Helper()
	return testClientHTTP(t, url, &http.Client{})
}

func testClientHTTP(t *testing.T, url string, hc *http.Client) *Client {
	t.Helper()
	return newClient(&httpTransport{base: url, hc: hc, user: "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", pass: "token"})
}
