package conversationstest_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
	"github.com/conversations-go/conversations/webhook"
)

// receiver is a webhook endpoint on 127.0.0.1 built on webhook.Handler: it
// checks every request's signature (401 otherwise) and records the events.
type receiver struct {
	URL string // base URL; the handler answers on every path

	mu     sync.Mutex
	events []webhook.Event
	// onMessageAdd answers pre-action onMessageAdd events; Allow when nil.
	onMessageAdd func(r *http.Request, e *webhook.MessageEvent) webhook.Response
}

func newReceiver(t *testing.T, authToken string) *receiver {
	t.Helper()
	rv := &receiver{}
	record := func(e webhook.Event) {
		rv.mu.Lock()
		defer rv.mu.Unlock()
		rv.events = append(rv.events, e)
	}
	h, err := webhook.NewHandler(webhook.Config{
		AuthToken: authToken,
		OnMessage: func(r *http.Request, e *webhook.MessageEvent) webhook.Response {
			record(e)
			rv.mu.Lock()
			pre := rv.onMessageAdd
			rv.mu.Unlock()
			if e.EventType == webhook.OnMessageAdd && pre != nil {
				return pre(r, e)
			}
			return webhook.Allow()
		},
		OnEvent: func(r *http.Request, e webhook.Event) webhook.Response {
			record(e)
			return webhook.Allow()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h) // listens on 127.0.0.1
	t.Cleanup(ts.Close)
	rv.URL = ts.URL
	return rv
}

func (rv *receiver) setOnMessageAdd(f func(r *http.Request, e *webhook.MessageEvent) webhook.Response) {
	rv.mu.Lock()
	defer rv.mu.Unlock()
	rv.onMessageAdd = f
}

func (rv *receiver) eventTypes() []string {
	rv.mu.Lock()
	defer rv.mu.Unlock()
	var out []string
	for _, e := range rv.events {
		out = append(out, string(e.Base().EventType))
	}
	return out
}

// settle waits for the fake's pending post-action webhooks.
func settle(t *testing.T, srv *conversationstest.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.WaitDeliveries(ctx); err != nil {
		t.Fatalf("WaitDeliveries: %v", err)
	}
}

// deliveredTypes lists the event types of the fake's deliveries.
func deliveredTypes(ds []conversationstest.Delivery) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.EventType)
	}
	return out
}

// checkSigned asserts the wire of every delivery: Twilio's headers, a
// signature that validates against the URL and parameters sent, and the
// receiver's 200 (webhook.Handler answers 401 to a bad signature).
func checkSigned(t *testing.T, srv *conversationstest.Server, ds []conversationstest.Delivery) {
	t.Helper()
	for _, d := range ds {
		if d.Err != nil || d.Status != http.StatusOK {
			t.Errorf("%s to %s: status %d, err %v", d.EventType, d.URL, d.Status, d.Err)
		}
		if got := d.Header.Get("User-Agent"); got != "TwilioProxy/1.1" {
			t.Errorf("%s: User-Agent %q", d.EventType, got)
		}
		params := d.Form
		if d.Method == http.MethodPost {
			if got := d.Header.Get("Content-Type"); got != "application/x-www-form-urlencoded" {
				t.Errorf("%s: Content-Type %q", d.EventType, got)
			}
		} else {
			params = nil
		}
		if !webhook.ValidateSignature(srv.AuthToken, d.Header.Get("X-Twilio-Signature"), d.URL, params) {
			t.Errorf("%s: signature %q does not validate for %s", d.EventType, d.Header.Get("X-Twilio-Signature"), d.URL)
		}
		if got := d.Form.Get("AccountSid"); got != srv.AccountSID {
			t.Errorf("%s: AccountSid %q", d.EventType, got)
		}
		if got := d.Form.Get("EventType"); got != d.EventType {
			t.Errorf("EventType param %q, delivery says %q", got, d.EventType)
		}
	}
}

// accountHooks sets the account-level webhook configuration (which applies
// to the default service).
func accountHooks(t *testing.T, client *cv.Client, pre, post string, filters ...string) {
	t.Helper()
	p := &cv.WebhookConfigurationUpdateParams{Filters: filters}
	if pre != "" {
		p.PreWebhookURL = cv.Ptr(pre)
	}
	if post != "" {
		p.PostWebhookURL = cv.Ptr(post)
	}
	if _, err := client.Configuration.UpdateWebhook(context.Background(), p); err != nil {
		t.Fatal(err)
	}
}

