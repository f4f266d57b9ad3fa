// Package listenurl turns a listener's address into the http URL clients
// dial, for the fake (conversationstest) and the emulator.
package listenurl

import "net"

// Of is the http URL of a listener's address, with 127.0.0.1 for an
// unspecified host (0.0.0.0, ::).
func Of(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}
