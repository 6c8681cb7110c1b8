package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// apiSession is the part of a LiveSession the demo test compares.
type apiSession struct {
	ID           json.Number `json:"id"`
	SessionID    string      `json:"session_id"`
	Account      json.Number `json:"shopee_account_id"`
	Status       string      `json:"status"`
	SyncedAt     string      `json:"synced_at"`
	TotalViewers json.Number `json:"total_viewers"`
	TotalOrders  json.Number `json:"total_orders"`
	TotalRevenue json.Number `json:"total_revenue"`
	Comments     json.Number `json:"total_comments"`
	Likes        json.Number `json:"total_likes"`
	Shares       json.Number `json:"total_shares"`
	ViewersNow   json.Number `json:"viewers_now"`
	PeakViewers  json.Number `json:"peak_viewers"`
}

// simTruth is the simulator's ground truth for a session.
type simTruth struct {
	Live    bool `json:"live"`
	Metrics struct {
		CCU          json.Number `json:"ccu"`
		PCU          json.Number `json:"pcu"`
		Viewers      json.Number `json:"viewers"`
		PlacedOrders json.Number `json:"placed_orders"`
		PlacedGMV    json.Number `json:"placed_gmv"`
		Comments     json.Number `json:"comments"`
		Likes        json.Number `json:"likes"`
		Shares       json.Number `json:"shares"`
	} `json:"metrics"`
}

// differsFrom tells how the session differs from the truth, or "".
func (s apiSession) differsFrom(tr simTruth) string {
	m := tr.Metrics
	ccu := m.CCU
	if !tr.Live {
		ccu = "0"
	}
	pairs := []struct {
		name      string
		got, want json.Number
	}{
		{"total_viewers", s.TotalViewers, m.Viewers},
		{"total_orders", s.TotalOrders, m.PlacedOrders},
		{"total_revenue", s.TotalRevenue, m.PlacedGMV},
		{"total_comments", s.Comments, m.Comments},
		{"total_likes", s.Likes, m.Likes},
		{"total_shares", s.Shares, m.Shares},
		{"viewers_now", s.ViewersNow, ccu},
		{"peak_viewers", s.PeakViewers, m.PCU},
	}
	var diffs []string
	for _, p := range pairs {
		if p.got != p.want {
			diffs = append(diffs, p.name+"="+p.got.String()+
				" want "+p.want.String())
		}
	}
	return strings.Join(diffs, ", ")
}

type demo struct {
	api, sim, key string
	stdout        *syncBuffer
}

// startDemo runs `liveboard demo` in-process on free ports and waits for
// its banner.
func startDemo(t *testing.T) *demo {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errs := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--data", t.TempDir(), "--log-level",
			"warn", "demo", "--addr", "127.0.0.1:0"}, out, errs)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("demo ended with %v\n%s", err, errs.String())
			}
		case <-time.After(20 * time.Second):
			t.Error("demo did not stop within 20 s of Ctrl-C")
		}
	})

	m := waitFor(t, out, regexp.MustCompile(
		`API:\s+(\S+)\n\s+API key:\s+(\S+)\n.*\n\s+Simulator:\s+(\S+)`),
		30*time.Second)
	return &demo{api: m[1], key: m[2], sim: m[3], stdout: out}
}

// sessions polls the API until the first sync of every account of
// studio 1 has ended, then returns the studio's sessions.
func (d *demo) sessions(t *testing.T, within time.Duration) []apiSession {
	t.Helper()
	deadline := time.Now().Add(within)
	for !d.synced(t) {
		if time.Now().After(deadline) {
			t.Fatalf("the first sync did not end within %v", within)
		}
		time.Sleep(200 * time.Millisecond)
	}

	var page struct {
		Data struct {
			Sessions []apiSession `json:"sessions"`
		} `json:"data"`
	}
	getJSON(t, d.api+"/sessions?studio_id=1&page_size=500", d.key, &page)
	return page.Data.Sessions
}

// synced reports whether every account of studio 1 has been synced.
func (d *demo) synced(t *testing.T) bool {
	t.Helper()
	var accounts struct {
		Data struct {
			Accounts []struct {
				LastSuccessAt *string `json:"last_success_at"`
			} `json:"accounts"`
		} `json:"data"`
	}
	getJSON(t, d.api+"/accounts?studio_id=1", d.key, &accounts)
	for _, a := range accounts.Data.Accounts {
		if a.LastSuccessAt == nil {
			return false
		}
	}
	return len(accounts.Data.Accounts) > 0
}

