package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"liveboard"
	"liveboard/httpapi"
	"liveboard/password"
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
	DemoPassword string        `name:"demo-password" env:"LIVEBOARD_DEMO_PASSWORD" help:"Password of the demo user owner@demo.invalid; a new one is made and printed when unset."`
	QRAuto       bool          `name:"qr-auto" default:"true" negatable:"" help:"Have the simulator scan and confirm login QR codes by itself, a few seconds after they are shown."`
	accessFlags  `embed:""`
	liveFlags    `embed:""`
}

func (c *demoCmd) Run(env *environment) error {
	logger := env.logger()
	if err := validateAPIKey(c.APIKey); err != nil {
		return err
	}
	if err := c.liveFlags.validate(); err != nil {
		return err
	}
	if err := c.accessFlags.validate(); err != nil {
		return err
	}
	if err := validateSyncInterval(c.SyncInterval); err != nil {
		return err
	}
	if env.ShopeeBaseURL != "" {
		logger.Warn("the demo talks to its own simulator; "+
			"--shopee-base-url is ignored",
			"shopee_base_url", env.ShopeeBaseURL)
	}
	if err := env.upstream.check(); err != nil {
		return err
	}
	smm, err := env.smmPanel()
	if err != nil {
		return err
	}

	if c.DemoPassword != "" {
		if err := password.Validate(c.DemoPassword); err != nil {
			return fmt.Errorf("LIVEBOARD_DEMO_PASSWORD: %w", err)
		}
	}
	sim := shopeesim.New(shopeesim.Options{Seed: c.Seed, Accounts: 3,
		QRAuto: qrAuto(c.QRAuto)})
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
	logConfig(logger, env.globals, []any{"addr", c.Addr,
		"simulator", simURL, "database", redactURL(dsn),
		"sync_interval", c.SyncInterval, "qr_auto", c.QRAuto},
		c.accessFlags.logAttrs(), c.liveFlags.logAttrs(),
		env.upstream.logAttrs(demoShopee(env.upstream)))

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
	pw, err := ensureDemoUser(env.ctx, st, studio, c.DemoPassword)
	if err != nil {
		return err
	}

	svc, err := newService(logger, st, serviceOptions{
		shopeeBaseURL: simURL, syncInterval: c.SyncInterval,
		access: c.accessFlags,
		shopee: demoShopee(env.upstream), smm: smm,
		live: c.liveFlags})
	if err != nil {
		return err
	}
	ln, err := listen(c.Addr)
	if err != nil {
		return err
	}

	printDemo(env.stdout, "http://"+ln.Addr().String(), simURL, key, studio,
		pw)

	// The simulator outlives the service, so that syncs still running
	// when the demo stops end cleanly instead of failing on a closed
	// simulator.
	simCtx, stopSim := context.WithCancel(context.Background())
	simDone := make(chan error, 1)
	go func() { simDone <- serveSimulator(simCtx, logger, simLn, sim) }()

	err = svc.run(env.ctx, ln)
	stopSim()
	return errors.Join(err, <-simDone)
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

// demoEmail is the demo user, owner of the demo studio.
const demoEmail = "owner@demo.invalid"

// ensureDemoUser makes sure the demo user exists, owns the studio and
// signs in with pw, or with a new password when pw is "". It returns
// the password.
func ensureDemoUser(ctx context.Context, st liveboard.Store,
	studio *liveboard.Studio, pw string) (string, error) {
	if pw == "" {
		pw = rand.Text()
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return "", err
	}

	u, err := st.UserByEmail(ctx, demoEmail)
	switch {
	case liveboard.ErrorCode(err) == liveboard.ENotFound:
		u = &liveboard.User{Email: demoEmail, Name: "Demo Owner"}
		err = st.CreateUser(ctx, u, hash)
	case err == nil:
		err = st.SetPasswordHash(ctx, u.ID, hash)
	}
	if err != nil {
		return "", fmt.Errorf("demo user: %w", err)
	}
	if err := st.SetMembership(ctx, u.ID, studio.ID,
		liveboard.RoleOwner); err != nil {
		return "", fmt.Errorf("demo user: %w", err)
	}
	return pw, nil
}

// qrAuto is how the demo's simulator moves QR codes on by itself.
func qrAuto(on bool) *shopeesim.QRAuto {
	if !on {
		return nil
	}
	return &shopeesim.QRAuto{ScanAfter: 4 * time.Second,
		ConfirmAfter: 3 * time.Second}
}

func printDemo(w io.Writer, url, simURL, key string, studio *liveboard.Studio,
	pw string) {
	fmt.Fprintf(w, `
Liveboard demo is running.

  API:        %[1]s/api/live-streaming
  API key:    %[3]s
  Studio:     %[4]s (id %[5]d)
  Simulator:  %[2]s (ground truth at %[2]s/_sim/accounts)
  Dashboard:  %[1]s/
  Sign in as: %[6]s
  Password:   %[7]s

Try:
  curl -H "Authorization: Bearer %[3]s" "%[1]s/api/live-streaming/sessions?studio_id=%[5]d"

Stop with Ctrl-C.
`, url, simURL, key, studio.Name, studio.ID, demoEmail, pw)
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
