package main

import "fmt"

// migrateCmd applies every pending migration and exits.
type migrateCmd struct{}

func (c *migrateCmd) Run(env *environment) error {
	logger := env.logger()
	logConfig(logger, env.globals)

	st, err := env.openStore(logger, env.databaseURL())
	if err != nil {
		return err
	}
	defer st.Close()

	fmt.Fprintf(env.stdout, "database up to date (%s)\n", st.Engine())
	return nil
}
