package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"os"
	"strconv"
	"strings"

	"liveboard"
	"liveboard/password"
)

// userCmd manages the people who sign in to the dashboard.
type userCmd struct {
	Add userAddCmd `cmd:"" help:"Create a person who signs in to the dashboard, or give one a role in a studio."`
}

// userAddCmd creates a user, or gives an existing one a role (and, when
// one is given, a new password). It is how the first owner is made.
type userAddCmd struct {
	Email        string `arg:"" help:"The person's email; they sign in with it."`
	Name         string `name:"name" help:"Their name; the email by default."`
	Studio       string `name:"studio" help:"The studio to give them a role in, by id or by name; a studio of that name is created when none exists."`
	Region       string `name:"region" default:"ID" help:"Region of a studio --studio creates (ID, MY, TH, VN, PH, SG, TW, BR)."`
	Role         string `name:"role" default:"owner" enum:"owner,admin,operator,viewer" help:"Their role in the studio: owner, admin, operator or viewer."`
	Admin        bool   `name:"admin" help:"Make a new user an instance administrator: owner of every studio."`
	PasswordFile string `name:"password-file" help:"Read the password from this file ('-' for standard input) instead of generating one."`
	Password     string `name:"password" env:"LIVEBOARD_USER_PASSWORD" help:"The password; prefer --password-file or the variable, as command lines are visible to other users."`
}

func (c *userAddCmd) Run(env *environment) error {
	if err := c.validate(); err != nil {
		return err
	}
	pw, err := c.password()
	if err != nil {
		return err
	}

	logger := env.logger()
	st, err := env.openStore(logger, env.databaseURL())
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := env.ctx

	// The studio comes first: a studio that cannot be found or made
	// must not leave a new user behind without a role.
	var studio *liveboard.Studio
	created := false
	if c.Studio != "" {
		if studio, created, err = c.studio(ctx, st); err != nil {
			return err
		}
	}
	u, generated, err := c.user(ctx, st, pw)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "user %s (id %d)\n", u.Email, u.ID)
	if generated != "" {
		fmt.Fprintf(env.stdout, "password: %s\n", generated)
	}
	if u.Admin {
		fmt.Fprintln(env.stdout, "instance administrator: owner of "+
			"every studio")
	}
	if studio == nil {
		return nil
	}

	role := liveboard.Role(c.Role)
	if err := st.SetMembership(ctx, u.ID, studio.ID, role); err != nil {
		return err
	}
	note := ""
	if created {
		note = ", created"
	}
	fmt.Fprintf(env.stdout, "%s of studio %q (id %d%s)\n", role,
		studio.Name, studio.ID, note)
	return nil
}

// validate checks the arguments before anything is stored.
func (c *userAddCmd) validate() error {
	addr, err := mail.ParseAddress(c.Email)
	if err != nil || addr.Address != c.Email {
		return fmt.Errorf("%q is not an email address", c.Email)
	}
	if _, err := liveboard.ParseRegion(c.Region); err != nil {
		return fmt.Errorf("--region: %w", err)
	}
	return nil
}

// password returns the password given by file or variable, or "" when
// none was given.
func (c *userAddCmd) password() (string, error) {
	pw := c.Password
	if c.PasswordFile != "" {
		var r io.Reader = os.Stdin
		if c.PasswordFile != "-" {
			f, err := os.Open(c.PasswordFile)
			if err != nil {
				return "", fmt.Errorf("password file: %w", err)
			}
			defer f.Close()
			r = f
		}
		line, err := bufio.NewReader(r).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read password: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	if pw == "" {
		return "", nil
	}
	if err := password.Validate(pw); err != nil {
		return "", err
	}
	return pw, nil
}

// user returns the user with the email, creating them when missing with
// pw or, when pw is "", a generated password it also returns. An
// existing user's password changes only when pw is given.
func (c *userAddCmd) user(ctx context.Context, st liveboard.Store,
	pw string) (u *liveboard.User, generated string, err error) {
	u, err = st.UserByEmail(ctx, c.Email)
	switch {
	case err == nil:
		if c.Admin && !u.Admin {
			return nil, "", fmt.Errorf("%s exists already: --admin "+
				"only makes new users administrators", c.Email)
		}
		if pw == "" {
			return u, "", nil
		}
		hash, err := password.Hash(pw)
		if err != nil {
			return nil, "", err
		}
		return u, "", st.SetPasswordHash(ctx, u.ID, hash)
	case liveboard.ErrorCode(err) != liveboard.ENotFound:
		return nil, "", err
	case c.Studio == "" && !c.Admin:
		return nil, "", errors.New("a new user needs --studio (and " +
			"--role) or --admin, or they could see nothing")
	}

	if pw == "" {
		pw = rand.Text()
		generated = pw
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return nil, "", err
	}
	name := c.Name
	if name == "" {
		name = c.Email
	}
	u = &liveboard.User{Email: c.Email, Name: name, Admin: c.Admin}
	if err := st.CreateUser(ctx, u, hash); err != nil {
		return nil, "", err
	}
	return u, generated, nil
}

// studio returns the studio --studio names: by id, else by name,
// creating it in --region when no studio has that name.
func (c *userAddCmd) studio(ctx context.Context,
	st liveboard.Store) (*liveboard.Studio, bool, error) {
	if id, err := strconv.ParseInt(c.Studio, 10, 64); err == nil {
		s, err := st.Studio(ctx, id)
		return s, false, err
	}

	all, err := st.Studios(ctx)
	if err != nil {
		return nil, false, err
	}
	for _, s := range all {
		if s.Name == c.Studio {
			return &s, false, nil
		}
	}

	region, err := liveboard.ParseRegion(c.Region)
	if err != nil {
		return nil, false, err
	}
	s := &liveboard.Studio{Name: c.Studio, Region: region}
	if err := st.CreateStudio(ctx, s); err != nil {
		return nil, false, err
	}
	return s, true, nil
}