// smsParticipant adds the SMS participant +15558675310 (writing to
// +15017122661) to the conversation.
func smsParticipant(t *testing.T, ps cv.ParticipantsAPI, convSID string) *cv.Participant {
	t.Helper()
	p, err := ps.Create(context.Background(), convSID, &cv.ParticipantCreateParams{
		MessagingBindingAddress:      cv.Ptr("+15558675310"),
		MessagingBindingProxyAddress: cv.Ptr("+15017122661"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaultCredentialsHaveTwilioShapes(t *testing.T) {
	if !regexp.MustCompile(`^AC[0-9a-f]{32}$`).MatchString(conversationstest.DefaultAccountSID) {
		t.Errorf("DefaultAccountSID %q is not AC + 32 hex digits", conversationstest.DefaultAccountSID)
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(conversationstest.DefaultAuthToken) {
		t.Errorf("DefaultAuthToken %q is not 32 hex digits", conversationstest.DefaultAuthToken)
	}
}

// REST actions fire nothing without X-Twilio-Webhook-Enabled: true, and
// with it only post-action webhooks; the account-level configuration
// applies to the default service.
func TestWebhooksRESTHeaderGating(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	client := srv.Client()
	rv := newReceiver(t, srv.AuthToken)
	accountHooks(t, client, rv.URL+"/pre", rv.URL+"/post?tenant=a", "onConversationAdd", "onConversationAdded", "onMessageAdd", "onMessageAdded", "onMessageUpdated", "onMessageRemoved")

	conv, err := client.Conversations.Create(ctx, &cv.ConversationCreateParams{FriendlyName: cv.Ptr("quiet")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Body: cv.Ptr("no header")}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Body: cv.Ptr("header false")}, cv.WithWebhookEnabled(false)); err != nil {
		t.Fatal(err)
	}
	settle(t, srv)
	if ds := srv.Deliveries(); len(ds) != 0 {
		t.Fatalf("REST without the header delivered %v", deliveredTypes(ds))
	}

	on := cv.WithWebhookEnabled(true)
	conv2, err := client.Conversations.Create(ctx, &cv.ConversationCreateParams{FriendlyName: cv.Ptr("loud"), UniqueName: cv.Ptr("loud-1")}, on)
	if err != nil {
		t.Fatal(err)
	}
	m, err := client.Messages.Create(ctx, conv2.SID, &cv.MessageCreateParams{Author: cv.Ptr("agent"), Body: cv.Ptr("hello")}, on)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Messages.Update(ctx, conv2.SID, m.SID, &cv.MessageUpdateParams{Body: cv.Ptr("hello again")}, on); err != nil {
		t.Fatal(err)
	}
	if err := client.Messages.Delete(ctx, conv2.SID, m.SID, on); err != nil {
		t.Fatal(err)
	}
	settle(t, srv)
	ds := srv.Deliveries()
	want := []string{"onConversationAdded", "onMessageAdded", "onMessageUpdated", "onMessageRemoved"}
	if got := deliveredTypes(ds); !slices.Equal(got, want) {
		t.Fatalf("deliveries %v, want %v (post-action only)", got, want)
	}
	if got := rv.eventTypes(); !slices.Equal(got, want) {
		t.Fatalf("handler saw %v, want %v", got, want)
	}
	checkSigned(t, srv, ds)
	for _, d := range ds {
		if d.URL != rv.URL+"/post?tenant=a" || d.Method != http.MethodPost || d.PreAction {
			t.Errorf("%s went to %s %s (pre %v)", d.EventType, d.Method, d.URL, d.PreAction)
		}
		if d.ConversationSID != conv2.SID || d.Form.Get("ConversationSid") != conv2.SID {
			t.Errorf("%s: conversation %q / %q", d.EventType, d.ConversationSID, d.Form.Get("ConversationSid"))
		}
		for k, want := range map[string]string{"Source": "API", "ChatServiceSid": srv.DefaultServiceSID(), "RetryCount": "0"} {
			if got := d.Form.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", d.EventType, k, got, want)
			}
		}
	}
	added := ds[0].Form
	if added.Get("FriendlyName") != "loud" || added.Get("UniqueName") != "loud-1" || added.Get("State") != "active" || added.Get("MessagingServiceSid") != conversationstest.DefaultMessagingServiceSID {
		t.Errorf("onConversationAdded form %v", added)
	}
	msg := ds[1].Form
	for k, want := range map[string]string{"MessageSid": m.SID, "Index": "0", "Body": "hello", "Author": "agent", "Attributes": "{}"} {
		if got := msg.Get(k); got != want {
			t.Errorf("onMessageAdded %s = %q, want %q", k, got, want)
		}
	}
	if _, err := time.Parse(time.RFC3339, msg.Get("DateCreated")); err != nil {
		t.Errorf("onMessageAdded DateCreated %q: %v", msg.Get("DateCreated"), err)
	}
	if got := ds[2].Form.Get("Body"); got != "hello again" {
		t.Errorf("onMessageUpdated Body %q", got)
	}
	if ds[3].Form.Get("DateRemoved") == "" {
		t.Errorf("onMessageRemoved without DateRemoved: %v", ds[3].Form)
	}
}

// Only the events named in the filters are sent; service-level hooks
// override the account-level ones for their service.
func TestWebhooksFilters(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	client := srv.Client()
	account := newReceiver(t, srv.AuthToken)
	service := newReceiver(t, srv.AuthToken)
	accountHooks(t, client, "", account.URL+"/account", "onConversationAdded", "onConversationUpdated", "onMessageAdded", "onParticipantAdded")
	if _, err := client.Service(srv.DefaultServiceSID()).Configuration.UpdateWebhook(ctx, &cv.WebhookConfigurationUpdateParams{
		PostWebhookURL: cv.Ptr(service.URL + "/service"),
		Filters:        []string{"onMessageAdded", "onParticipantRemoved"},
		Method:         cv.Ptr(cv.WebhookMethodGET),
	}); err != nil {
		t.Fatal(err)
	}
	on := cv.WithWebhookEnabled(true)
	conv, err := client.Conversations.Create(ctx, nil, on)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Conversations.Update(ctx, conv.SID, &cv.ConversationUpdateParams{FriendlyName: cv.Ptr("renamed")}, on); err != nil {
		t.Fatal(err)
	}
	p, err := client.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{Identity: cv.Ptr("alice")}, on)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Author: cv.Ptr("alice"), Body: cv.Ptr("hi")}, on); err != nil {
		t.Fatal(err)
	}
	if err := client.Participants.Delete(ctx, conv.SID, p.SID, on); err != nil {
		t.Fatal(err)
	}
	settle(t, srv)
	if got := account.eventTypes(); len(got) != 0 {
		t.Errorf("account-level target got %v although the service has its own hooks", got)
	}
	want := []string{"onMessageAdded", "onParticipantRemoved"}
	if got := service.eventTypes(); !slices.Equal(got, want) {
		t.Fatalf("service target got %v, want %v", got, want)
	}
	ds := srv.Deliveries()
	checkSigned(t, srv, ds)
	for _, d := range ds {
		if d.Method != http.MethodGet || !strings.HasPrefix(d.URL, service.URL+"/service?") || !strings.Contains(d.URL, "EventType="+d.EventType) {
			t.Errorf("GET webhook %s sent as %s %s", d.EventType, d.Method, d.URL)
		}
	}
	if got := ds[0].Form.Get("ParticipantSid"); got != p.SID {
		t.Errorf("onMessageAdded ParticipantSid %q, want the author's %q", got, p.SID)
	}
	if got := ds[1].Form.Get("Identity"); got != "alice" {
		t.Errorf("onParticipantRemoved Identity %q", got)
	}
}

