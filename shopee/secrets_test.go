package shopee

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// assertNoSecret fails when s holds the test cookie or one of its values.
func assertNoSecret(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range []string{secretCookie, secretValue1, secretValue2} {
		if strings.Contains(s, secret) {
			t.Errorf("%s shows a cookie value: %s", what, s)
			return
		}
	}
}

func TestAuthRedactsCookies(t *testing.T) {
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x"} {
		got := fmt.Sprintf(verb, testAuth)
		assertNoSecret(t, verb, got)
		if !strings.Contains(got, "[redacted]") {
			t.Errorf("%s = %s, want it to say the cookies are redacted",
				verb, got)
		}
		assertNoSecret(t, verb+" of *Auth", fmt.Sprintf(verb, &testAuth))
		assertNoSecret(t, verb+" in a struct",
			fmt.Sprintf(verb, struct{ A Auth }{testAuth}))
	}

	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("sync", "auth", testAuth)
	assertNoSecret(t, "slog", buf.String())
	if !strings.Contains(buf.String(), `"account_id":7`) {
		t.Errorf("slog line = %s, want the account id", buf.String())
	}

	b, err := json.Marshal(testAuth)
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, "JSON", string(b))
}

func TestErrorsNeverShowCookies(t *testing.T) {
	// Each server echoes the request's cookies back, as a broken proxy
	// might; the client must still keep them out of its errors.
	tests := []struct {
		name   string
		status int
		body   string // %s is replaced by the Cookie header
	}{
		{"HTML", 200, "<html>%s</html>"},
		{"SupplyMessage", 200, `{"code":1,"msg":"cookie %s refused"}`},
		{"Forbidden", 403, "denied for %s"},
		{"Challenge", 403, `{"error":90309999,"error_msg":"%s"}`},
		{"ServerError", 500, "trace: %s"},
		{"Rejected", 400, `{"code":3,"message":"%s"}`},
		{"BadData", 200, `{"code":0,"data":{"ccu":"%s"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rec := newTestClient(t, http.HandlerFunc(
				func(w http.ResponseWriter, r *http.Request) {
					w.WriteHeader(tt.status)
					fmt.Fprintf(w, tt.body, r.Header.Get("Cookie"))
				}))

			_, err := c.Overview(context.Background(), testAuth, 1)
			if err == nil {
				t.Fatal("err = nil")
			}

			assertNoSecret(t, "Error()", err.Error())
			assertNoSecret(t, "%+v", fmt.Sprintf("%+v", err))
			assertNoSecret(t, "%#v", fmt.Sprintf("%#v", err))
			for _, e := range err.(*Error).Unwrap() {
				assertNoSecret(t, "wrapped error", e.Error())
			}
			for _, o := range rec.outcomes() {
				assertNoSecret(t, "observer", o)
			}
		})
	}
}

func TestScrub(t *testing.T) {
	got := scrub("a\x00b\n\n c "+secretValue2+" SPC_EC=-", "SPC_EC=-; SPC_ST="+
		secretValue2)
	if want := "a b c [redacted] SPC_EC=-"; got != want {
		t.Errorf("scrub = %q, want %q", got, want)
	}
}
