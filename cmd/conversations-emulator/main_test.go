package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/conversations-go/conversations/conversationstest"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a log destination safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startInProcess starts the emulator with args (plus -addr 127.0.0.1:0)
// and returns its URL, its log and a stop function that shuts it down and
// returns serve's error.
func startInProcess(t testing.TB, args ...string) (string, *syncBuffer, func() error) {
	t.Helper()
	logs := &syncBuffer{}
	cfg, err := parseConfig(append([]string{"-addr", "127.0.0.1:0"}, args...), io.Discard, func(string) string { return "" })
	require.NoError(t, err)
	e, err := start(cfg, slog.New(slog.NewJSONHandler(logs, nil)))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.serve(ctx) }()
	var once sync.Once
	var serveErr error
	stop := func() error {
		once.Do(func() { cancel(); serveErr = <-done })
		return serveErr
	}
	t.Cleanup(func() { _ = stop() })
	return e.srv.URL, logs, stop
}

func TestParseConfig(t *testing.T) {
	env := map[string]string{
		"CONVERSATIONS_EMULATOR_ADDR":          "127.0.0.1:5000",
		"CONVERSATIONS_EMULATOR_AUTH_TOKEN":    "0123456789abcdef0123456789abcdef",
		"CONVERSATIONS_EMULATOR_CLOCK":         "manual",
		"CONVERSATIONS_EMULATOR_SAVE_STATE":    "true",
		"CONVERSATIONS_EMULATOR_STATE":         "/tmp/s.json",
		"CONVERSATIONS_EMULATOR_WEBHOOK_HOSTS": "a.example,b.example",
	}
	getenv := func(k string) string { return env[k] }
	cfg, err := parseConfig([]string{"-addr", "127.0.0.1:6000"}, io.Discard, getenv)
	require.NoError(t, err)
	require.Equal(t, &config{
		addr: "127.0.0.1:6000", accountSID: conversationstest.DefaultAccountSID,
		authToken: "0123456789abcdef0123456789abcdef", webhookHosts: "a.example,b.example",
		webhookTimeout: conversationstest.DefaultWebhookTimeout, stateFile: "/tmp/s.json", saveState: true,
		clock: "manual", shutdownWait: 10 * time.Second, history: 1000,
		streamsBatch: conversationstest.DefaultStreamBatchSize,
	}, cfg, "the flag wins over its variable; variables fill the rest")

	cfg, err = parseConfig(nil, io.Discard, func(string) string { return "" })
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1:4010", cfg.addr)
	require.Equal(t, "real", cfg.clock)

	var help bytes.Buffer
	_, err = parseConfig([]string{"-h"}, &help, getenv)
	require.ErrorIs(t, err, flag.ErrHelp)
	for _, want := range []string{
		`[CONVERSATIONS_EMULATOR_ADDR] (default "127.0.0.1:4010")`,
		`[CONVERSATIONS_EMULATOR_ACCOUNT_SID] (default "` + conversationstest.DefaultAccountSID + `")`,
		`[CONVERSATIONS_EMULATOR_CLOCK] (default "real")`,
		"[CONVERSATIONS_EMULATOR_STATE]", "[CONVERSATIONS_EMULATOR_EVENT_STREAMS_URL]", "[CONVERSATIONS_EMULATOR_SAVE_STATE]", "[CONVERSATIONS_EMULATOR_WEBHOOK_HOSTS]",
	} {
		require.Contains(t, help.String(), want)
	}
	require.NotContains(t, help.String(), env["CONVERSATIONS_EMULATOR_AUTH_TOKEN"], "-h never shows a token from the environment")

	for args, want := range map[string]string{
		"-clock fast":                      `-clock "fast" is not real or manual`,
		"-start-time 2026-01-01T00:00:00Z": "-start-time needs -clock manual",
		"-save-state":                      "-save-state needs a -state file",
		"extra":                            `unexpected arguments ["extra"] (flags only)`,
		"-request-history -1":              "-request-history -1 is negative",
		"-event-streams-reorder":           "-event-streams-types, -redeliver and -reorder need -event-streams-url",
		"-event-streams-batch-size 0":      "-event-streams-batch-size must be 1 or more and -event-streams-redeliver 0 or more",
	} {
		_, err := parseConfig(strings.Fields(args), io.Discard, func(string) string { return "" })
		require.EqualError(t, err, want, args)
	}
	_, err = parseConfig(nil, io.Discard, func(k string) string {
		if k == "CONVERSATIONS_EMULATOR_SAVE_STATE" {
			return "maybe"
		}
		return ""
	})
	require.ErrorContains(t, err, "CONVERSATIONS_EMULATOR_SAVE_STATE: ")
}