// Post-action webhooks of one conversation arrive in order, at the service
// target and at the conversation's scoped webhooks (webhook and trigger).
func TestWebhooksOrderAndScopedWebhooks(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	client := srv.Client()
	svcHook := newReceiver(t, srv.AuthToken)
	scoped := newReceiver(t, srv.AuthToken)
	trig := newReceiver(t, srv.AuthToken)
	if _, err := client.Service(srv.DefaultServiceSID()).Configuration.UpdateWebhook(ctx, &cv.WebhookConfigurationUpdateParams{
		PostWebhookURL: cv.Ptr(svcHook.URL + "/events"),
		Filters:        []string{"onMessageAdded"},
	}); err != nil {
		t.Fatal(err)
	}
	conv, err := client.Conversations.Create(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	wh, err := client.Webhooks.Create(ctx, conv.SID, &cv.WebhookCreateParams{
		Target:               cv.WebhookTargetWebhook,
		ConfigurationURL:     cv.Ptr(scoped.URL + "/scoped"),
		ConfigurationFilters: []string{"onMessageAdded"},
	})
	if err != nil {
		t.Fatal(err)
	}
	tw, err := client.Webhooks.Create(ctx, conv.SID, &cv.WebhookCreateParams{
		Target:                cv.WebhookTargetTrigger,
		ConfigurationURL:      cv.Ptr(trig.URL + "/trigger"),
		ConfigurationTriggers: []string{"help"},
	})
	if err != nil {
		t.Fatal(err)
	}
	const n = 20
	for i := range n {
		body := "message " + strconv.Itoa(i)
		if i == 7 {
			body = "I need HELP, please"
		}
		if _, err := client.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Body: cv.Ptr(body)}, cv.WithWebhookEnabled(true)); err != nil {
			t.Fatal(err)
		}
	}
	settle(t, srv)
	indexes := func(rv *receiver) []int {
		rv.mu.Lock()
		defer rv.mu.Unlock()
		var out []int
		for _, e := range rv.events {
			if me, ok := e.(*webhook.MessageEvent); ok && me.Index != nil {
				out = append(out, *me.Index)
			}
		}
		return out
	}
	var want []int
	for i := range n {
		want = append(want, i)
	}
	if got := indexes(svcHook); !slices.Equal(got, want) {
		t.Errorf("service target got indexes %v, want %v", got, want)
	}
	if got := indexes(scoped); !slices.Equal(got, want) {
		t.Errorf("scoped webhook got indexes %v, want %v", got, want)
	}
	if got := indexes(trig); !slices.Equal(got, []int{7}) {
		t.Errorf("trigger webhook got indexes %v, want [7]", got)
	}
	ds := srv.Deliveries()
	checkSigned(t, srv, ds)
	for _, d := range ds {
		switch {
		case strings.HasPrefix(d.URL, scoped.URL):
			if d.Form.Get("WebhookSid") != wh.SID || d.Form.Get("WebhookType") != "webhook" {
				t.Errorf("scoped delivery WebhookSid %q WebhookType %q", d.Form.Get("WebhookSid"), d.Form.Get("WebhookType"))
			}
		case strings.HasPrefix(d.URL, trig.URL):
			if d.Form.Get("WebhookSid") != tw.SID || d.Form.Get("WebhookType") != "trigger" {
				t.Errorf("trigger delivery WebhookSid %q WebhookType %q", d.Form.Get("WebhookSid"), d.Form.Get("WebhookType"))
			}
		default:
			if d.Form.Has("WebhookSid") {
				t.Errorf("service delivery carries WebhookSid %q", d.Form.Get("WebhookSid"))
			}
		}
	}
}

