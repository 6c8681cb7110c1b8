package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"liveboard"
	"liveboard/password"
	"liveboard/secret"
	"liveboard/sqlstore"
)

// runCmd runs the program with args and returns what it printed.
func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errs bytes.Buffer
	err := run(context.Background(), args, &out, &errs)
	return out.String(), err
}

// openData opens the store a command used in the data directory.
func openData(t *testing.T, data string) *sqlstore.Store {
	t.Helper()
	key, err := secret.LoadOrCreateKeyFile(filepath.Join(data, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	box, err := secret.New(key)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlstore.Open(context.Background(),
		filepath.Join(data, "liveboard.db"), sqlstore.Options{Cipher: box,
			Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestUserAdd(t *testing.T) {
	data := t.TempDir()
	base := []string{"--data", data, "--log-level", "error", "user", "add"}
	ctx := context.Background()

	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte("first owner password\n"),
		0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, append(base, "Owner@Example.test", "--studio",
		"Toko Satu", "--region", "MY", "--password-file", pwFile)...)
	if err != nil {
		t.Fatal(err)
	}
	want := "user owner@example.test (id 1)\nowner of studio \"Toko Satu\" " +
		"(id 1, created)\n"
	if out != want {
		t.Errorf("output = %q, want %q", out, want)
	}

	out, err = runCmd(t, append(base, "viewer@example.test", "--studio", "1",
		"--role", "viewer")...)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`password: (\S+)\n`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no generated password in %q", out)
	}

	st := openData(t, data)
	checks := []struct {
		email, pw string
		role      liveboard.Role
	}{
		{"owner@example.test", "first owner password", liveboard.RoleOwner},
		{"viewer@example.test", m[1], liveboard.RoleViewer},
	}
	for _, c := range checks {
		u, err := st.UserByEmail(ctx, c.email)
		if err != nil {
			t.Fatal(err)
		}
		hash, _ := st.PasswordHash(ctx, u.ID)
		if err := password.Check(hash, c.pw); err != nil {
			t.Errorf("%s cannot sign in with the password: %v", c.email, err)
		}
		p, _ := st.Principal(ctx, u.ID)
		if got, _ := p.Role(1); got != c.role {
			t.Errorf("%s is %q in studio 1, want %s", c.email, got, c.role)
		}
	}
	studio, _ := st.Studio(ctx, 1)
	if studio.Region != liveboard.RegionMY {
		t.Errorf("created studio in %s, want MY", studio.Region)
	}
}

func TestUserAddRefuses(t *testing.T) {
	data := t.TempDir()
	base := []string{"--data", data, "--log-level", "error", "user", "add"}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no studio", []string{"a@example.test"}, "needs --studio"},
		{"short password", []string{"a@example.test", "--studio", "S",
			"--password", "short"}, "at least 10"},
		{"unknown role", []string{"a@example.test", "--studio", "S",
			"--role", "boss"}, "role"},
		{"not an email", []string{"notanemail", "--studio", "S"},
			"not an email address"},
		{"email with a name", []string{"A <a@example.test>", "--studio",
			"S"}, "not an email address"},
		{"unknown region", []string{"a@example.test", "--studio", "New",
			"--region", "XX"}, "unknown region"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runCmd(t, append(base, tt.args...)...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one saying %q", err, tt.want)
			}
		})
	}

	// Nothing refused leaves a user behind.
	st := openData(t, data)
	if _, err := st.UserByEmail(context.Background(),
		"a@example.test"); liveboard.ErrorCode(err) != liveboard.ENotFound {
		t.Errorf("a refused command stored a user: %v", err)
	}
}
