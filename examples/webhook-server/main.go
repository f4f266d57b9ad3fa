// Command webhook-server serves a Twilio Conversations webhook endpoint
// built with package webhook.
//
// Run with no arguments it demonstrates itself and exits: it starts the
// endpoint on a random 127.0.0.1 port, sends it a sample onMessageAdd event
// signed the way Twilio signs webhooks (with a made-up auth token), prints
// what the handler parsed and answered, checks that a forged copy is
// refused, and exits 0. It needs no network access and no credentials.
//
//	go run ./examples/webhook-server
//
// With -serve it keeps serving until interrupted:
//
//	TWILIO_AUTH_TOKEN=... go run ./examples/webhook-server -serve \
//	    -addr 127.0.0.1:8080 -public-origin https://hooks.example.com
//
// -public-origin is the scheme and host of the webhook URL configured in
// Twilio (for example a tunnel or a proxy in front of this server); Twilio
// signs that URL, not the 127.0.0.1 one.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/webhook"
)

const hookPath = "/twilio/conversations"

func main() {
	serveMode := flag.Bool("serve", false, "serve until interrupted instead of running the self-test")
	addr := flag.String("addr", "127.0.0.1:8080", "listen address in -serve mode")
	token := flag.String("token", "", "Twilio auth token (default $TWILIO_AUTH_TOKEN)")
	origin := flag.String("public-origin", "", "scheme://host[:port] of the webhook URL configured in Twilio (default: as received)")
	flag.Parse()

	if *serveMode {
		if *token == "" {
			*token = os.Getenv("TWILIO_AUTH_TOKEN")
		}
		if err := serve(*addr, *token, *origin); err != nil {
			log.Fatal(err)
		}
		return
	}
	if err := selfTest(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "webhook-server:", err)
		os.Exit(1)
	}
}

// newHandler is the endpoint: it moderates new messages and logs the rest.
// received, if not nil, gets every event that passed validation.
// It fails if the configuration cannot work (for example a -public-origin
// without a scheme).
// Refused requests are logged to logger (if not nil) with the URL spellings
// the signature was checked against.
func newHandler(token, origin string, logger *slog.Logger, received func(webhook.Event)) (*webhook.Handler, error) {
	note := func(e webhook.Event) {
		if received != nil {
			received(e)
		}
	}
	return webhook.NewHandler(webhook.Config{
		AuthToken:    token,
		PublicOrigin: origin,
		Logger:       logger,
		OnMessage: func(r *http.Request, e *webhook.MessageEvent) webhook.Response {
			note(e)
			if e.EventType != webhook.OnMessageAdd {
				return webhook.Allow()
			}
			if strings.Contains(strings.ToLower(e.Body), "buy now") {
				return webhook.Reject(http.StatusForbidden)
			}
			if clean := strings.ReplaceAll(e.Body, "darn", "d**n"); clean != e.Body {
				return webhook.ModifyMessage(webhook.MessageChanges{Body: conversations.Ptr(clean)})
			}
			return webhook.Allow()
		},
		OnEvent: func(r *http.Request, e webhook.Event) webhook.Response {
			note(e)
			return webhook.Allow()
		},
	})
}