// inboundSetup makes a Conversation Service (addressed through
// /v1/Services/{sid}) with pre- and post-action hooks on rv and a
// conversation with an SMS participant.
func inboundSetup(t *testing.T, srv *conversationstest.Server, rv *receiver) (svcSID, convSID, partSID string) {
	t.Helper()
	ctx := context.Background()
	client := srv.Client()
	svc, err := client.Services.Create(ctx, &cv.ChatServiceCreateParams{FriendlyName: "support"})
	if err != nil {
		t.Fatal(err)
	}
	scope := client.Service(svc.SID)
	if _, err := scope.Configuration.UpdateWebhook(ctx, &cv.WebhookConfigurationUpdateParams{
		PreWebhookURL:  cv.Ptr(rv.URL + "/pre"),
		PostWebhookURL: cv.Ptr(rv.URL + "/post"),
		Filters:        []string{"onMessageAdd", "onMessageAdded"},
	}); err != nil {
		t.Fatal(err)
	}
	conv, err := scope.Conversations.Create(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	return svc.SID, conv.SID, smsParticipant(t, scope.Participants, conv.SID).SID
}

func listBodies(t *testing.T, srv *conversationstest.Server, svcSID, convSID string) []string {
	t.Helper()
	var out []string
	for m, err := range srv.Client().Service(svcSID).Messages.All(context.Background(), convSID, nil) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m.Body)
	}
	return out
}

