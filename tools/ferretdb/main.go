// Command ferretdb-launcher serves the MongoDB wire protocol on a TCP address with FerretDB's SQLite
// backend, for local development and tests (MongoDB itself cannot be installed on these machines).
//
// It imports the embeddable package because `go install .../cmd/ferretdb` builds a binary that panics
// at start for want of a generated version file. It prints "READY <uri>" once it accepts connections
// and exits when it receives SIGINT/SIGTERM or when its standard input closes (so it never outlives
// the Node process that started it, even after a kill -9).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	addr := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data-dir", "./.data/ferretdb", "directory for the SQLite databases")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	watchStdin := flag.Bool("watch-stdin", true, "exit when standard input is closed")
	// WAL with synchronous=NORMAL survives a crash of any process (what tests do to it); only an OS crash
	// or power loss can lose the last commits. FULL (SQLite's WAL default) fsyncs every commit and caps
	// concurrent writes at a few dozen per second here.
	synchronous := flag.String("synchronous", "normal", "SQLite synchronous pragma: off, normal or full")
	flag.Parse()

	switch *synchronous {
	case "off", "normal", "full":
	default:
		fail("invalid -synchronous %q", *synchronous)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail("invalid -log-level: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	dir, err := filepath.Abs(*dataDir)
	if err != nil {
		fail("invalid -data-dir: %v", err)
	}
	if err = os.MkdirAll(dir, 0o755); err != nil {
		fail("cannot create data directory: %v", err)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *addr},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/?_pragma=synchronous(" + *synchronous + ")",
	})
	if err != nil {
		fail("cannot start FerretDB: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if *watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	if err = waitListening(ctx, *addr, done); err != nil {
		fail("FerretDB did not start: %v", err)
	}
	fmt.Printf("READY mongodb://%s/\n", *addr)

	if err = <-done; err != nil && ctx.Err() == nil {
		fail("FerretDB stopped: %v", err)
	}
}

// waitListening dials addr until it accepts a connection, Run fails, or 30 s pass.
func waitListening(ctx context.Context, addr string, done <-chan error) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			return fmt.Errorf("run returned early: %v", err)
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			_ = conn.Close()
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("timed out waiting for %s", addr)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ferretdb-launcher: "+format+"\n", args...)
	os.Exit(1)
}
