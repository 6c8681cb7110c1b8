package jobqueue

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"liveboard"
	"liveboard/notify"
	"liveboard/shopee"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore"
	"liveboard/sqlstore/sqlstoretest"
	"liveboard/workflow"
)

var ctx = context.Background()

// t0 is 19:00 in Jakarta, on a tick boundary.
var t0 = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

const tick = 30 * time.Second

// recorder is a fake HTTP endpoint that keeps the bodies it received and
// fails the first failFirst requests with 503.
type recorder struct {
	mu        sync.Mutex
	paths     []string
	bodies    [][]byte
	failFirst int
	seen      int
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen++
	if r.seen <= r.failFirst {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		return
	}
	r.paths = append(r.paths, req.URL.Path)
	r.bodies = append(r.bodies, b)
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"ok":true,"result":{}}`)
}

func (r *recorder) received() ([]string, [][]byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.paths...), append([][]byte(nil), r.bodies...)
}

// events collects finished jobs, so a test can wait for one it expects
// whichever client or schedule queued it.
type events struct {
	mu   sync.Mutex
	done []*river.Event
	more chan struct{}
}

func (e *events) collect(ch <-chan *river.Event) {
	for ev := range ch {
		e.mu.Lock()
		e.done = append(e.done, ev)
		close(e.more)
		e.more = make(chan struct{})
		e.mu.Unlock()
	}
}

// wait blocks until match holds for n finished jobs.
func (e *events) wait(t testing.TB, n int, match func(*river.Event) bool) {
	t.Helper()
	e.waitFor(t, 30*time.Second, n, match)
}

// waitFor is wait with a deadline of its own.
func (e *events) waitFor(t testing.TB, within time.Duration, n int,
	match func(*river.Event) bool) {
	t.Helper()
	deadline := time.After(within)
	for {
		e.mu.Lock()
		got := 0
		for _, ev := range e.done {
			if match(ev) {
				got++
			}
		}
		more := e.more
		e.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-more:
		case <-deadline:
			t.Fatalf("waited %v for %d jobs, %d finished", within, n, got)
		}
	}
}

func kindIs(kind string) func(*river.Event) bool {
	return func(ev *river.Event) bool { return ev.Job.Kind == kind }
}

// lookAt matches the look at an account for the tick at.
func lookAt(accountID int64, at time.Time) func(*river.Event) bool {
	return func(ev *river.Event) bool {
		if ev.Job.Kind != (MonitorAccountArgs{}).Kind() {
			return false
		}
		var args MonitorAccountArgs
		_ = json.Unmarshal(ev.Job.EncodedArgs, &args)
		return args.AccountID == accountID && args.At.Equal(at)
	}
}

// live is the whole live path on one engine: simulator, store, monitor,
// deliverer and a running queue, with a webhook and a fake Telegram Bot
// API as the studio's channels.
type live struct {
	clock    *shopeesim.ManualClock
	sim      *shopeesim.Server
	store    *sqlstore.Store
	queue    *Queue
	events   *events
	account  liveboard.Account
	webhook  *recorder
	telegram *recorder
}

func newLive(t *testing.T, e sqlstoretest.Engine, webhookFails int) *live {
	t.Helper()
	l := &live{clock: shopeesim.NewManualClock(t0),
		webhook: &recorder{failFirst: webhookFails}, telegram: &recorder{}}
	l.sim = shopeesim.New(shopeesim.Options{Seed: 9, Clock: l.clock,
		Accounts: 1, LiveNow: -1, HistoryDays: -1})
	simURL := serve(t, l.sim)
	t.Cleanup(l.sim.Close)
	client, err := shopee.New(shopee.Config{BaseURL: simURL,
		AccountRate: -1, HostRate: -1})
	if err != nil {
		t.Fatal(err)
	}

	quiet := slog.New(slog.DiscardHandler)
	opts := sqlstoretest.Options()
	opts.Now, opts.Logger = l.clock.Now, quiet
	l.store = e.Open(t, opts)
	if err := Migrate(ctx, l.store, quiet); err != nil {
		t.Fatal(err)
	}
	l.seed(t)

	syncer := &workflow.Syncer{Store: l.store, Shopee: client,
		Now: l.clock.Now, Logger: quiet}
	l.start(t, syncer, client, quiet)
	return l
}

func serve(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// seed stores a studio with the simulator's account and both channels.
func (l *live) seed(t *testing.T) {
	t.Helper()
	st := &liveboard.Studio{Name: "Studio", Region: liveboard.RegionID}
	if err := l.store.CreateStudio(ctx, st); err != nil {
		t.Fatal(err)
	}
	sa := l.sim.Accounts()[0]
	l.account = liveboard.Account{StudioID: st.ID, Region: sa.Region,
		ShopeeUserID: sa.UserID, UserName: sa.UserName}
	if err := l.store.CreateAccount(ctx, &l.account, sa.Cookie); err != nil {
		t.Fatal(err)
	}

	channels := []struct {
		kind liveboard.ChannelKind
		cfg  liveboard.ChannelConfig
	}{
		{liveboard.ChannelWebhook,
			liveboard.ChannelConfig{URL: serve(t, l.webhook) + "/hook"}},
		{liveboard.ChannelTelegram, liveboard.ChannelConfig{
			BotToken: "123:test-token", ChatID: "-1001"}},
	}
	for _, c := range channels {
		ch := &liveboard.Channel{StudioID: st.ID, Kind: c.kind,
			Name: string(c.kind), Enabled: true}
		if err := l.store.CreateChannel(ctx, ch, c.cfg); err != nil {
			t.Fatal(err)
		}
	}
}

func (l *live) start(t *testing.T, syncer *workflow.Syncer,
	client *shopee.Client, logger *slog.Logger) {
	t.Helper()
	monitor := &workflow.Monitor{Store: l.store, Shopee: client,
		Syncer: syncer, Now: l.clock.Now, Logger: logger}
	deliverer := &workflow.Deliverer{Store: l.store,
		Notifier: &notify.Sender{TelegramURL: serve(t, l.telegram),
			AllowPrivate: true},
		IsPermanent: notify.IsPermanent, Now: l.clock.Now, Logger: logger}

	q, err := New(l.store, syncer, Config{Logger: logger,
		Monitor: monitor, MonitorInterval: tick, Deliverer: deliverer,
		DeliveryBackoff: func(int) time.Duration { return time.Millisecond },
		PollInterval:    10 * time.Millisecond, testOnly: true,
		manualTicks: true})
	if err != nil {
		t.Fatal(err)
	}
	l.queue = q

	ch, cancel := q.Subscribe()
	l.events = &events{more: make(chan struct{})}
	go l.events.collect(ch)
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, done := context.WithTimeout(ctx, 10*time.Second)
		defer done()
		if err := q.Stop(stop); err != nil {
			t.Error(err)
		}
		cancel()
	})

	// The daily sync runs when the queue starts; let it finish first.
	l.events.wait(t, 1, kindIs((AccountSyncArgs{}).Kind()))
}

// tickAt moves the clock to at and works the tick there.
func (l *live) tickAt(t *testing.T, at time.Time) {
	t.Helper()
	l.clock.Set(at)
	if err := l.queue.EnqueueMonitorTick(ctx, at); err != nil {
		t.Fatal(err)
	}
	l.events.wait(t, 1, lookAt(l.account.ID, at))
}

// dropSession adds a session that has run 30 minutes at t0 and loses
// half its viewers over two minutes from minute 33.
func (l *live) dropSession(drops bool) int64 {
	spec := shopeesim.SessionSpec{Start: t0.Add(-30 * time.Minute),
		Duration: 2 * time.Hour, PeakViewers: 2000}
	if drops {
		spec.Drops = []shopeesim.Drop{{At: 33 * time.Minute, Factor: 0.5,
			Over: 2 * time.Minute}}
	}
	return l.sim.AddSession(l.sim.Accounts()[0].UserID, spec)
}

// TestViewerDropAlertsOnceEverywhere drives a session whose viewers fall
// by half in two minutes through ticks of the running queue: exactly one
// alert lands in the inbox, on the webhook (after it recovers from being
// down) and on Telegram, with the figures that fired it.
func TestViewerDropAlertsOnceEverywhere(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		l := newLive(t, e, 1)
		id := l.dropSession(true)
		for i := range 16 {
			l.tickAt(t, t0.Add(time.Duration(i)*tick))
		}
		l.events.wait(t, 2, kindIs((AlertDeliveryArgs{}).Kind()))

		alerts, total, err := l.store.Alerts(ctx, liveboard.AlertFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 || alerts[0].Rule != liveboard.RuleViewerDrop {
			t.Fatalf("inbox holds %d alerts (%+v), want one viewer drop",
				total, alerts)
		}
		a := alerts[0]
		checkEvidence(t, l.sim, id, a.Evidence)
		for _, d := range a.Deliveries {
			if d.Status != liveboard.DeliverySent {
				t.Errorf("delivery to %s: %s (%s)", d.ChannelKind, d.Status,
					d.LastError)
			}
		}

		checkWebhook(t, l.webhook, a, l.account.Region)
		checkTelegram(t, l.telegram, a, l.account.Region)
	})
}

// checkEvidence compares an alert's figures with the simulator's truth.
func checkEvidence(t *testing.T, sim *shopeesim.Server, id int64,
	ev liveboard.Evidence) {
	t.Helper()
	level, _ := sim.Truth(id, *ev.LevelAt)
	now, _ := sim.Truth(id, *ev.ViewersAt)
	if *ev.Level != level.Metrics.CCU || *ev.Viewers != now.Metrics.CCU {
		t.Errorf("evidence %d at %v -> %d at %v; truth %d -> %d",
			*ev.Level, ev.LevelAt, *ev.Viewers, ev.ViewersAt,
			level.Metrics.CCU, now.Metrics.CCU)
	}
	want := float64(level.Metrics.CCU-now.Metrics.CCU) /
		float64(level.Metrics.CCU) * 100
	if d := *ev.DropPercent - want; d < -0.05 || d > 0.05 || want < 30 {
		t.Errorf("drop %.1f%%, truth %.2f%%", *ev.DropPercent, want)
	}
}

func checkWebhook(t *testing.T, r *recorder, a liveboard.Alert,
	region liveboard.Region) {
	t.Helper()
	_, bodies := r.received()
	if len(bodies) != 1 {
		t.Fatalf("webhook received %d alerts, want 1", len(bodies))
	}
	var p notify.Payload
	if err := json.Unmarshal(bodies[0], &p); err != nil {
		t.Fatal(err)
	}
	ev := p.Alert.Evidence
	// Times as the API shows them: in the account's zone, to the second.
	zone := region.Location()
	if p.Alert.ID != a.ID || p.Test || *ev.Level != *a.Evidence.Level ||
		*ev.Viewers != *a.Evidence.Viewers ||
		*ev.DropPercent != *a.Evidence.DropPercent ||
		*ev.ViewersAt != a.Evidence.ViewersAt.In(zone).Format(time.RFC3339) ||
		p.Alert.FiredAt != a.FiredAt.In(zone).Format(time.RFC3339) ||
		p.Alert.SessionID != a.ShopeeSessionID ||
		p.Alert.LiveSessionID == nil || *p.Alert.LiveSessionID != a.SessionID {
		t.Errorf("webhook payload %s does not carry alert %+v", bodies[0], a)
	}
}

func checkTelegram(t *testing.T, r *recorder, a liveboard.Alert,
	region liveboard.Region) {
	t.Helper()
	paths, bodies := r.received()
	if len(bodies) != 1 || paths[0] != "/bot123:test-token/sendMessage" {
		t.Fatalf("Telegram received %d messages at %v, want 1", len(bodies),
			paths)
	}
	var msg struct {
		ChatID string `json:"chat_id"`
		Text   string `json:"text"`
	}
	if err := json.Unmarshal(bodies[0], &msg); err != nil {
		t.Fatal(err)
	}
	ev := a.Evidence
	for _, want := range []string{
		fmt.Sprintf("from %d", *ev.Level), fmt.Sprintf("to %d", *ev.Viewers),
		fmt.Sprintf("%.1f%%", *ev.DropPercent),
		"Fired " + a.FiredAt.In(region.Location()).Format("2006-01-02 15:04:05"),
	} {
		if msg.ChatID != "-1001" || !strings.Contains(msg.Text, want) {
			t.Errorf("Telegram message %q to %s lacks %q", msg.Text,
				msg.ChatID, want)
		}
	}
}

// TestMissingFiguresRaiseNoAlert runs a steady session through ticks of
// the running queue, one failing with 503 and one answering null
// figures: no alert fires and nothing is sent.
func TestMissingFiguresRaiseNoAlert(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		l := newLive(t, e, 0)
		l.dropSession(false)
		faults := map[int]shopeesim.FaultKind{3: shopeesim.Error503,
			6: shopeesim.NullMetrics}
		for i := range 10 {
			if kind, ok := faults[i]; ok {
				l.sim.SetFaults(shopeesim.EndpointOverview, shopeesim.Faults{
					Rate: 1, Kinds: []shopeesim.FaultKind{kind}})
			}
			l.tickAt(t, t0.Add(time.Duration(i)*tick))
			l.sim.ClearFaults()
		}

		_, total, err := l.store.Alerts(ctx, liveboard.AlertFilter{})
		if err != nil || total != 0 {
			t.Errorf("inbox holds %d alerts, %v; want none", total, err)
		}
		if _, b := l.webhook.received(); len(b) != 0 {
			t.Errorf("webhook received %d alerts", len(b))
		}
		if _, b := l.telegram.received(); len(b) != 0 {
			t.Errorf("Telegram received %d messages", len(b))
		}
	})
}

func TestLooksAreUniquePerAccountAndTick(t *testing.T) {
	e := sqlstoretest.Engines(t)[0]
	l := newLive(t, e, 0)
	at := t0.Add(tick)
	l.tickAt(t, at)

	for _, args := range []river.JobArgs{
		MonitorAccountArgs{AccountID: l.account.ID, At: at},
		MonitorTickArgs{At: at},
	} {
		res, err := l.queue.client.Insert(ctx, args, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !res.UniqueSkippedAsDuplicate {
			t.Errorf("%s for a finished tick was queued again", args.Kind())
		}
	}
}

func TestStaleLookIsSkipped(t *testing.T) {
	l := newLive(t, sqlstoretest.Engines(t)[0], 0)
	l.dropSession(false)
	l.clock.Set(t0.Add(2 * tick))
	l.sim.ResetCalls()

	_, err := l.queue.client.Insert(ctx,
		MonitorAccountArgs{AccountID: l.account.ID, At: t0}, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.events.wait(t, 1, lookAt(l.account.ID, t0))
	if calls := l.sim.Calls(); len(calls) != 0 {
		t.Errorf("a look for a past tick called Shopee: %v", calls)
	}
}

func TestDeliveryBackoff(t *testing.T) {
	want := []time.Duration{10 * time.Second, 20 * time.Second,
		40 * time.Second}
	for i, w := range want {
		if got := deliveryBackoff(i + 1); got != w {
			t.Errorf("attempt %d: %v, want %v", i+1, got, w)
		}
	}
	if got := deliveryBackoff(30); got != time.Hour {
		t.Errorf("attempt 30: %v, want an hour", got)
	}
}
