package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestSelfTest(t *testing.T) {
	var out bytes.Buffer
	if err := selfTest(&out); err != nil {
		t.Fatalf("selfTest: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"type:          onMessageAdd (pre-action: true)",
		`response: 200 {"body":"d**n, it works"}`,
		"tampered copy: 401 Unauthorized",
		"spam message: 403 Forbidden",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestNewHandlerRefusesOriginWithoutScheme(t *testing.T) {
	if _, err := newHandler("token", "hooks.example.com", nil, nil); err == nil {
		t.Fatal("a -public-origin without a scheme was accepted")
	}
	if _, err := newHandler("token", "https://hooks.example.com", nil, nil); err != nil {
		t.Fatalf("valid origin refused: %v", err)
	}
}
