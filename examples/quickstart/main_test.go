package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestQuickstartRunsOnTheFake(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out, config{}); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"Running against the in-memory fake at http://127.0.0.1:",
		"4. Added SMS participant MB",
		"   #6 alice:",
		"   #0 alice:",
		"status read",
		"state inactive",
		"fetching it now gives not-found: true",
		"   Sent pixel.png (69 bytes, image/png) as media ME",
		"12. Deleted the service IS",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestQuickstartLiveNeedsCredentials(t *testing.T) {
	for _, k := range []string{"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET"} {
		t.Setenv(k, "")
	}
	var out bytes.Buffer
	err := run(context.Background(), &out, config{live: true})
	if err == nil || !strings.Contains(err.Error(), "TWILIO_ACCOUNT_SID") {
		t.Fatalf("want a missing-credentials error, got %v", err)
	}
}
