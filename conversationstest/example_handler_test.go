package conversationstest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
)

// NewHandler serves the fake, and its control plane, from your own HTTP
// server; the URLs it returns use the public base URL you give it.
func ExampleNewHandler() {
	srv, err := conversationstest.NewHandler(
		conversationstest.WithPublicBaseURL("http://emulator.test:4010"),
		conversationstest.WithManualClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)),
	)
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	mux := http.NewServeMux()
	mux.Handle(conversationstest.ControlPrefix+"/", srv.ControlPlane())
	mux.Handle("/", srv)
	ts := httptest.NewServer(mux) // your server: any address, middleware, TLS
	defer ts.Close()

	client := srv.Client(conversations.WithBaseURL(ts.URL))
	conv, err := client.Conversations.Create(context.Background(), nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(strings.Replace(conv.URL, conv.SID, "CH…", 1))

	resp, err := http.Post(ts.URL+"/_emulator/clock/advance", "application/json", strings.NewReader(`{"duration":"1h"}`))
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	fmt.Print(resp.StatusCode, " ", string(answer))
	// Output:
	// http://emulator.test:4010/v1/Conversations/CH…
	// 200 {"now":"2026-01-02T04:04:05Z"}
}
