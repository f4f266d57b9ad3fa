package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/conversations-go/conversations/conversationstest"
)

// Benchmarks of the program as users run it: a separate process on
// loopback, logging a JSON line per request (to a file here).
//
//	go test -run '^$' -bench Emulator -benchtime 20x ./cmd/conversations-emulator   # start-up
//	go test -run '^$' -bench EmulatorCreateMessage -benchtime 5s ./cmd/conversations-emulator

// quietProcess starts the built program with its log in a file and returns
// its URL once the log names it.
func quietProcess(b *testing.B, bin string, args ...string) (*exec.Cmd, string) {
	b.Helper()
	logPath := filepath.Join(b.TempDir(), "emulator.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		b.Fatal(err)
	}
	defer logFile.Close()
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	cmd.Stderr = logFile
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		data, _ := os.ReadFile(logPath)
		if line, _, ok := strings.Cut(string(data), "\n"); ok {
			var rec struct{ Msg, URL string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "listening" {
				return cmd, rec.URL
			}
		}
		time.Sleep(200 * time.Microsecond)
	}
	_ = cmd.Process.Kill()
	b.Fatal("the emulator did not start")
	return nil, ""
}

// BenchmarkEmulatorStartup measures the time from starting the program to
// its first healthy answer (GET /_emulator/health 200), as ms-to-healthy;
// ns/op also counts the graceful shutdown.
func BenchmarkEmulatorStartup(b *testing.B) {
	bin := buildEmulator(b)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		began := time.Now()
		cmd, u := quietProcess(b, bin)
		for {
			resp, err := client.Get(u + "/_emulator/health")
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			time.Sleep(100 * time.Microsecond)
		}
		total += time.Since(began)
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			b.Fatal(err)
		}
		if err := cmd.Wait(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-to-healthy")
}

// BenchmarkEmulatorCreateMessage measures the messages the program
// creates per second (POST /v1/Conversations/{sid}/Messages, Basic auth,
// form body, 201 with the message JSON read whole), with concurrent
// keep-alive clients each writing to its own conversation.
func BenchmarkEmulatorCreateMessage(b *testing.B) {
	bin := buildEmulator(b)
	cmd, base := quietProcess(b, bin)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	defer func() {
		client.CloseIdleConnections()
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	post := func(path string, form url.Values) (map[string]any, error) {
		req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
		if err != nil {
			return nil, err
		}
		req.SetBasicAuth(conversationstest.DefaultAccountSID, conversationstest.DefaultAuthToken)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusCreated {
			return nil, fmt.Errorf("status %d: %v", resp.StatusCode, out)
		}
		return out, nil
	}
	b.SetParallelism(4) // 4 × GOMAXPROCS clients
	b.ResetTimer()
	began := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		conv, err := post("/v1/Conversations", url.Values{})
		if err != nil {
			b.Error(err)
			return
		}
		path := "/v1/Conversations/" + conv["sid"].(string) + "/Messages"
		form := url.Values{"Author": {"bench"}, "Body": {"hello from the benchmark"}}
		for pb.Next() {
			if _, err := post(path, form); err != nil {
				b.Error(err)
				return
			}
		}
	})
	elapsed := time.Since(began)
	b.StopTimer() // the shutdown above is not part of it
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "creates/s")
}