func TestReceiveMessagePreHookProceeds(t *testing.T) {
	srv := conversationstest.NewServer(t)
	rv := newReceiver(t, srv.AuthToken)
	svcSID, convSID, partSID := inboundSetup(t, srv, rv)
	sid, err := srv.ReceiveMessage(context.Background(), conversationstest.InboundMessage{
		Address: "+15558675310", ProxyAddress: "+15017122661", Body: "hi",
	})
	if err != nil {
		t.Fatal(err)
	}
	settle(t, srv)
	if !strings.HasPrefix(sid, "IM") || len(sid) != 34 {
		t.Errorf("ReceiveMessage returned %q", sid)
	}
	ds := srv.Deliveries()
	if got, want := deliveredTypes(ds), []string{"onMessageAdd", "onMessageAdded"}; !slices.Equal(got, want) {
		t.Fatalf("deliveries %v, want %v", got, want)
	}
	checkSigned(t, srv, ds)
	pre, post := ds[0], ds[1]
	if !pre.PreAction || pre.URL != rv.URL+"/pre" || post.PreAction || post.URL != rv.URL+"/post" {
		t.Errorf("pre %v %s, post %v %s", pre.PreAction, pre.URL, post.PreAction, post.URL)
	}
	if pre.Form.Has("MessageSid") || pre.Form.Has("Index") {
		t.Errorf("onMessageAdd carries MessageSid/Index of a message not stored yet: %v", pre.Form)
	}
	for _, d := range ds {
		for k, want := range map[string]string{"Source": "SMS", "Author": "+15558675310", "Body": "hi", "ParticipantSid": partSID, "ConversationSid": convSID, "ChatServiceSid": svcSID} {
			if got := d.Form.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", d.EventType, k, got, want)
			}
		}
	}
	if post.Form.Get("MessageSid") != sid || post.Form.Get("Index") != "0" {
		t.Errorf("onMessageAdded MessageSid %q Index %q, want %s 0", post.Form.Get("MessageSid"), post.Form.Get("Index"), sid)
	}
	if got := listBodies(t, srv, svcSID, convSID); !slices.Equal(got, []string{"hi"}) {
		t.Errorf("stored bodies %v", got)
	}
}

func TestReceiveMessagePreHookRejects(t *testing.T) {
	srv := conversationstest.NewServer(t)
	rv := newReceiver(t, srv.AuthToken)
	rv.setOnMessageAdd(func(_ *http.Request, e *webhook.MessageEvent) webhook.Response {
		if strings.Contains(e.Body, "spam") {
			return webhook.Reject(http.StatusForbidden)
		}
		return webhook.Allow()
	})
	svcSID, convSID, _ := inboundSetup(t, srv, rv)
	_, err := srv.ReceiveMessage(context.Background(), conversationstest.InboundMessage{
		Address: "+15558675310", ProxyAddress: "+15017122661", Body: "buy spam",
	})
	var rej *conversationstest.RejectedError
	if !errors.As(err, &rej) || rej.Status != http.StatusForbidden || rej.URL != rv.URL+"/pre" {
		t.Fatalf("ReceiveMessage error %v, want a 403 RejectedError from %s/pre", err, rv.URL)
	}
	settle(t, srv)
	if got := deliveredTypes(srv.Deliveries()); !slices.Equal(got, []string{"onMessageAdd"}) {
		t.Errorf("deliveries %v, want only the rejected onMessageAdd", got)
	}
	if got := listBodies(t, srv, svcSID, convSID); len(got) != 0 {
		t.Errorf("a rejected message was stored: %v", got)
	}
}

func TestReceiveMessagePreHookModifies(t *testing.T) {
	srv := conversationstest.NewServer(t)
	rv := newReceiver(t, srv.AuthToken)
	rv.setOnMessageAdd(func(_ *http.Request, e *webhook.MessageEvent) webhook.Response {
		return webhook.ModifyMessage(webhook.MessageChanges{
			Body:       cv.Ptr(strings.ToUpper(e.Body)),
			Attributes: cv.Ptr(`{"screened":true}`),
		})
	})
	svcSID, convSID, partSID := inboundSetup(t, srv, rv)
	sid, err := srv.ReceiveMessage(context.Background(), conversationstest.InboundMessage{
		Address: "+15558675310", ProxyAddress: "+15017122661", Body: "quiet please",
	})
	if err != nil {
		t.Fatal(err)
	}
	settle(t, srv)
	m, err := srv.Client().Service(svcSID).Messages.Fetch(context.Background(), convSID, sid)
	if err != nil {
		t.Fatal(err)
	}
	if m.Body != "QUIET PLEASE" || m.Author != "+15558675310" || m.ParticipantSID != partSID {
		t.Errorf("stored message body %q author %q participant %q", m.Body, m.Author, m.ParticipantSID)
	}
	ds := srv.Deliveries()
	if len(ds) != 2 || ds[1].Form.Get("Body") != "QUIET PLEASE" || ds[1].Form.Get("Attributes") != `{"screened":true}` {
		t.Errorf("onMessageAdded does not carry the modification: %v", ds)
	}
}

