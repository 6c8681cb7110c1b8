package httpapi_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"liveboard"
	"liveboard/sqlstore/sqlstoretest"
)

// TestCookiesStayEncrypted connects and logs in accounts every way the
// API offers, by QR and by cookie string, and reads them back, then looks
// for every Shopee cookie value and QR login token the tests used in the
// answers, the logs and the SQLite database's files. They must be found
// nowhere but sealed in the store, which must still open them.
func TestCookiesStayEncrypted(t *testing.T) {
	t.Parallel()
	h := newHarness(t, sqlstoretest.Engines(t)[0], setup{})
	ctx := context.Background()

	// A QR login of a new account, whose token is a secret too.
	started := h.startQR(t, admin1, map[string]any{
		"studio_id": h.studio1.ID})
	_ = h.sim.ScanQR(started.QRCodeID)
	if _, err := h.sim.ConfirmQR(started.QRCodeID, 0); err != nil {
		t.Fatal(err)
	}
	h.qrStatus(t, admin1, started.QRCodeID)
	_, sec, err := h.store.QRLogin(ctx, started.QRCodeID)
	if err != nil || sec.Token == "" {
		t.Fatalf("confirmed QR login has no token (%v)", err)
	}
	h.secrets = append(h.secrets, sec.Token)
	qrAccount := dataOf[accountOut](t, h.post(t, qrLoginPath, admin1,
		map[string]any{"qrcode_id": started.QRCodeID}), http.StatusCreated)

	// A cookie string pasted for an account the studio has.
	a := h.accounts[0]
	pasted := h.sim.Relogin(a.ShopeeUserID)
	h.secrets = append(h.secrets, cookieSecrets(pasted)...)
	wantStatus(t, h.post(t, accountsPath, admin1, map[string]any{
		"studio_id": h.studio1.ID, "cookies": pasted}), http.StatusOK)

	// Everything the sim issued since, QR logins included.
	for _, sa := range h.sim.Accounts() {
		h.secrets = append(h.secrets, cookieSecrets(sa.Cookie)...)
	}
	for _, path := range []string{accountsPath, accountsPath + "/" +
		itoa(qrAccount.ID), accountsPath + "/" + itoa(a.ID)} {
		wantStatus(t, h.get(t, path, owner1), http.StatusOK)
	}

	t.Run("sealed in the store", func(t *testing.T) {
		for _, id := range []int64{qrAccount.ID, a.ID} {
			cookies, err := h.store.AccountCookies(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(cookies, "SPC_EC=") {
				t.Errorf("account %d's login does not open", id)
			}
		}
		if !strings.Contains(mustCookies(t, h, a.ID), pasted) {
			t.Error("the pasted cookie string is not the stored login")
		}
	})
	t.Run("nowhere in the database files", func(t *testing.T) {
		files := h.databaseFiles(t)
		for _, s := range h.secrets {
			for name, b := range files {
				if bytes.Contains(b, []byte(s)) {
					t.Errorf("%s holds the secret %.12s… in the clear",
						name, s)
				}
			}
		}
	})
	t.Run("the scan finds what is in the clear", func(t *testing.T) {
		const canary = "canary-value-written-in-the-clear"
		err := h.store.RecordAudit(ctx, &liveboard.AuditEntry{
			Action: "test.canary", Detail: canary})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, b := range h.databaseFiles(t) {
			found = found || bytes.Contains(b, []byte(canary))
		}
		if !found {
			t.Error("the scan does not see a value stored in the clear")
		}
	})
	t.Run("nowhere in the logs", func(t *testing.T) {
		h.checkLogs(t)
	})
}

func mustCookies(t *testing.T, h *harness, id int64) string {
	t.Helper()
	c, err := h.store.AccountCookies(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// databaseFiles returns the bytes of the SQLite database and its
// journal files, by name.
func (h *harness) databaseFiles(t *testing.T) map[string][]byte {
	t.Helper()
	var path string
	err := h.store.DB().QueryRowContext(context.Background(),
		`SELECT file FROM pragma_database_list WHERE name = 'main'`,
	).Scan(&path)
	if err != nil || path == "" {
		t.Fatalf("database file: %q, %v", path, err)
	}

	files := map[string][]byte{}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		b, err := os.ReadFile(p)
		if err == nil {
			files[p] = b
		}
	}
	if len(files[path])+len(files[path+"-wal"]) == 0 {
		t.Fatal("the database files are empty")
	}
	return files
}
