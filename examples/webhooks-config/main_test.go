package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestWebhooksConfigRunsOnTheFake(t *testing.T) {
	var out bytes.Buffer
	cfg := config{pre: "https://h.example/pre", post: "https://h.example/post", flowSID: "FW00000000000000000000000000000000"}
	if err := run(context.Background(), &out, cfg); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"Account webhooks: POST pre=https://h.example/pre post=https://h.example/post target=webhook",
		"filters=onMessageAdded,onDeliveryUpdated,onConversationStateUpdated",
		" webhook url=\"https://h.example/post/vip\"",
		" studio  ",
		"triggers=[help agent]",
		"Deleted service IS",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
