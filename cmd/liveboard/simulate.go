package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"

	"time"

	"liveboard"
	"liveboard/shopee/shopeesim"
)

// simulateCmd runs the Shopee simulator alone.
type simulateCmd struct {
	Addr     string   `name:"addr" env:"LIVEBOARD_SIM_ADDR" default:"127.0.0.1:9000" help:"Address to serve the simulator on."`
	Seed     int64    `name:"seed" env:"LIVEBOARD_SIM_SEED" default:"1" help:"Seed of the simulated world."`
	Accounts int      `name:"accounts" env:"LIVEBOARD_SIM_ACCOUNTS" default:"3" help:"How many Shopee accounts the world has."`
	Regions  []string `name:"regions" env:"LIVEBOARD_SIM_REGIONS" default:"ID" help:"Regions of the accounts, cycled (ID, MY, TH, VN, PH, SG, TW, BR)."`
	QRAuto   bool     `name:"qr-auto" default:"true" negatable:"" help:"Scan and confirm login QR codes by themselves, a few seconds after they are made."`
}

func (c *simulateCmd) Run(env *environment) error {
	logger := env.logger()
	sim, err := newSimulator(c.Seed, c.Accounts, c.Regions, qrAuto(c.QRAuto))
	if err != nil {
		return err
	}

	ln, err := listen(c.Addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	printSimAccounts(env.stdout, base, sim)
	logger.Info("simulator serving", "url", base)
	return serveSimulator(env.ctx, logger, ln, sim)
}

func newSimulator(seed int64, accounts int, regions []string,
	auto *shopeesim.QRAuto) (*shopeesim.Server, error) {
	opts := shopeesim.Options{Seed: seed, Accounts: accounts, QRAuto: auto}
	for _, text := range regions {
		r, err := liveboard.ParseRegion(text)
		if err != nil {
			return nil, err
		}
		opts.Regions = append(opts.Regions, r)
	}
	return shopeesim.New(opts), nil
}

func printSimAccounts(w io.Writer, base string, sim *shopeesim.Server) {
	fmt.Fprintf(w, "Shopee simulator on %s\n", base)
	fmt.Fprintf(w, "  accounts and their cookies: %s/_sim/accounts\n", base)
	for _, a := range sim.Accounts() {
		fmt.Fprintf(w, "  %s %-24s user %d\n", a.Region, a.UserName,
			a.UserID)
	}
	fmt.Fprintf(w, "  ground truth: %s/_sim/sessions?user_id=<user>\n",
		base)
}

// serveSimulator serves sim on ln until ctx is done.
func serveSimulator(ctx context.Context, logger *slog.Logger,
	ln net.Listener, sim *shopeesim.Server) error {
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	stopped := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			// Release requests the simulator holds back (latency,
			// timeouts) so the server can stop at once.
			sim.Close()
		case <-stopped:
		}
	}()
	defer close(stopped)
	return serveUntil(ctx, logger, srv, ln, 2*time.Second)
}
