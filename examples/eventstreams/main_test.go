package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"events published: 6, sent (with duplicates and a retried batch): 15",
		"callbacks failed: 1, batches answered 500 and redelivered: 1",
		"stored once each (6 rows):",
		`message.added        #1 "Is my order shipped?"`,
		`message.updated      #2 "It ships tomorrow"`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
