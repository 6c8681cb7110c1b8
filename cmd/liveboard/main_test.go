package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// mainEnv, when set, makes the test binary run the liveboard command with
// the arguments in the variable (JSON) instead of the tests, so tests can
// run the real program as a process of its own and kill it.
const mainEnv = "LIVEBOARD_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if argsJSON := os.Getenv(mainEnv); argsJSON != "" {
		var args []string
		if err := json.Unmarshal([]byte(argsJSON), &args); err != nil {
			fmt.Fprintln(os.Stderr, "bad", mainEnv, err)
			os.Exit(2)
		}
		if err := run(context.Background(), args, os.Stdout,
			os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "liveboard:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// syncBuffer is a bytes.Buffer safe to write from one goroutine while
// another reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor polls until find matches the buffer's text or the deadline
// passes, and returns the submatches.
func waitFor(t *testing.T, b *syncBuffer, re *regexp.Regexp,
	within time.Duration) []string {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(b.String()); m != nil {
			return m
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %q within %v in:\n%s", re, within, b.String())
	return nil
}

// getJSON fetches url with the key and decodes the success envelope's
// data into v, numbers kept exact.
func getJSON(t *testing.T, url, key string, v any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s: %s", url, res.Status, body)
	}
	decodeExact(t, body, v)
}

func decodeExact(t *testing.T, body []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode %s: %v", strings.TrimSpace(string(body)), err)
	}
}

func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