func serve(addr, token, origin string) error {
	if token == "" {
		return errors.New("no auth token: set -token or TWILIO_AUTH_TOKEN")
	}
	logger := log.New(os.Stdout, "", log.LstdFlags)
	h, err := newHandler(token, origin, slog.New(slog.NewTextHandler(os.Stdout, nil)), func(e webhook.Event) {
		logger.Printf("%s: %s", e.Base().EventType, describe(e))
	})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle(hookPath, h)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	logger.Printf("serving Conversations webhooks on http://%s%s", addr, hookPath)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// selfTest runs the endpoint on a random loopback port and sends it Twilio-
// style signed requests.
func selfTest(out io.Writer) error {
	const token = "made-up-auth-token-for-the-demo" // not a real credential

	var (
		mu       sync.Mutex
		received []webhook.Event
	)
	h, err := newHandler(token, "", nil, func(e webhook.Event) {
		mu.Lock()
		received = append(received, e)
		mu.Unlock()
	})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle(hookPath, h)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}()

	// The URL "configured in Twilio" for this demo.
	hookURL := "http://" + ln.Addr().String() + hookPath + "?source=demo"
	fmt.Fprintf(out, "listening on http://%s%s\n", ln.Addr(), hookPath)

	sample := url.Values{
		"EventType":       {"onMessageAdd"},
		"AccountSid":      {"AC00000000000000000000000000000000"},
		"ConversationSid": {"CH00000000000000000000000000000001"},
		"ParticipantSid":  {"MB00000000000000000000000000000001"},
		"Author":          {"alice"},
		"Body":            {"darn, it works"},
		"Attributes":      {`{"priority":"high"}`},
		"Media":           {`[{"Sid":"ME00000000000000000000000000000001","Filename":"cat.png","ContentType":"image/png","Size":1234,"Category":"media"}]`},
		"Source":          {"SDK"},
		"ClientIdentity":  {"alice"},
		"RetryCount":      {"0"},
	}
	client := &http.Client{Timeout: 5 * time.Second}

	// 1. A genuine request: signed over the URL and the form parameters.
	status, body, err := post(client, hookURL, sample, webhook.ComputeSignature(token, hookURL, sample))
	if err != nil {
		return err
	}
	mu.Lock()
	got := append([]webhook.Event(nil), received...)
	mu.Unlock()
	if len(got) != 1 {
		return fmt.Errorf("handler saw %d events, want 1", len(got))
	}
	e, ok := got[0].(*webhook.MessageEvent)
	if !ok {
		return fmt.Errorf("parsed %T, want *webhook.MessageEvent", got[0])
	}
	fmt.Fprintln(out, "parsed event:")
	fmt.Fprintf(out, "  type:          %s (pre-action: %t)\n", e.EventType, e.IsPreAction())
	fmt.Fprintf(out, "  conversation:  %s\n", e.ConversationSID)
	fmt.Fprintf(out, "  participant:   %s\n", e.ParticipantSID)
	fmt.Fprintf(out, "  author:        %s (source %s)\n", e.Author, e.Source)
	fmt.Fprintf(out, "  body:          %q\n", e.Body)
	fmt.Fprintf(out, "  attributes:    %s\n", e.Attributes)
	for _, m := range e.Media {
		fmt.Fprintf(out, "  media:         %s %s (%s, %d bytes)\n", m.SID, m.Filename, m.ContentType, m.Size)
	}
	fmt.Fprintf(out, "  extra params:  %s\n", e.Extra.Encode())
	fmt.Fprintf(out, "response: %d %s\n", status, body)
	if status != http.StatusOK || body != `{"body":"d**n, it works"}` {
		return fmt.Errorf("unexpected response %d %s", status, body)
	}

	// 2. The same request with a tampered body: refused, never parsed.
	tampered := url.Values{}
	for k, v := range sample {
		tampered[k] = v
	}
	tampered.Set("Author", "mallory")
	status, body, err = post(client, hookURL, tampered, webhook.ComputeSignature(token, hookURL, sample))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "tampered copy: %d %s\n", status, body)
	if status != http.StatusUnauthorized {
		return fmt.Errorf("tampered request got %d, want 401", status)
	}

	// 3. A spam message, genuinely signed: rejected by the callback.
	spam := url.Values{}
	for k, v := range sample {
		spam[k] = v
	}
	spam.Set("Body", "BUY NOW!!!")
	status, body, err = post(client, hookURL, spam, webhook.ComputeSignature(token, hookURL, spam))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "spam message: %d %s\n", status, body)
	if status != http.StatusForbidden {
		return fmt.Errorf("spam got %d, want 403", status)
	}
	mu.Lock()
	n := len(received)
	mu.Unlock()
	if n != 2 {
		return fmt.Errorf("handler saw %d events, want 2 (the tampered one must not reach it)", n)
	}
	fmt.Fprintln(out, "ok")
	return nil
}

func post(c *http.Client, target string, form url.Values, signature string) (int, string, error) {
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(webhook.SignatureHeader, signature)
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if err != nil {
		return 0, "", err
	}
	return resp.StatusCode, strings.TrimSpace(string(b)), nil
}

// describe summarises an event for the -serve log.
func describe(e webhook.Event) string {
	switch e := e.(type) {
	case *webhook.MessageEvent:
		return fmt.Sprintf("conversation %s, author %s, body %q", e.ConversationSID, e.Author, e.Body)
	case *webhook.ConversationEvent:
		return fmt.Sprintf("conversation %s %q, state %s", e.ConversationSID, e.FriendlyName, e.State)
	case *webhook.ParticipantEvent:
		return fmt.Sprintf("conversation %s, participant %s %s", e.ConversationSID, e.ParticipantSID, e.Identity)
	case *webhook.DeliveryEvent:
		return fmt.Sprintf("message %s: %s", e.MessageSID, e.Status)
	default:
		return e.Base().Extra.Encode()
	}
}
