package listenurl

import (
	"net"
	"testing"
)

func TestOf(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:4010": "http://127.0.0.1:4010",
		"0.0.0.0:4010":   "http://127.0.0.1:4010",
		"[::]:4010":      "http://127.0.0.1:4010",
		"[::1]:4010":     "http://[::1]:4010",
	} {
		a, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := Of(a); got != want {
			t.Errorf("Of(%s) = %s, want %s", addr, got, want)
		}
	}
}