func TestReceiveMessagePreHookTimeoutProceeds(t *testing.T) {
	srv := conversationstest.NewServer(t, conversationstest.WithWebhookTimeout(200*time.Millisecond))
	rv := newReceiver(t, srv.AuthToken)
	rv.setOnMessageAdd(func(r *http.Request, _ *webhook.MessageEvent) webhook.Response {
		<-r.Context().Done() // never answers; the fake gives up and hangs up
		return webhook.Reject(http.StatusForbidden)
	})
	svcSID, convSID, _ := inboundSetup(t, srv, rv)
	if _, err := srv.ReceiveMessage(context.Background(), conversationstest.InboundMessage{
		Address: "+15558675310", ProxyAddress: "+15017122661", Body: "slow",
	}); err != nil {
		t.Fatalf("a pre-hook that does not answer must let the message through: %v", err)
	}
	settle(t, srv)
	ds := srv.Deliveries()
	if len(ds) != 2 || ds[0].EventType != "onMessageAdd" || ds[0].Status != 0 || !errors.Is(ds[0].Err, context.DeadlineExceeded) {
		t.Fatalf("deliveries %+v, want a timed-out onMessageAdd", ds)
	}
	if got := listBodies(t, srv, svcSID, convSID); !slices.Equal(got, []string{"slow"}) {
		t.Errorf("stored bodies %v", got)
	}
}

