package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"liveboard"
	"liveboard/shopee"
	"liveboard/workflow"
)

// syncCmd runs the daily sync once, in this process.
type syncCmd struct {
	SyncLookback time.Duration `name:"sync-lookback" env:"LIVEBOARD_SYNC_LOOKBACK" default:"720h" help:"How far back sessions are synced."`
	Quiet        bool          `name:"quiet" short:"q" help:"No progress bar."`
}

func (c *syncCmd) Run(env *environment) error {
	logger := env.logger()
	logConfig(logger, env.globals, []any{"sync_lookback", c.SyncLookback},
		env.upstream.logAttrs(env.shopeeConfig(env.ShopeeBaseURL)))

	st, err := env.openStore(logger, env.databaseURL())
	if err != nil {
		return err
	}
	defer st.Close()

	if err := env.upstream.check(); err != nil {
		return err
	}
	client, err := shopee.New(env.shopeeConfig(env.ShopeeBaseURL))
	if err != nil {
		return err
	}
	syncer := &workflow.Syncer{Store: st, Shopee: client,
		Lookback: c.SyncLookback, Logger: logger, Products: client}

	// The bar is drawn only on a terminal: in a log file its frames
	// would be noise.
	show := !c.Quiet && isTerminal(env.stderr)
	var progress workflow.Progress
	bar := progressbar.NewOptions(0,
		progressbar.OptionSetWriter(env.stderr),
		progressbar.OptionSetDescription("syncing sessions"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetVisibility(show),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionClearOnFinish())
	if show {
		progress = &barProgress{bar: bar}
	}

	report, err := syncer.SyncAll(env.ctx, progress)
	_ = bar.Finish()
	fmt.Fprintf(env.stdout, "synced %d account(s): %d sessions listed, "+
		"%d fetched, %d already archived, %d failed\n", report.Accounts,
		report.Listed, report.Fetched, report.Archived, report.Failed)
	return err
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// barProgress moves a progress bar as the sync advances: each account's
// listed sessions grow the total, each finished session moves the bar.
type barProgress struct {
	mu  sync.Mutex
	bar *progressbar.ProgressBar
}

func (p *barProgress) Listed(_ liveboard.Account, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bar.AddMax(n)
}

func (p *barProgress) Done(_ liveboard.Account) {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.bar.Add(1)
}
