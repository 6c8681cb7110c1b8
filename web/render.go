package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"liveboard"
)

// parsePages parses every page template with the layout, by page name
// ("accounts" for templates/accounts.html).
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}

	pages := map[string]*template.Template{}
	for _, name := range names {
		base := strings.TrimSuffix(path.Base(name), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(assets,
			"templates/layout.html", name)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", name, err)
		}
		pages[base] = t
	}
	return pages, nil
}

var funcs = template.FuncMap{
	// when writes a time in the zone of a region, or "never".
	"when": func(t *time.Time, region liveboard.Region) string {
		if t == nil {
			return "never"
		}
		return localTime(*t, region)
	},
	"at":       localTime,
	"zone":     zoneText,
	"count":    count,
	"num":      num,
	"money":    moneyOf,
	"percent":  percent,
	"duration": duration,
	"roi":      roiText,
	"pct":      pctText,
	"advice":   advice,
	// problem writes an error in words safe to show.
	"problem": liveboard.ErrorMessage,
	"seconds": func(d time.Duration) int64 {
		return int64(d / time.Second)
	},
	"minutes": func(d time.Duration) string {
		return strconv.FormatFloat(d.Minutes(), 'f', -1, 64)
	},
}

// view is what every page template gets.
type view struct {
	Title string
	// Visit is the signed-in person; nil on the sign-in page.
	Visit *visit
	// CSRF goes into every form the page has.
	CSRF    string
	Notice  string
	Problem string
	// Data is the page's own.
	Data any
}

// User, Studio, Studios and Role let templates read the visit.
func (v view) User() *liveboard.User {
	if v.Visit == nil {
		return nil
	}
	return v.Visit.user
}

func (v view) Studio() *liveboard.Studio {
	if v.Visit == nil {
		return nil
	}
	return v.Visit.studio
}

func (v view) Studios() []liveboard.Studio {
	if v.Visit == nil {
		return nil
	}
	return v.Visit.studios
}

func (v view) Role() liveboard.Role {
	if v.Visit == nil {
		return ""
	}
	return v.Visit.role
}

// Can reports whether the person holds at least the named role in the
// studio shown.
func (v view) Can(role string) bool { return v.Visit.can(liveboard.Role(role)) }

// render writes the page with status, or an error page when it fails.
func (s *Server) render(w http.ResponseWriter, status int, page string,
	v view) {
	t, ok := s.pages[page]
	if !ok {
		s.cfg.Logger.Error("no such page template", "page", page)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if v.Visit != nil && v.CSRF == "" {
		v.CSRF = v.Visit.session.CSRFToken
	}

	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.cfg.Logger.Error("render page", "page", page, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// statusOf maps error codes to HTTP statuses; anything else is 500.
var statusOf = map[string]int{
	liveboard.EInvalid:           http.StatusBadRequest,
	liveboard.EUnauthorized:      http.StatusUnauthorized,
	liveboard.EForbidden:         http.StatusForbidden,
	liveboard.ENotFound:          http.StatusNotFound,
	liveboard.EConflict:          http.StatusConflict,
	liveboard.ERateLimited:       http.StatusTooManyRequests,
	liveboard.EShopeeLogin:       http.StatusConflict,
	liveboard.EShopeeChallenge:   http.StatusConflict,
	liveboard.EShopeeRateLimited: http.StatusTooManyRequests,
	liveboard.EShopeeUnavailable: http.StatusBadGateway,
	liveboard.EShopeeBadAnswer:   http.StatusBadGateway,
}

// fail shows err: a request without a session is sent to sign in (or
// told 401, when it wants JSON), other errors get an error page, or JSON
// for script requests. Only errors meant for people show their message;
// others are logged and shown as a generic one.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, v *visit,
	err error) {
	code := liveboard.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
		s.cfg.Logger.Error("page failed", "method", r.Method,
			"path", r.URL.Path, "error", err)
	}

	wantsJSON := strings.Contains(r.Header.Get("Accept"), "application/json")
	switch {
	case wantsJSON:
		writeJSON(w, status, map[string]string{"code": code,
			"message": liveboard.ErrorMessage(err)})
	case errors.Is(err, errSignIn) && r.Method == http.MethodGet:
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
	default:
		s.render(w, status, "error", view{Title: http.StatusText(status),
			Visit: v, Problem: liveboard.ErrorMessage(err)})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// notices are the messages a redirect may ask a page to show, by key, so
// that no text from the address bar reaches the page.
var notices = map[string]string{
	"connected": "The account is connected.",
	"relogin":   "The account has a new login and syncs again.",
	"removed":   "The account is removed; its sessions stay.",
	"studio":    "Studio switched.",

	"acknowledged":    "The alert is marked as read.",
	"rules":           "The alert rules are saved.",
	"channel":         "The channel is added.",
	"channel_removed": "The channel is removed.",

	"auto_pause": "The auto-pause settings are saved.",

	"boost_started": "The coin boost is started; its first round runs now.",
	"boost_stopped": "The coin boost is stopped; no more rounds start.",
}

// seeOther redirects to path after a post, with a notice key.
func seeOther(w http.ResponseWriter, r *http.Request, path, notice string) {
	if notice != "" {
		path += "?done=" + notice
	}
	http.Redirect(w, r, path, http.StatusSeeOther)
}
