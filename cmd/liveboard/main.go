// Command liveboard syncs Shopee Live sessions of a studio's accounts into
// a database and serves them over a JSON API, with a Shopee simulator for
// demos and tests. Run "liveboard --help" for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/alecthomas/kong"
)

// cli is the command line: flags shared by every command, then one
// command. Each flag can also be set by its LIVEBOARD_* environment
// variable; a flag given on the command line wins.
type cli struct {
	globals

	Demo     demoCmd     `cmd:"" help:"Run the simulator, the server on SQLite and a seeded studio: the whole product on one machine."`
	Serve    serveCmd    `cmd:"" help:"Run the service: API, dashboard, scheduled syncs, live monitoring and alerts, campaign optimisation and coin boosts."`
	Migrate  migrateCmd  `cmd:"" help:"Apply database and job queue migrations, then exit."`
	Simulate simulateCmd `cmd:"" help:"Run the Shopee simulator alone."`
	Sync     syncCmd     `cmd:"" help:"Sync every account once now, with a progress bar, then exit."`
	User     userCmd     `cmd:"" help:"Manage the people who sign in to the dashboard."`
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(),
		os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		// Errors of the domain name the program already.
		fmt.Fprintln(os.Stderr, "liveboard:",
			strings.TrimPrefix(err.Error(), "liveboard: "))
		var exit exitCode
		if errors.As(err, &exit) {
			os.Exit(int(exit))
		}
		os.Exit(1)
	}
}

// exitCode ends the program with that status without another message.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", e) }

// run parses args and runs the chosen command until it ends or ctx is
// done. Tests call it to run the real program in-process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c cli
	parser, err := kong.New(&c,
		kong.Name("liveboard"),
		kong.Description("Live-session dashboards for Shopee Live studios."),
		kong.Writers(stdout, stderr),
		kong.Exit(func(code int) { panic(exitCode(code)) }),
		kong.UsageOnError(),
	)
	if err != nil {
		return err
	}

	kctx, err := parseArgs(parser, args)
	if err != nil || kctx == nil {
		return err
	}

	env := &environment{ctx: ctx, stdout: stdout, stderr: stderr,
		globals: c.globals}
	return kctx.Run(env)
}

// parseArgs parses args, turning kong's exit on --help into a nil
// context.
func parseArgs(parser *kong.Kong, args []string) (kctx *kong.Context, err error) {
	defer func() {
		if r := recover(); r != nil {
			code, ok := r.(exitCode)
			if !ok {
				panic(r)
			}
			kctx = nil
			if code != 0 {
				err = code
			}
		}
	}()

	kctx, err = parser.Parse(args)
	if err != nil {
		return nil, err
	}
	return kctx, nil
}
