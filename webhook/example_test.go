package webhook_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/webhook"
)

// The worked example of Twilio's "Security" document
// (https://www.twilio.com/docs/usage/security, "Explore the algorithm
// yourself").
func ExampleComputeSignature() {
	params := url.Values{
		"CallSid": {"CA1234567890ABCDE"},
		"Caller":  {"+14158675310"},
		"Digits":  {"1234"},
		"From":    {"+14158675310"},
		"To":      {"+18005551212"},
	}
	fmt.Println(webhook.ComputeSignature("12345", "https://example.com/myapp.php?foo=1&bar=2", params))
	// Output: L/OH5YylLD5NRKLltdqwSvS0BnU=
}

func ExampleValidateSignature() {
	const token = "12345"
	params := url.Values{
		"CallSid": {"CA1234567890ABCDE"},
		"Caller":  {"+14158675310"},
		"Digits":  {"1234"},
		"From":    {"+14158675310"},
		"To":      {"+18005551212"},
	}
	sig := "L/OH5YylLD5NRKLltdqwSvS0BnU="

	fmt.Println(webhook.ValidateSignature(token, sig, "https://example.com/myapp.php?foo=1&bar=2", params))
	// The default port is tolerated, as in Twilio's libraries.
	fmt.Println(webhook.ValidateSignature(token, sig, "https://example.com:443/myapp.php?foo=1&bar=2", params))
	// Another query string is another request.
	fmt.Println(webhook.ValidateSignature(token, sig, "https://example.com/myapp.php?foo=1&bar=3", params))
	// Output:
	// true
	// true
	// false
}

// The JSON-body variant: the URL carries the SHA-256 of the body and the
// signature covers the URL only. Body and hash are those of the "Security"
// document's application/json sample.
func ExampleValidateBody() {
	body := []byte(`{"CallSid":"CA1234567890ABCDE","Caller":"+12349013030"}`)
	hash := webhook.ComputeBodyHash(body)
	fmt.Println(hash)

	u := "https://example.com/myapp?bodySHA256=" + hash
	sig := webhook.ComputeSignature("12345", u, nil) // what Twilio would send
	fmt.Println(webhook.ValidateBody("12345", sig, u, body))
	fmt.Println(webhook.ValidateBody("12345", sig, u, []byte(`{"CallSid":"CA0"}`)))
	// Output:
	// 5ccde7145dfb8f56479710896586cb9d5911809d83afbe34627818790db0aec9
	// true
	// false
}

func ExampleParseEvent() {
	values := url.Values{
		"EventType":       {"onParticipantAdded"},
		"ConversationSid": {"CH00000000000000000000000000000001"},
		"ParticipantSid":  {"MB00000000000000000000000000000001"},
		"Identity":        {"alice"},
		"SomethingNew":    {"kept"},
	}
	ev, err := webhook.ParseEvent(values)
	if err != nil {
		panic(err)
	}
	switch e := ev.(type) {
	case *webhook.ParticipantEvent:
		fmt.Println(e.EventType, e.Identity, e.ParticipantSID, e.IsPreAction())
		fmt.Println(e.Extra.Get("SomethingNew"))
	}
	// Output:
	// onParticipantAdded alice MB00000000000000000000000000000001 false
	// kept
}

// A Handler that rewrites one word in new messages, rejects messages from a
// blocked author and lets everything else through.
func ExampleNewHandler() {
	const token = "made-up-auth-token"
	h, err := webhook.NewHandler(webhook.Config{
		AuthToken: token,
		// The public URL configured in Twilio, whatever the server sees.
		PublicOrigin: "https://hooks.example.com",
		OnMessage: func(r *http.Request, e *webhook.MessageEvent) webhook.Response {
			if e.EventType != webhook.OnMessageAdd {
				return webhook.Allow()
			}
			if e.Author == "mallory" {
				return webhook.Reject(http.StatusForbidden)
			}
			return webhook.ModifyMessage(webhook.MessageChanges{
				Body: conversations.Ptr(strings.ReplaceAll(e.Body, "darn", "d**n")),
			})
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	send := func(author string, sig func(url.Values) string) {
		form := url.Values{
			"EventType":       {"onMessageAdd"},
			"ConversationSid": {"CH00000000000000000000000000000001"},
			"Author":          {author},
			"Body":            {"darn it"},
		}
		r := httptest.NewRequest(http.MethodPost, "/conversations", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set(webhook.SignatureHeader, sig(form))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		body, _ := io.ReadAll(w.Result().Body)
		fmt.Println(w.Code, strings.TrimSpace(string(body)))
	}
	twilio := func(form url.Values) string {
		return webhook.ComputeSignature(token, "https://hooks.example.com/conversations", form)
	}
	forger := func(form url.Values) string {
		return webhook.ComputeSignature("guessed-token", "https://hooks.example.com/conversations", form)
	}

	send("alice", twilio)
	send("mallory", twilio)
	send("alice", forger)
	// Output:
	// 200 {"body":"d**n it"}
	// 403 Forbidden
	// 401 Unauthorized
}

// NewHandler refuses a configuration that cannot work, here a public origin
// without a scheme, instead of answering every genuine request with 401.
func ExampleNewHandler_badOrigin() {
	_, err := webhook.NewHandler(webhook.Config{
		AuthToken:    "made-up-auth-token",
		PublicOrigin: "hooks.example.com",
	})
	fmt.Println(errors.Is(err, webhook.ErrConfig))
	fmt.Println(err)
	// Output:
	// true
	// webhook: invalid handler configuration: PublicOrigin "hooks.example.com" must start with https:// or http://
}

// A rejected signature is reported, through Config.OnReject (or
// Config.Logger), with the URL spellings it was checked against and the
// likely cause — here that the server saw http where Twilio called https.
func ExampleSignatureError() {
	h, err := webhook.NewHandler(webhook.Config{
		AuthToken: "made-up-auth-token",
		OnReject: func(r *http.Request, err error) {
			var se *webhook.SignatureError
			if errors.As(err, &se) {
				for _, u := range se.Tried {
					fmt.Println(u)
				}
				fmt.Println("cause:", se.Cause)
				fmt.Println(se.Hint)
			}
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	form := url.Values{"EventType": {"onMessageAdd"}}
	r := httptest.NewRequest(http.MethodPost, "http://hooks.example.com/conversations", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set(webhook.SignatureHeader, webhook.ComputeSignature("made-up-auth-token", "https://hooks.example.com/conversations", form))
	h.ServeHTTP(httptest.NewRecorder(), r)
	// Output:
	// http://hooks.example.com/conversations
	// http://hooks.example.com:80/conversations
	// cause: scheme
	// the signature matches https://hooks.example.com/conversations, not http://hooks.example.com/conversations: Twilio called https (a proxy or load balancer terminating TLS?); set Config.PublicOrigin to "https://hooks.example.com"
}
