package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chrome is a headless Chromium tab on the dashboard, which notes every
// console error, uncaught exception and failed load of the pages it
// opens.
type chrome struct {
	t   *testing.T
	h   *harness
	ctx context.Context

	mu       sync.Mutex
	problems []string
}

// newChrome starts the browser named by LIVEBOARD_TEST_CHROMIUM, or
// skips the test when it is unset. It fails the test at the end if a
// page had console errors.
func newChrome(t *testing.T, h *harness) *chrome {
	t.Helper()
	path := os.Getenv("LIVEBOARD_TEST_CHROMIUM")
	if path == "" {
		t.Skip("browser tests need LIVEBOARD_TEST_CHROMIUM set to a " +
			"Chromium binary, such as /usr/bin/chromium")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1000, 800),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		opts...)
	c := &chrome{t: t, h: h}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(c.listen))
	ctx, cancelTime := context.WithTimeout(ctx, 60*time.Second)
	c.ctx = ctx
	t.Cleanup(func() {
		cancelTime()
		cancel()
		cancelAlloc()
	})
	t.Cleanup(c.checkConsole)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return c
}

// listen notes what went wrong on a page; it runs on the browser's
// reading goroutine, so it only records.
func (c *chrome) listen(ev any) {
	var problem string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError {
			problem = "console error: " + describeArgs(ev.Args)
		}
	case *runtime.EventExceptionThrown:
		problem = "exception: " + ev.ExceptionDetails.Text
		if e := ev.ExceptionDetails.Exception; e != nil {
			problem += " " + e.Description
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			problem = "browser log: " + ev.Entry.Text + " " + ev.Entry.URL
		}
	case *network.EventLoadingFailed:
		// Leaving a page cancels its event stream; that is no failure.
		if !ev.Canceled {
			problem = "load failed: " + ev.ErrorText
		}
	}
	if problem != "" {
		c.mu.Lock()
		c.problems = append(c.problems, problem)
		c.mu.Unlock()
	}
}

func describeArgs(args []*runtime.RemoteObject) string {
	var parts []string
	for _, a := range args {
		if a.Description != "" {
			parts = append(parts, a.Description)
		} else {
			parts = append(parts, string(a.Value))
		}
	}
	return strings.Join(parts, " ")
}

func (c *chrome) checkConsole() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range c.problems {
		c.t.Errorf("the browser reported a problem: %s", p)
	}
}

// do runs actions, failing the test when one fails.
func (c *chrome) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	if err := chromedp.Do(c.ctx, actions...); err != nil {
		c.screenshot("failed")
		c.t.Fatalf("%s: %v", what, err)
	}
}

// eval returns what a script expression evaluates to.
func eval[T any](c *chrome, expr string) T {
	c.t.Helper()
	v, err := chromedp.Run(c.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		c.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// signIn opens the sign-in page and signs in; the dashboard then shows
// the live wall.
func (c *chrome) signIn(email string) {
	c.t.Helper()
	c.do("sign in",
		chromedp.Navigate(c.h.url+"/signin"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SetValue(chromedp.CSS("#email"), email),
		chromedp.SetValue(chromedp.CSS("#password"), thePassword),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("form.signout")))
}

// screenshot saves the whole page as a PNG under the test output folder:
// $LIVEBOARD_TEST_OUTPUT, or testoutput/ beside the tests (git ignores
// both).
func (c *chrome) screenshot(name string) {
	c.t.Helper()
	png, err := chromedp.Run(c.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		c.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	dir := os.Getenv("LIVEBOARD_TEST_OUTPUT")
	if dir == "" {
		dir = "testoutput"
	}
	dir = filepath.Join(dir, "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		c.t.Fatal(err)
	}
	file := filepath.Join(dir, fmt.Sprintf("%s-%s.png",
		strings.ReplaceAll(c.t.Name(), "/", "_"), name))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		c.t.Fatal(err)
	}
	c.t.Logf("screenshot: %s", file)
}
