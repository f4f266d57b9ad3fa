package conversationsredis_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisAddr is the address of the redis-server TestMain starts for the
// package's tests (examples included).
var redisAddr string

// TestMain starts a real redis-server (Debian package redis-server) on
// 127.0.0.1 on a free port. Without it the tests fail; they never skip.
func TestMain(m *testing.M) {
	redis.SetLogger(quietLogger{}) // the Redis-stopped tests make go-redis log every failed dial
	srv, err := startRedis(0)
	if err != nil {
		fmt.Fprintln(os.Stderr, "conversationsredis tests need redis-server (apt-get install redis-server):", err)
		os.Exit(1)
	}
	redisAddr = srv.addr
	code := m.Run()
	srv.stop()
	os.Exit(code)
}

// quietLogger drops go-redis's log lines.
type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}

// redisServer is one redis-server process the tests started.
type redisServer struct {
	cmd  *exec.Cmd
	addr string
	port int
	dir  string
}

// startRedis starts redis-server on 127.0.0.1:port (a free port when 0),
// without persistence, and waits until it answers PING.
func startRedis(port int) (*redisServer, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, err
	}
	if port == 0 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		port = ln.Addr().(*net.TCPAddr).Port
		ln.Close()
	}
	dir, err := os.MkdirTemp("", "conversationsredis-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin,
		"--bind", "127.0.0.1", "--port", strconv.Itoa(port),
		"--save", "", "--appendonly", "no", "--dir", dir,
		"--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning")
	logf, err := os.Create(dir + "/redis.log")
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	defer logf.Close()
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s := &redisServer{cmd: cmd, addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), port: port, dir: dir}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := ping(s.addr); err == nil {
			return s, nil
		} else if time.Now().After(deadline) {
			log, _ := os.ReadFile(dir + "/redis.log")
			s.stop()
			return nil, fmt.Errorf("redis-server on %s did not answer PING: %w\n%s", s.addr, err, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ping sends one inline PING.
func ping(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(time.Second))
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if line != "+PONG\r\n" {
		return fmt.Errorf("PING answered %q", line)
	}
	return nil
}

// stop kills the server and waits for it to exit.
func (s *redisServer) stop() {
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	os.RemoveAll(s.dir)
}

// newRedisClient returns a go-redis client for addr, configured as the
// package doc advises, and closes it when the test ends.
func newRedisClient(t testing.TB, addr string) *redis.Client {
	rdb := redis.NewClient(&redis.Options{
		Addr:                  addr,
		ContextTimeoutEnabled: true,
		DialTimeout:           250 * time.Millisecond,
		DialerRetries:         1,
		MaxRetries:            1,
		PoolSize:              32,
	})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// unique returns a string no earlier test run used, for keys and prefixes:
// the tests share one Redis, also across -count runs.
func unique(t testing.TB) string {
	return fmt.Sprintf("%s-%d", t.Name(), time.Now().UnixNano())
}