func TestReceiveMessageRouting(t *testing.T) {
	srv := conversationstest.NewServer(t)
	ctx := context.Background()
	client := srv.Client()
	conv, err := client.Conversations.Create(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{
		MessagingBindingAddress: cv.Ptr("whatsapp:+15558675310"), MessagingBindingProxyAddress: cv.Ptr("whatsapp:+15017122661"),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.ReceiveMessage(ctx, conversationstest.InboundMessage{Address: "+15550000000", ProxyAddress: "+15017122661", Body: "x"}); !errors.Is(err, conversationstest.ErrNoConversation) {
		t.Errorf("unknown address: %v, want ErrNoConversation", err)
	}
	sid, err := srv.ReceiveMessage(ctx, conversationstest.InboundMessage{Address: "whatsapp:+15558675310", ProxyAddress: "whatsapp:+15017122661", Body: "hola"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := client.Messages.Fetch(ctx, conv.SID, sid)
	if err != nil {
		t.Fatal(err)
	}
	if m.Author != "whatsapp:+15558675310" || m.Body != "hola" {
		t.Errorf("stored author %q body %q", m.Author, m.Body)
	}
	if _, err := client.Conversations.Update(ctx, conv.SID, &cv.ConversationUpdateParams{State: cv.Ptr(cv.ConversationStateClosed)}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.ReceiveMessage(ctx, conversationstest.InboundMessage{Address: "whatsapp:+15558675310", ProxyAddress: "whatsapp:+15017122661", Body: "late"}); !errors.Is(err, conversationstest.ErrNoConversation) {
		t.Errorf("closed conversation: %v, want ErrNoConversation", err)
	}
}

// The fake never sends to a host that is not loopback unless allowed.
func TestWebhooksLoopbackOnly(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	client := srv.Client()
	accountHooks(t, client, "", "https://hooks.example.com/twilio", "onConversationAdded")
	if _, err := client.Conversations.Create(ctx, nil, cv.WithWebhookEnabled(true)); err != nil {
		t.Fatal(err)
	}
	settle(t, srv)
	ds := srv.Deliveries()
	if len(ds) != 1 || !errors.Is(ds[0].Err, conversationstest.ErrHostNotAllowed) || ds[0].Status != 0 {
		t.Fatalf("deliveries %+v, want one refused by ErrHostNotAllowed", ds)
	}
}

// onConversationStateUpdated: Reason API for a REST state change (with the
// header), TIMER for a state timer (whatever the headers), EVENT when an
// inbound message wakes an inactive conversation up.
func TestWebhooksStateUpdated(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	client := srv.Client()
	rv := newReceiver(t, srv.AuthToken)
	accountHooks(t, client, "", rv.URL+"/post", "onConversationStateUpdated")
	conv, err := client.Conversations.Create(ctx, &cv.ConversationCreateParams{TimersInactive: cv.Ptr("PT5M")})
	if err != nil {
		t.Fatal(err)
	}
	smsParticipant(t, client.Participants, conv.SID)
	srv.Advance(6 * time.Minute)
	if _, err := client.Conversations.Fetch(ctx, conv.SID); err != nil { // timers fire on the next request
		t.Fatal(err)
	}
	if _, err := srv.ReceiveMessage(ctx, conversationstest.InboundMessage{Address: "+15558675310", ProxyAddress: "+15017122661", Body: "back"}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Conversations.Update(ctx, conv.SID, &cv.ConversationUpdateParams{State: cv.Ptr(cv.ConversationStateClosed)}, cv.WithWebhookEnabled(true)); err != nil {
		t.Fatal(err)
	}
	settle(t, srv)
	ds := srv.Deliveries()
	checkSigned(t, srv, ds)
	var got []string
	for _, d := range ds {
		got = append(got, d.Form.Get("StateFrom")+">"+d.Form.Get("StateTo")+" "+d.Form.Get("Reason"))
	}
	want := []string{"active>inactive TIMER", "inactive>active EVENT", "active>closed API"}
	if !slices.Equal(got, want) {
		t.Fatalf("state updates %v, want %v", got, want)
	}
}

// SetReceiptStatus plays a channel's delivery report: onDeliveryUpdated.
func TestWebhooksDeliveryUpdated(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	client := srv.Client()
	rv := newReceiver(t, srv.AuthToken)
	accountHooks(t, client, "", rv.URL+"/post", "onDeliveryUpdated")
	conv, err := client.Conversations.Create(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := smsParticipant(t, client.Participants, conv.SID)
	m, err := client.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Body: cv.Ptr("out")})
	if err != nil {
		t.Fatal(err)
	}
	var receiptSID string
	for r, err := range client.Receipts.All(ctx, conv.SID, m.SID, nil) {
		if err != nil {
			t.Fatal(err)
		}
		receiptSID = r.SID
	}
	if err := srv.SetReceiptStatus(receiptSID, "undelivered", 30003); err != nil {
		t.Fatal(err)
	}
	settle(t, srv)
	ds := srv.Deliveries()
	checkSigned(t, srv, ds)
	if len(ds) != 1 {
		t.Fatalf("deliveries %v", deliveredTypes(ds))
	}
	for k, want := range map[string]string{"EventType": "onDeliveryUpdated", "DeliveryReceiptSid": receiptSID, "MessageSid": m.SID, "ParticipantSid": p.SID, "Status": "undelivered", "ErrorCode": "30003", "Source": "SMS"} {
		if got := ds[0].Form.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

// WithWebhookHosts lets a test use a host name of its own; here the
// client's dialer still connects to the receiver on 127.0.0.1.
func TestWebhooksAllowedHost(t *testing.T) {
	ctx := context.Background()
	rv := newReceiver(t, conversationstest.DefaultAuthToken)
	local := strings.TrimPrefix(rv.URL, "http://")
	hc := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, local)
		},
	}}
	srv := conversationstest.NewServer(t, conversationstest.WithWebhookHosts("hooks.test"), conversationstest.WithWebhookClient(hc))
	client := srv.Client()
	accountHooks(t, client, "", "http://hooks.test/events", "onConversationAdded")
	if _, err := client.Conversations.Create(ctx, nil, cv.WithWebhookEnabled(true)); err != nil {
		t.Fatal(err)
	}
	settle(t, srv)
	ds := srv.Deliveries()
	if len(ds) != 1 || ds[0].URL != "http://hooks.test/events" {
		t.Fatalf("deliveries %+v", ds)
	}
	// webhook.Handler saw Host hooks.test, so the signature over
	// http://hooks.test/events validated: status 200.
	checkSigned(t, srv, ds)
	if got := rv.eventTypes(); !slices.Equal(got, []string{"onConversationAdded"}) {
		t.Errorf("receiver got %v", got)
	}
}

// Participant, user and removal events, in a Conversation Service addressed
// through /v1/Services/{sid}, with the request header.
func TestWebhooksParticipantsUsersRemoval(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	rv := newReceiver(t, srv.AuthToken)
	client := srv.Client()
	svc, err := client.Services.Create(ctx, &cv.ChatServiceCreateParams{FriendlyName: "b2b"})
	if err != nil {
		t.Fatal(err)
	}
	scope := client.Service(svc.SID)
	if _, err := scope.Configuration.UpdateWebhook(ctx, &cv.WebhookConfigurationUpdateParams{
		PostWebhookURL: cv.Ptr(rv.URL + "/b2b"),
		Filters:        []string{"onConversationAdded", "onConversationRemoved", "onParticipantAdded", "onParticipantUpdated", "onUserAdded", "onUserUpdated"},
	}); err != nil {
		t.Fatal(err)
	}
	on := cv.WithWebhookEnabled(true)
	conv, err := scope.Conversations.CreateWithParticipants(ctx, &cv.ConversationWithParticipantsCreateParams{ConversationCreateParams: cv.ConversationCreateParams{FriendlyName: cv.Ptr("deal")}, Participants: cv.InitialParticipants{{Identity: "alice"}, {MessagingBindingAddress: "+15558675310", MessagingBindingProxyAddress: "+15017122661"}}}, on)
	if err != nil {
		t.Fatal(err)
	}
	var alice string
	for p, err := range scope.Participants.All(ctx, conv.SID, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if p.Identity == "alice" {
			alice = p.SID
		}
	}
	if _, err := scope.Participants.Update(ctx, conv.SID, alice, &cv.ParticipantUpdateParams{Attributes: cv.Ptr(`{"role":"buyer"}`)}, on); err != nil {
		t.Fatal(err)
	}
	u, err := scope.Users.Create(ctx, &cv.UserCreateParams{Identity: "bob"}, on)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scope.Users.Update(ctx, u.SID, &cv.UserUpdateParams{FriendlyName: cv.Ptr("Bob")}, on); err != nil {
		t.Fatal(err)
	}
	if err := scope.Conversations.Delete(ctx, conv.SID, on); err != nil {
		t.Fatal(err)
	}
	settle(t, srv)
	ds := srv.Deliveries()
	checkSigned(t, srv, ds)
	want := []string{"onConversationAdded", "onParticipantAdded", "onParticipantAdded", "onParticipantUpdated", "onUserAdded", "onUserUpdated", "onConversationRemoved"}
	// Deliveries of different conversations (user events have none) may
	// interleave; compare per queue.
	var convEvents, userEvents []string
	for _, d := range ds {
		if d.Form.Get("ChatServiceSid") != svc.SID {
			t.Errorf("%s: ChatServiceSid %q, want %s", d.EventType, d.Form.Get("ChatServiceSid"), svc.SID)
		}
		if strings.HasPrefix(d.EventType, "onUser") {
			userEvents = append(userEvents, d.EventType)
		} else {
			convEvents = append(convEvents, d.EventType)
		}
	}
	if !slices.Equal(convEvents, []string{want[0], want[1], want[2], want[3], want[6]}) || !slices.Equal(userEvents, want[4:6]) {
		t.Fatalf("conversation events %v, user events %v; want %v", convEvents, userEvents, want)
	}
	for _, d := range ds {
		f := d.Form
		switch {
		case d.EventType == "onParticipantAdded" && f.Get("Identity") == "":
			if f.Get("MessagingBinding.Address") != "+15558675310" || f.Get("MessagingBinding.ProxyAddress") != "+15017122661" || f.Get("MessagingBinding.Type") != "SMS" {
				t.Errorf("SMS participant form %v", f)
			}
		case d.EventType == "onParticipantUpdated":
			if f.Get("ParticipantSid") != alice || f.Get("Attributes") != `{"role":"buyer"}` {
				t.Errorf("onParticipantUpdated form %v", f)
			}
		case d.EventType == "onUserUpdated":
			if f.Get("UserSid") != u.SID || f.Get("Identity") != "bob" || f.Get("FriendlyName") != "Bob" {
				t.Errorf("onUserUpdated form %v", f)
			}
		case d.EventType == "onConversationRemoved":
			if f.Get("ConversationSid") != conv.SID || f.Get("DateRemoved") == "" || f.Get("FriendlyName") != "deal" {
				t.Errorf("onConversationRemoved form %v", f)
			}
		}
	}
}