func TestDemoServesGroundTruth(t *testing.T) {
	start := time.Now()
	d := startDemo(t)
	list := d.sessions(t, 60*time.Second)
	t.Logf("first sessions served %v after start", time.Since(start).Round(
		time.Millisecond))

	live := 0
	for _, s := range list {
		if s.Status == "ongoing" {
			live++
		}
		// The metrics must be the simulator's at the moment they were
		// read. Simulated values step every 5 s, and the read may have
		// been answered just after a step began.
		at, err := time.Parse(time.RFC3339, s.SyncedAt)
		if err != nil {
			t.Fatal(err)
		}
		diff := ""
		for _, when := range []time.Time{at, at.Add(5 * time.Second)} {
			var tr simTruth
			getJSON(t, d.sim+"/_sim/truth?session_id="+s.SessionID+
				"&at="+url.QueryEscape(when.Format(time.RFC3339)), "", &tr)
			if diff = s.differsFrom(tr); diff == "" {
				break
			}
		}
		if diff != "" {
			t.Errorf("session %s differs from the truth: %s",
				s.SessionID, diff)
		}
	}
	if live == 0 || len(list) < 10 {
		t.Errorf("demo served %d sessions, %d live; want a studio's month",
			len(list), live)
	}
}

func TestReadmeExamples(t *testing.T) {
	d := startDemo(t)
	list := d.sessions(t, 60*time.Second)

	var accounts []struct {
		Cookie string `json:"cookie"`
	}
	getJSON(t, d.sim+"/_sim/accounts", "", &accounts)
	if len(accounts) == 0 {
		t.Fatal("simulator lists no accounts")
	}

	env := append(os.Environ(), "LB="+d.api, "KEY="+d.key,
		"SESSION="+list[0].SessionID, "SIM="+d.sim)
	cookie := readmeCookie(t, env)
	if cookie != accounts[0].Cookie {
		t.Errorf("the README's COOKIE= line gives %.20q…, want the "+
			"simulator's first account's cookie", cookie)
	}
	env = append(env, "COOKIE="+accounts[0].Cookie)
	examples := readmeCurls(t)
	if len(examples) < 8 {
		t.Fatalf("found %d curl examples in README.md", len(examples))
	}
	for _, cmd := range examples {
		c := exec.Command("sh", "-c", cmd)
		c.Env = env
		out, err := c.CombinedOutput()
		if strings.Contains(cmd, "/live/stream") {
			checkStream(t, cmd, out, err)
			continue
		}
		if err != nil {
			t.Errorf("%s: %v\n%s", cmd, err, out)
			continue
		}
		if strings.Contains(cmd, "$SIM/_sim/") {
			// The simulator's own views answer bare JSON.
			want := `"session_id":`
			if strings.Contains(cmd, "/_sim/truth") {
				want += list[0].SessionID
			}
			if !strings.Contains(string(out), want) {
				t.Errorf("%s answered:\n%.500s", cmd, out)
			}
			continue
		}
		if !strings.Contains(string(out), `"status":"success"`) {
			t.Errorf("%s answered:\n%s", cmd, out)
		}
	}
}

// checkStream checks the output of a curl of the live stream, which ends
// only when curl's --max-time does (exit status 28).
func checkStream(t *testing.T, cmd string, out []byte, err error) {
	t.Helper()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 28 {
		t.Errorf("%s: %v, want curl's time-out (28)\n%s", cmd, err, out)
	}
	if !strings.Contains(string(out), "event: snapshot\ndata: {") {
		t.Errorf("%s sent no snapshot:\n%.500s", cmd, out)
	}
}

// readmeCookie runs the README's COOKIE= line and returns what it set.
func readmeCookie(t *testing.T, env []string) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`(?m)^COOKIE=.*$`).Find(readme)
	if line == nil {
		t.Fatal("README.md sets no COOKIE")
	}
	c := exec.Command("sh", "-c", string(line)+`; printf %s "$COOKIE"`)
	c.Env = env
	out, err := c.Output()
	if err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	return string(out)
}

// readmeCurls returns the curl commands of the README's shell blocks,
// continuation lines joined.
func readmeCurls(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	var cmds []string
	var cur strings.Builder
	inShell := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "```sh"):
			inShell = true
			continue
		case strings.HasPrefix(line, "```"):
			inShell = false
			continue
		}
		if !inShell {
			continue
		}
		if cur.Len() == 0 && !strings.HasPrefix(line, "curl ") {
			continue
		}
		text, more := strings.CutSuffix(line, "\\")
		cur.WriteString(text)
		if !more {
			cmds = append(cmds, cur.String())
			cur.Reset()
		}
	}
	if err := sc.Err(); err != nil && !errors.Is(err, os.ErrClosed) {
		t.Fatal(err)
	}
	return cmds
}
