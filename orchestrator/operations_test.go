package orchestrator

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/conversations-go/conversations"
)

func opState(status string, extra string) string {
	return `{"operationId":"` + opID + `","status":"` + status + `","createdAt":"2025-01-15T10:30:00Z",
	"statusUrl":"https://conversations.twilio.com/v2/ControlPlane/Operations/` + opID + `"` + extra + `}`
}

// TestWaitPollsUntilCompleted creates a configuration (202), then waits:
// the polls go to the client's own base URL and honour Retry-After.
func TestWaitPollsUntilCompleted(t *testing.T) {
	rec := newRecorder(t, func(n int, r recorded) stub {
		switch {
		case r.method == "POST":
			return stub{status: 202, header: map[string]string{"Operation-Id": opID, "Retry-After": "0",
				"Location": "https://elsewhere.example/v2/ControlPlane/Operations/" + opID},
				body: `{"statusUrl":"https://elsewhere.example/v2/ControlPlane/Operations/` + opID + `","related":{"configurationId":"` + confID + `"}}`}
		case n < 4:
			return stub{status: 200, header: map[string]string{"Retry-After": "0"}, body: opState("PENDING", "")}
		}
		return stub{status: 200, body: opState("COMPLETED", `,"completedAt":"2025-01-15T10:30:05Z","related":{"configurationId":"`+confID+`"},"error":null`)}
	})
	c := testClient(t, rec.srv.URL)
	op, err := c.Configurations.Create(context.Background(), validConfigCreate())
	if err != nil {
		t.Fatal(err)
	}
	if op.Related["configurationId"] != confID {
		t.Errorf("related %v", op.Related)
	}
	start := time.Now()
	st, err := c.Operations.Wait(context.Background(), op.ID, &WaitPolicy{FirstWait: op.RetryAfter, Interval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("waited %v", time.Since(start))
	}
	if st.Status != OperationStatusCompleted || st.Related["configurationId"] != confID || st.CompletedAt.IsZero() || st.Error != nil {
		t.Errorf("state %+v", st)
	}
	reqs := rec.requests()
	if len(reqs) != 4 {
		t.Fatalf("%d requests, want 4", len(reqs))
	}
	for _, r := range reqs[1:] {
		if r.method != "GET" || r.path != "/v2/ControlPlane/Operations/"+opID || r.header.Get("Idempotency-Key") != "" {
			t.Errorf("poll %s %s", r.method, r.path)
		}
	}
}

// TestWaitFailedOperation returns the state and an *OperationError with
// the RFC 9457 problem details.
func TestWaitFailedOperation(t *testing.T) {
	rec := newRecorder(t, func(int, recorded) stub {
		return stub{status: 200, body: opState("FAILED", `,"completedAt":"2025-01-15T10:30:05Z","error":{"type":"https://www.twilio.com/docs/errors/conflict","title":"Conflict","status":409,"detail":"service IS1 is already bridged","instance":"/v2/ControlPlane/Operations/`+opID+`"}`)}
	})
	c := testClient(t, rec.srv.URL)
	st, err := c.Operations.Wait(context.Background(), opID, nil)
	var oe *OperationError
	if !errors.As(err, &oe) {
		t.Fatalf("err %v", err)
	}
	want := ProblemDetails{Type: "https://www.twilio.com/docs/errors/conflict", Title: "Conflict", Status: 409,
		Detail: "service IS1 is already bridged", Instance: "/v2/ControlPlane/Operations/" + opID}
	if oe.Problem != want || oe.OperationID != opID || st == nil || st.Status != OperationStatusFailed || oe.State != st {
		t.Errorf("error %+v state %+v", oe, st)
	}
	if !strings.Contains(err.Error(), "service IS1 is already bridged") {
		t.Errorf("message %q", err)
	}
}

// TestWaitEndsWithContext: a ctx that ends during the wait between polls
// ends Wait with a *NetworkError wrapping ctx.Err().
func TestWaitEndsWithContext(t *testing.T) {
	rec := newRecorder(t, func(int, recorded) stub {
		return stub{status: 200, header: map[string]string{"Retry-After": "60"}, body: opState("PENDING", "")}
	})
	c := testClient(t, rec.srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Operations.Wait(ctx, opID, &WaitPolicy{Interval: time.Millisecond})
	var ne *conversations.NetworkError
	if !errors.As(err, &ne) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Error("Wait did not end with ctx")
	}
	if n := len(rec.requests()); n != 1 {
		t.Errorf("%d polls, want 1 (Retry-After 60 honoured)", n)
	}
}

// TestWaitBackoff doubles the interval up to MaxInterval without a
// Retry-After.
func TestWaitBackoff(t *testing.T) {
	var times []time.Time
	rec := newRecorder(t, func(n int, r recorded) stub {
		times = append(times, time.Now())
		if n < 4 {
			return stub{status: 200, body: opState("PENDING", "")}
		}
		return stub{status: 200, body: opState("COMPLETED", "")}
	})
	c := testClient(t, rec.srv.URL)
	if _, err := c.Operations.Wait(context.Background(), opID, &WaitPolicy{Interval: 20 * time.Millisecond, MaxInterval: 40 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if len(times) != 4 {
		t.Fatalf("%d polls", len(times))
	}
	for i, min := range []time.Duration{20, 40, 40} {
		if d := times[i+1].Sub(times[i]); d < min*time.Millisecond {
			t.Errorf("gap %d = %v, want >= %vms", i, d, min)
		}
	}
}

// TestOperationHandleFallbacks: without an Operation-Id header, the ID
// comes from statusUrl; a hand-made Operation cannot be waited on.
func TestOperationHandleFallbacks(t *testing.T) {
	var op Operation
	_ = json.Unmarshal([]byte(`{"statusUrl":"https://conversations.twilio.com/v2/ControlPlane/Operations/`+opID+`?x=1"}`), &op)
	op.fill(map[string][]string{})
	if op.ID != opID || op.RetryAfter != 0 {
		t.Errorf("%+v", op)
	}
	var op2 Operation
	op2.Location = "https://conversations.twilio.com/v2/ControlPlane/Operations/abc/"
	op2.fill(map[string][]string{"Location": {op2.Location}})
	if op2.ID != "abc" {
		t.Errorf("%+v", op2)
	}
	if _, err := (&Operation{ID: "x"}).Wait(context.Background()); !conversations.IsValidation(err) {
		t.Error(err)
	}
}

// TestRetryAfterHeader: whole seconds, capped at a day; anything else is 0.
func TestRetryAfterHeader(t *testing.T) {
	for v, want := range map[string]time.Duration{"5": 5 * time.Second, " 2 ": 2 * time.Second, "0": 0, "-3": 0, "soon": 0, "": 0,
		"99999999999999999999": 0, "99999999999999999": 24 * time.Hour} {
		if got := retryAfter(map[string][]string{"Retry-After": {v}}); got != want {
			t.Errorf("Retry-After %q: %v, want %v", v, got, want)
		}
	}
}