func TestStartErrors(t *testing.T) {
	cfg, err := parseConfig([]string{"-addr", "127.0.0.1:0", "-state", filepath.Join(t.TempDir(), "missing.json")}, io.Discard, func(string) string { return "" })
	require.NoError(t, err)
	_, err = start(cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	require.ErrorContains(t, err, "missing.json: no such file or directory")

	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"version":1,"services":[{"sid":"nope"}]}`), 0o600))
	cfg.stateFile = bad
	_, err = start(cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	require.ErrorContains(t, err, `bad.json: conversationstest: state: services[0]: sid "nope" is not a IS SID`)

	cfg.stateFile, cfg.publicURL = "", "not a url"
	_, err = start(cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	require.ErrorContains(t, err, `public base URL "not a url"`)
}

// TestStateFileAndLogs: -state with -save-state starts empty when the file
// is missing, saves at shutdown, and the next start serves what was made;
// every request is one JSON log line with no credential in it.
func TestStateFileAndLogs(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	base, logs, stop := startInProcess(t, "-state", state, "-save-state", "-clock", "manual", "-start-time", "2026-02-03T04:05:06Z", "-public-url", "http://emu.local:9/")
	require.Equal(t, "http://emu.local:9", base)
	var addr string
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec))
		if rec["msg"] == "listening" {
			addr = rec["addr"].(string)
			require.Equal(t, "http://emu.local:9", rec["url"])
			require.Equal(t, "2026-02-03T04:05:06Z", rec["now"])
		}
	}
	require.NotEmpty(t, addr)
	direct := "http://" + addr
	req, _ := http.NewRequest(http.MethodPost, direct+"/v1/Conversations?x=secretquery", strings.NewReader(url.Values{"UniqueName": {"saved"}}.Encode()))
	req.SetBasicAuth(conversationstest.DefaultAccountSID, conversationstest.DefaultAuthToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var conv map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&conv))
	resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	require.Equal(t, "http://emu.local:9/v1/Conversations/"+conv["sid"].(string), conv["url"])
	require.Equal(t, "2026-02-03T04:05:06Z", conv["date_created"])
	require.NoError(t, stop())

	var reqLines []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		require.NotContains(t, line, conversationstest.DefaultAuthToken)
		require.NotContains(t, line, "secretquery")
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec), line)
		if rec["msg"] == "request" {
			reqLines = append(reqLines, rec)
		}
	}
	require.Len(t, reqLines, 1)
	r := reqLines[0]
	require.Equal(t, []any{"POST", "/v1/Conversations", float64(201), "INFO"}, []any{r["method"], r["path"], r["status"], r["level"]})
	require.Regexp(t, `^RQ[0-9a-f]{32}$`, r["request_id"])
	require.Greater(t, r["bytes"], float64(100))
	require.Contains(t, logs.String(), `"msg":"state saved"`)
	require.Contains(t, logs.String(), `"msg":"stopped"`)

	b, err := os.ReadFile(state)
	require.NoError(t, err)
	require.Contains(t, string(b), `"unique_name": "saved"`)
	entries, err := os.ReadDir(filepath.Dir(state))
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file left behind")

	base2, _, _ := startInProcess(t, "-state", state)
	req, _ = http.NewRequest(http.MethodGet, base2+"/v1/Conversations/saved", nil)
	req.SetBasicAuth(conversationstest.DefaultAccountSID, conversationstest.DefaultAuthToken)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

// readmeWalkthrough returns the sh blocks of the README's emulator section.
func readmeWalkthrough(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	s := string(b)
	i := strings.Index(s, "\n## The emulator")
	require.GreaterOrEqual(t, i, 0, "README has no emulator section")
	s = s[i+1:]
	if j := strings.Index(s, "\n## "); j >= 0 {
		s = s[:j]
	}
	blocks := regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(s, -1)
	require.NotEmpty(t, blocks)
	var out strings.Builder
	for _, m := range blocks {
		out.WriteString(m[1])
	}
	return out.String()
}

// TestREADMEWalkthrough runs the README's curl walkthrough with bash
// against the emulator, with the README's address replaced by the test's.
func TestREADMEWalkthrough(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "grep"} {
		_, err := exec.LookPath(tool)
		require.NoError(t, err, "the walkthrough needs %s", tool)
	}
	base, _, _ := startInProcess(t, "-clock", "manual", "-start-time", "2026-01-01T00:00:00Z")
	script := readmeWalkthrough(t)
	require.Contains(t, script, "http://127.0.0.1:4010")
	script = strings.ReplaceAll(script, "http://127.0.0.1:4010", base)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "stderr: %s\nstdout: %s", stderr.String(), out)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	require.Len(t, lines, 4, "%s", out)
	require.Equal(t, `{"account_sid":"`+conversationstest.DefaultAccountSID+`","now":"2026-01-01T00:00:00Z","status":"ok","url":"`+base+`"}`, lines[0])
	require.Regexp(t, `^\{"conversation_sid":"CH[0-9a-f]{32}","message_sid":"IM[0-9a-f]{32}","pre_action":\[\],"stored":true\}$`, lines[1])
	require.Equal(t, `"body":"hi"`, lines[2])
	require.Equal(t, `{"now":"2026-01-01T01:00:00Z"}`, lines[3])
}

// buildEmulator builds the program once per test binary.
var buildOnce struct {
	sync.Once
	path string
	err  error
}

func buildEmulator(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "conversations-emulator-")
		if err != nil {
			buildOnce.err = err
			return
		}
		buildOnce.path = filepath.Join(dir, "conversations-emulator")
		out, err := exec.Command("go", "build", "-o", buildOnce.path, ".").CombinedOutput()
		if err != nil {
			buildOnce.err = errors.New(string(out))
		}
	})
	require.NoError(t, buildOnce.err)
	return buildOnce.path
}

// process is the emulator running as a program.
type process struct {
	cmd *exec.Cmd
	url string
	log *syncBuffer
	eof chan struct{} // closed when the program's stderr ends
}

// stop signals the program and waits for it to exit, its log read whole.
func (p *process) stop(sig os.Signal) error {
	if err := p.cmd.Process.Signal(sig); err != nil {
		return err
	}
	<-p.eof
	return p.cmd.Wait()
}

// startProcess starts the built program on a free port and returns once
// it has logged its address (it serves from then on).
func startProcess(t testing.TB, bin string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	p := &process{cmd: cmd, log: &syncBuffer{}, eof: make(chan struct{})}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			_, _ = p.log.Write([]byte(line + "\n"))
			var rec struct{ Msg, URL string }
			if !sent && json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "listening" {
				found <- rec.URL
				sent = true
			}
		}
		close(found)
		close(p.eof)
	}()
	select {
	case u, ok := <-found:
		require.True(t, ok, "the emulator exited: %s", p.log.String())
		p.url = u
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("the emulator did not start: %s", p.log.String())
	}
	return p
}

func TestProcessSignals(t *testing.T) {
	bin := buildEmulator(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		p := startProcess(t, bin)
		resp, err := http.Get(p.url + "/_emulator/health")
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.NoError(t, p.stop(sig), "exit status after %v; log: %s", sig, p.log.String())
		require.Contains(t, p.log.String(), `"msg":"shutting down"`)
		require.Contains(t, p.log.String(), `"msg":"stopped"`)
		require.Contains(t, p.log.String(), `"path":"/_emulator/health","status":200`)
	}
}

// TestMain removes the program built by buildEmulator.
func TestMain(m *testing.M) {
	code := m.Run()
	if buildOnce.path != "" {
		_ = os.RemoveAll(filepath.Dir(buildOnce.path))
	}
	os.Exit(code)
}

// TestServesV2: the program serves the fake's v2 (Conversation
// Orchestrator) routes too.
func TestServesV2(t *testing.T) {
	base, _, _ := startInProcess(t)
	req, _ := http.NewRequest(http.MethodGet, base+"/v2/Conversations?pageSize=2", nil)
	req.SetBasicAuth(conversationstest.DefaultAccountSID, conversationstest.DefaultAuthToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var page struct {
		Conversations []any
		Meta          map[string]any
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NotNil(t, page.Conversations)
	require.Empty(t, page.Conversations)
	require.Equal(t, "conversations", page.Meta["key"])
	require.Equal(t, float64(0), page.Meta["pageSize"], "items on this page")
}

// TestWriteLimits: with -write-limits the 31st write to one service within
// a second of the fake's clock is refused with Twilio's 429; advancing the
// manual clock opens the window again.
func TestWriteLimits(t *testing.T) {
	base, _, _ := startInProcess(t, "-write-limits", "-clock", "manual")
	create := func() int {
		req, _ := http.NewRequest(http.MethodPost, base+"/v1/Conversations", strings.NewReader(""))
		req.SetBasicAuth(conversationstest.DefaultAccountSID, conversationstest.DefaultAuthToken)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		var body map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			require.Equal(t, float64(20429), body["code"])
		}
		return resp.StatusCode
	}
	for i := 0; i < conversationstest.WriteLimitPerSecond; i++ {
		require.Equal(t, http.StatusCreated, create(), "write %d", i+1)
	}
	require.Equal(t, http.StatusTooManyRequests, create())
	resp, err := http.Post(base+"/_emulator/clock/advance", "application/json", strings.NewReader(`{"duration":"1s"}`))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusCreated, create())
}
