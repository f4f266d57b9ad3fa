package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/conversations-go/conversations/conversationstest"
	"github.com/conversations-go/conversations/internal/listenurl"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		// After the first signal starts the graceful shutdown, a second one
		// ends the process at once (the default action).
		<-ctx.Done()
		stop()
	}()
	err := run(ctx, os.Args[1:], os.Stderr, os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "conversations-emulator:", err)
		os.Exit(2)
	}
}

// envPrefix prefixes the environment variable of every flag:
// -account-sid is CONVERSATIONS_EMULATOR_ACCOUNT_SID.
const envPrefix = "CONVERSATIONS_EMULATOR_"

// envName is the environment variable that sets the flag name.
func envName(name string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// config is what the flags and environment say.
type config struct {
	addr           string
	publicURL      string
	accountSID     string
	authToken      string
	webhookHosts   string
	webhookTimeout time.Duration
	stateFile      string
	saveState      bool
	clock          string
	startTime      string
	shutdownWait   time.Duration
	history        int
	writeLimits    bool
	streamsURL     string
	streamsTypes   string
	streamsBatch   int
	streamsRedo    int
	streamsReorder bool
}

// parseConfig reads the flags in args; a flag not given takes its
// environment variable, if set, else its default. -h prints the usage
// (flag.ErrHelp).
func parseConfig(args []string, stderr io.Writer, getenv func(string) string) (*config, error) {
	cfg := &config{}
	fset := flag.NewFlagSet("conversations-emulator", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.StringVar(&cfg.addr, "addr", "127.0.0.1:4010", "`host:port` to listen on (port 0: any free port)")
	fset.StringVar(&cfg.publicURL, "public-url", "", "base `URL` clients reach the emulator at, written into every url, links and next_page_url (default: http:// plus the address it listens on)")
	fset.StringVar(&cfg.accountSID, "account-sid", conversationstest.DefaultAccountSID, "Account `SID` accepted as the Basic auth username and put in account_sid")
	fset.StringVar(&cfg.authToken, "auth-token", conversationstest.DefaultAuthToken, "Auth `token` accepted as the Basic auth password and used to sign webhooks")
	fset.StringVar(&cfg.webhookHosts, "webhook-hosts", "", "comma-separated `hosts` webhooks may be sent to besides loopback (127.0.0.0/8, ::1, localhost)")
	fset.DurationVar(&cfg.webhookTimeout, "webhook-timeout", conversationstest.DefaultWebhookTimeout, "how long to wait for a webhook's answer")
	fset.StringVar(&cfg.stateFile, "state", "", "JSON state `file` to load at start (seed data; see docs/emulator.md)")
	fset.BoolVar(&cfg.saveState, "save-state", false, "save the state to the -state file at exit (created if missing)")
	fset.StringVar(&cfg.clock, "clock", "real", "clock `mode`: real (wall clock) or manual (moves only with POST /_emulator/clock/advance)")
	fset.StringVar(&cfg.startTime, "start-time", "", "RFC 3339 `time` the manual clock starts at (default: now)")
	fset.StringVar(&cfg.streamsURL, "event-streams-url", "", "Event Streams webhook sink `URL`: the emulator delivers signed CloudEvents batches there (loopback or -webhook-hosts)")
	fset.StringVar(&cfg.streamsTypes, "event-streams-types", "", "comma-separated Event Streams `types` subscribed (default: every Conversations type)")
	fset.IntVar(&cfg.streamsBatch, "event-streams-batch-size", conversationstest.DefaultStreamBatchSize, "most Event Streams events per request")
	fset.IntVar(&cfg.streamsRedo, "event-streams-redeliver", 0, "deliver every Event Streams event this many more times (at-least-once duplicates)")
	fset.BoolVar(&cfg.streamsReorder, "event-streams-reorder", false, "shuffle each Event Streams delivery round (no order guarantee)")
	fset.BoolVar(&cfg.writeLimits, "write-limits", false, "enforce Twilio's 30 writes per second per conversation and per service (429, code 20429)")
	fset.IntVar(&cfg.history, "request-history", 1000, "how many recent requests, webhook deliveries and Event Streams events and deliveries the emulator keeps, each (memory stays bounded)")
	fset.DurationVar(&cfg.shutdownWait, "shutdown-timeout", 10*time.Second, "how long to wait for requests in flight at SIGINT/SIGTERM")
	fset.Usage = func() {
		fmt.Fprintf(fset.Output(), "Usage: conversations-emulator [flags]\n\n"+
			"Serves the Twilio Conversations API fake (package conversationstest) over HTTP,\n"+
			"with a control plane under %s/. Every flag can also be set by its environment\n"+
			"variable (shown in brackets); a flag on the command line wins.\n\n", conversationstest.ControlPrefix)
		fset.VisitAll(func(f *flag.Flag) { f.Usage += " [" + envName(f.Name) + "]" })
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return nil, err
	}
	if fset.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q (flags only)", fset.Args())
	}
	given := map[string]bool{}
	fset.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fset.VisitAll(func(f *flag.Flag) {
		if v := getenv(envName(f.Name)); v != "" && !given[f.Name] && err == nil {
			if serr := f.Value.Set(v); serr != nil {
				err = fmt.Errorf("%s: %v", envName(f.Name), serr)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	if cfg.clock != "real" && cfg.clock != "manual" {
		return nil, fmt.Errorf("-clock %q is not real or manual", cfg.clock)
	}
	if cfg.startTime != "" && cfg.clock != "manual" {
		return nil, errors.New("-start-time needs -clock manual")
	}
	if cfg.streamsURL == "" && (cfg.streamsTypes != "" || cfg.streamsRedo != 0 || cfg.streamsReorder) {
		return nil, errors.New("-event-streams-types, -redeliver and -reorder need -event-streams-url")
	}
	if cfg.streamsBatch < 1 || cfg.streamsRedo < 0 {
		return nil, errors.New("-event-streams-batch-size must be 1 or more and -event-streams-redeliver 0 or more")
	}
	if cfg.history < 0 {
		return nil, fmt.Errorf("-request-history %d is negative", cfg.history)
	}
	if cfg.saveState && cfg.stateFile == "" {
		return nil, errors.New("-save-state needs a -state file")
	}
	return cfg, nil
}

// emulator is the fake served on a listener.
type emulator struct {
	cfg *config
	log *slog.Logger
	ln  net.Listener
	srv *conversationstest.Server
	hs  *http.Server
}

// start loads the state and listens; serve then serves until ctx ends.
func start(cfg *config, logger *slog.Logger) (*emulator, error) {
	opts := []conversationstest.Option{
		conversationstest.WithCredentials(cfg.accountSID, cfg.authToken),
		conversationstest.WithWebhookTimeout(cfg.webhookTimeout),
		conversationstest.WithRequestHistory(cfg.history),
	}
	for _, h := range strings.Split(cfg.webhookHosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			opts = append(opts, conversationstest.WithWebhookHosts(h))
		}
	}
	if cfg.writeLimits {
		opts = append(opts, conversationstest.WithWriteLimits())
	}
	if cfg.streamsURL != "" {
		sink := conversationstest.EventStreamsSink{
			URL: cfg.streamsURL, BatchSize: cfg.streamsBatch, Redeliver: cfg.streamsRedo,
			Reorder: cfg.streamsReorder, Seed: uint64(time.Now().UnixNano()),
		}
		for _, t := range strings.Split(cfg.streamsTypes, ",") {
			if t = strings.TrimSpace(t); t != "" {
				sink.Types = append(sink.Types, t)
			}
		}
		opts = append(opts, conversationstest.WithEventStreams(sink))
	}
	if cfg.clock == "manual" {
		at := time.Now()
		if cfg.startTime != "" {
			t, err := time.Parse(time.RFC3339, cfg.startTime)
			if err != nil {
				return nil, fmt.Errorf("-start-time: %v", err)
			}
			at = t
		}
		opts = append(opts, conversationstest.WithManualClock(at))
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return nil, err
	}
	public := cfg.publicURL
	if public == "" {
		public = listenurl.Of(ln.Addr())
	}
	srv, err := conversationstest.NewHandler(append(opts, conversationstest.WithPublicBaseURL(public))...)
	if err != nil {
		ln.Close()
		return nil, err
	}
	e := &emulator{cfg: cfg, log: logger, ln: ln, srv: srv}
	if cfg.stateFile != "" {
		if err := e.load(); err != nil {
			ln.Close()
			srv.Close()
			return nil, err
		}
	}
	e.hs = &http.Server{
		Handler:           e.logRequests(e.route()),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelError),
	}
	// The listener queues connections from here on: clients may connect
	// as soon as they read this line.
	e.log.Info("listening", "addr", e.ln.Addr().String(), "url", e.srv.URL,
		"account_sid", e.srv.AccountSID, "clock", e.cfg.clock, "now", e.srv.Now().Format(time.RFC3339))
	return e, nil
}

// load reads the -state file; a missing file is an empty start when
// -save-state will create it.
func (e *emulator) load() error {
	f, err := os.Open(e.cfg.stateFile)
	if errors.Is(err, fs.ErrNotExist) && e.cfg.saveState {
		e.log.Info("state file not found; starting empty", "state", e.cfg.stateFile)
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	if err := e.srv.LoadState(f); err != nil {
		return fmt.Errorf("%s: %w", e.cfg.stateFile, err)
	}
	e.log.Info("state loaded", "state", e.cfg.stateFile)
	return nil
}

// save writes the state to the -state file through a temporary file, so a
// crash never leaves half a file.
func (e *emulator) save() error {
	dir := filepath.Dir(e.cfg.stateFile)
	tmp, err := os.CreateTemp(dir, ".conversations-emulator-state-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := e.srv.SaveState(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), e.cfg.stateFile)
}

// route sends the control plane's paths to it and everything else to the
// fake (v1, media, and whatever else the fake serves).
func (e *emulator) route() http.Handler {
	control := e.srv.ControlPlane()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == conversationstest.ControlPrefix || strings.HasPrefix(r.URL.Path, conversationstest.ControlPrefix+"/") {
			control.ServeHTTP(w, r)
			return
		}
		e.srv.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status and size of an answer.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs one line per request: method, path (no query: it may
// carry page tokens, never credentials, but stays short), status, size and
// duration. Headers, Authorization included, are never logged.
func (e *emulator) logRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		began := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", sw.status),
			slog.Int64("bytes", sw.bytes),
			slog.Float64("ms", float64(time.Since(began).Microseconds())/1000),
		}
		if id := sw.Header().Get("Twilio-Request-Id"); id != "" {
			attrs = append(attrs, slog.String("request_id", id))
		}
		e.log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}

// serve serves until ctx ends, then shuts down gracefully: no new
// connections, requests in flight finish (up to -shutdown-timeout),
// webhooks in flight are cancelled, and the state is saved if asked.
func (e *emulator) serve(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- e.hs.Serve(e.ln) }()
	var serveErr error
	select {
	case serveErr = <-errc:
	case <-ctx.Done():
		e.log.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), e.cfg.shutdownWait)
		serveErr = e.hs.Shutdown(sctx)
		cancel()
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) && serveErr == nil {
			serveErr = err
		}
	}
	e.srv.Close()
	if e.cfg.saveState {
		if err := e.save(); err != nil {
			return errors.Join(serveErr, fmt.Errorf("saving state: %w", err))
		}
		e.log.Info("state saved", "state", e.cfg.stateFile)
	}
	e.log.Info("stopped")
	return serveErr
}

// run is main without the process: flags from args, logs to stderr, until
// ctx ends.
func run(ctx context.Context, args []string, stderr io.Writer, getenv func(string) string) error {
	cfg, err := parseConfig(args, stderr, getenv)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	e, err := start(cfg, logger)
	if err != nil {
		return err
	}
	return e.serve(ctx)
}
