package orchestrator

import (
	"context"
	"errors"
	"testing"

	"github.com/conversations-go/conversations"
)

// TestConflictExposesTheConflictingResource: a 409 gives a
// *conversations.Error whose ConflictingResourceID is the header's value.
func TestConflictExposesTheConflictingResource(t *testing.T) {
	rec := newRecorder(t, func(int, recorded) stub {
		return stub{status: 409, header: map[string]string{"X-Conflicting-Resource-Id": confID, "Twilio-Request-Id": "RQ1"},
			body: `{"code":409,"message":"A configuration already bridges this service","more_info":"https://www.twilio.com/docs/errors/409","status":409}`}
	})
	c := testClient(t, rec.srv.URL)
	p := validConfigCreate()
	p.ConversationsV1Bridge = &ConversationsV1Bridge{ServiceID: "IS0123456789abcdef0123456789abcdef"}
	_, err := c.Configurations.Create(context.Background(), p)
	var e *conversations.Error
	if !errors.As(err, &e) || e.Status != 409 || e.ConflictingResourceID != confID || e.RequestID != "RQ1" {
		t.Fatalf("err %#v", err)
	}
	if ConflictingResourceID(err) != confID || ConflictingResourceID(errors.New("x")) != "" {
		t.Error("ConflictingResourceID")
	}
	if n := len(rec.requests()); n != 1 {
		t.Errorf("%d requests: a 409 is not retried", n)
	}
}

// TestCallerIdempotencyKey: WithIdempotencyKey replaces the generated key
// on every attempt; a key that is not a UUID is refused before sending.
func TestCallerIdempotencyKey(t *testing.T) {
	const key = "01890a5d-aa0f-7c80-b8e6-0242ac140004"
	rec := newRecorder(t, func(n int, r recorded) stub {
		if n == 1 {
			return stub{status: 502}
		}
		return stub{status: 202, header: map[string]string{"Operation-Id": opID}, body: `{"statusUrl":"https://x/v2/ControlPlane/Operations/` + opID + `"}`}
	})
	c := testClient(t, rec.srv.URL)
	if _, err := c.Conversations.Delete(context.Background(), convID, conversations.WithIdempotencyKey(key)); err != nil {
		t.Fatal(err)
	}
	reqs := rec.requests()
	if len(reqs) != 2 || reqs[0].header.Get("Idempotency-Key") != key || reqs[1].header.Get("Idempotency-Key") != key {
		t.Errorf("requests %+v", reqs)
	}
	_, err := c.Configurations.Delete(context.Background(), confID, conversations.WithIdempotencyKey("retry-1"))
	var v *conversations.ValidationError
	if !errors.As(err, &v) || v.Param != "Idempotency-Key" {
		t.Errorf("err %v", err)
	}
	if n := len(rec.requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// TestAsyncWithoutOperation: a 2xx to an asynchronous write that names no
// operation is a *DecodeError, not a handle that cannot be waited on.
func TestAsyncWithoutOperation(t *testing.T) {
	rec := newRecorder(t, func(int, recorded) stub { return stub{status: 202, body: `{}`} })
	c := testClient(t, rec.srv.URL)
	_, err := c.Configurations.Delete(context.Background(), confID)
	var de *conversations.DecodeError
	if !errors.As(err, &de) || !errors.Is(err, errNoOperation) {
		t.Fatalf("err %v", err)
	}
}
