package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sync/errgroup"

	"liveboard"
	"liveboard/httpapi"
	"liveboard/shopee"
	"liveboard/shopee/shopeesim"
)

// demoCmd runs the whole product against the simulator: a fresh SQLite
// database in the data directory, one studio with the simulator's
// accounts, the first sync at once and then every sync interval.
type demoCmd struct {
	Addr         string        `name:"addr" env:"LIVEBOARD_ADDR" default:"127.0.0.1:8080" help:"Address to serve the API on."`
	SimAddr      string        `name:"sim-addr" env:"LIVEBOARD_SIM_ADDR" default:"127.0.0.1:0" help:"Address of the simulator (a free loopback port by default)."`
	APIKey       string        `name:"api-key" env:"LIVEBOARD_API_KEY" help:"API key to use; a new one is made and printed when unset."`
	Seed         int64         `name:"seed" env:"LIVEBOARD_SIM_SEED" default:"1" help:"Seed of the simulated world."`
	SyncInterval time.Duration `name:"sync-interval" env:"LIVEBOARD_SYNC_INTERVAL" default:"1m" help:"How often the sync runs."`
}

func (c *demoCmd) Run(env *environment) error {
	logger := env.logger()
	if err := validateAPIKey(c.APIKey); err != nil {
		return err
	}
	if err := env.upstream.check(); err != nil {
		return err
	}
	smm, err := env.smmPanel()
	if err != nil {
		return err
	}

	sim := shopeesim.New(shopeesim.Options{Seed: c.Seed, Accounts: 3})
	simLn, err := listen(c.SimAddr)
	if err != nil {
		return err
	}
	simURL := "http://" + simLn.Addr().String()

	dsn := env.DatabaseURL
	if dsn == "" {
		dsn = filepath.Join(env.Data, "demo.db")
		if err := removeSQLite(dsn); err != nil {
			return err
		}
	}
	logConfig(logger, env.globals, "addr", c.Addr, "simulator", simURL,
		"database", redactURL(dsn), "sync_interval", c.SyncInterval)

	st, err := env.openStore(logger, dsn)
	if err != nil {
		return err
	}
	defer st.Close()

	key := c.APIKey
	if key == "" {
		key, _ = httpapi.NewAPIKey()
	}
	if err := ensureAPIKey(env.ctx, st, key); err != nil {
		return err
	}
	studio, err := seedDemo(env.ctx, st, sim)
	if err != nil {
		return err
	}

	svc, err := newService(logger, st, serviceOptions{
		shopeeBaseURL: simURL, syncInterval: c.SyncInterval,
		shopee: demoShopee(env.upstream), smm: smm})
	if err != nil {
		return err
	}
	ln, err := listen(c.Addr)
	if err != nil {
		return err
	}

	printDemo(env.stdout, "http://"+ln.Addr().String(), simURL, key, studio)

	g, ctx := errgroup.WithContext(env.ctx)
	g.Go(func() error { return serveSimulator(ctx, logger, simLn, sim) })
	g.Go(func() error { return svc.run(ctx, ln) })
	return g.Wait()
}

// removeSQLite deletes a SQLite database with its journal files, so the
// demo starts from scratch every time.
func removeSQLite(path string) error {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("reset demo database: %w", err)
		}
	}
	return nil
}

// seedDemo stores the demo studio and the simulator's accounts, unless a
// studio of that name already exists.
func seedDemo(ctx context.Context, st liveboard.Store,
	sim *shopeesim.Server) (*liveboard.Studio, error) {
	studios, err := st.Studios(ctx)
	if err != nil {
		return nil, err
	}
	for _, s := range studios {
		if s.Name == demoStudio {
			return &s, nil
		}
	}

	studio := &liveboard.Studio{Name: demoStudio, Region: liveboard.RegionID,
		CommissionBasisPoints: 500}
	if err := st.CreateStudio(ctx, studio); err != nil {
		return nil, err
	}
	for _, sa := range sim.Accounts() {
		a := &liveboard.Account{StudioID: studio.ID, Region: sa.Region,
			ShopeeUserID: sa.UserID, UserName: sa.UserName}
		if err := st.CreateAccount(ctx, a, sa.Cookie); err != nil {
			return nil, err
		}
	}
	return studio, nil
}

const demoStudio = "Demo Studio"

func printDemo(w io.Writer, url, simURL, key string, studio *liveboard.Studio) {
	fmt.Fprintf(w, `
Liveboard demo is running.

  API:        %[1]s/api/live-streaming
  API key:    %[3]s
  Studio:     %[4]s (id %[5]d)
  Simulator:  %[2]s (ground truth at %[2]s/_sim/accounts)

Try:
  curl -H "Authorization: Bearer %[3]s" "%[1]s/api/live-streaming/sessions?studio_id=%[5]d"

Stop with Ctrl-C.
`, url, simURL, key, studio.Name, studio.ID)
}

// demoShopee is the Shopee client's configuration in the demo: the
// flags', without rate limits unless they set some, as the simulator is
// local.
func demoShopee(u upstream) shopee.Config {
	cfg := u.shopeeConfig("")
	if cfg.AccountRate == 0 {
		cfg.AccountRate = noLimit
	}
	if cfg.HostRate == 0 {
		cfg.HostRate = noLimit
	}
	return cfg
}
