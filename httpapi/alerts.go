package httpapi

import (
	"context"
	"net/http"
	"strconv"

	"liveboard"
)

// ChannelTester sends a test message to an alert channel now. problem
// says why the channel did not take it, in words safe to show; err is a
// failure to try at all.
type ChannelTester interface {
	SendTest(ctx context.Context, channelID int64) (problem string,
		err error)
}

type alertPage struct {
	Alerts   []alertJSON `json:"alerts"`
	Total    int         `json:"total"`
	Page     int64       `json:"page"`
	PageSize int64       `json:"page_size"`
}

// listAlerts answers GET /alerts: the inbox of the studios the caller
// sees, newest first, filtered by studio_id, account_id, rule, status
// (open or resolved) and acknowledged (true or false).
func (s *Server) listAlerts(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, err := s.alertFilter(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, size, err := pageParams(q, 50, 500)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = int(size), int((page-1)*size)

	list, total, err := s.cfg.Store.Alerts(ctx, f)
	if err != nil {
		return err
	}
	out := alertPage{Alerts: []alertJSON{}, Total: total, Page: page,
		PageSize: size}
	accounts := accountCache{store: s.cfg.Store}
	for _, a := range list {
		acct, err := accounts.get(ctx, a.AccountID)
		if err != nil {
			return err
		}
		out.Alerts = append(out.Alerts, newAlertJSON(a, acct.Region))
	}
	s.writeData(w, http.StatusOK, out)
	return nil
}

func (s *Server) alertFilter(r *http.Request) (liveboard.AlertFilter, error) {
	studios, err := s.visibleStudios(r)
	if err != nil {
		return liveboard.AlertFilter{}, err
	}
	f := liveboard.AlertFilter{StudioIDs: studios}
	q := r.URL.Query()

	if f.AccountID, err = queryInt(q, "account_id", 0, 1, 1<<62); err != nil {
		return f, err
	}
	if text := q.Get("rule"); text != "" {
		if f.Rule, err = liveboard.ParseAlertRule(text); err != nil {
			return f, err
		}
	}
	switch q.Get("status") {
	case "":
	case "open":
		f.Open = liveboard.Ptr(true)
	case "resolved":
		f.Open = liveboard.Ptr(false)
	default:
		return f, liveboard.Errorf(liveboard.EInvalid,
			"status must be open or resolved, got %q", q.Get("status"))
	}
	f.Acknowledged, err = queryBool(q.Get("acknowledged"), "acknowledged")
	return f, err
}

// queryBool reads an optional true or false.
func queryBool(text, name string) (*bool, error) {
	if text == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(text)
	if err != nil {
		return nil, liveboard.Errorf(liveboard.EInvalid,
			"%s must be true or false, got %q", name, text)
	}
	return &b, nil
}

// acknowledgeAlert answers POST /alerts/{id}/acknowledge: the caller has
// read the alert. The first acknowledgement is kept. Needs the operator
// role.
func (s *Server) acknowledgeAlert(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r, "alert")
	if err != nil {
		return err
	}
	a, err := s.cfg.Store.Alert(ctx, id)
	if err != nil {
		return err
	}
	if err := requireRole(ctx, a.StudioID, liveboard.RoleOperator); err != nil {
		if liveboard.ErrorCode(err) == liveboard.ENotFound {
			err = liveboard.Errorf(liveboard.ENotFound,
				"alert %d not found", id)
		}
		return err
	}

	p := principalFrom(ctx)
	if err := s.cfg.Store.AcknowledgeAlert(ctx, id, p.UserID,
		s.cfg.Now()); err != nil {
		return err
	}
	if a, err = s.cfg.Store.Alert(ctx, id); err != nil {
		return err
	}
	acct, err := s.cfg.Store.Account(ctx, a.AccountID)
	if err != nil {
		return err
	}
	s.writeData(w, http.StatusOK, newAlertJSON(*a, acct.Region))
	return nil
}

// getAlertRules answers GET /alerts/rules: a studio's alert rules, the
// defaults until it saves its own.
func (s *Server) getAlertRules(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	st, err := s.requestedStudio(r)
	if err != nil {
		return err
	}
	studioID := st.ID
	rules, err := s.cfg.Store.AlertRules(ctx, studioID)
	if err != nil {
		return err
	}
	s.writeData(w, http.StatusOK, newRulesJSON(*rules, st.Region))
	return nil
}

// rulesRequest changes a studio's rules: fields left out keep their
// value.
type rulesRequest struct {
	StudioID   int64 `json:"studio_id"`
	ViewerDrop *struct {
		Enabled       *bool    `json:"enabled"`
		Percent       *float64 `json:"percent"`
		WindowMinutes *float64 `json:"window_minutes"`
		MinViewers    *int64   `json:"min_viewers"`
	} `json:"viewer_drop"`
	NoOrders *struct {
		Enabled       *bool    `json:"enabled"`
		WindowMinutes *float64 `json:"window_minutes"`
		MinViewers    *int64   `json:"min_viewers"`
	} `json:"no_orders"`
	EarlyEnd *struct {
		Enabled    *bool    `json:"enabled"`
		Percent    *float64 `json:"percent"`
		MinMinutes *float64 `json:"min_minutes"`
	} `json:"early_end"`
	Relogin *struct {
		Enabled *bool `json:"enabled"`
	} `json:"relogin"`
	CooldownMinutes *float64 `json:"cooldown_minutes"`
}

// apply changes r by what req sets.
func (req *rulesRequest) apply(r *liveboard.AlertRules) {
	set(&r.Cooldown, req.CooldownMinutes, fromMinutes)
	if d := req.ViewerDrop; d != nil {
		set(&r.ViewerDrop.Enabled, d.Enabled, same)
		set(&r.ViewerDrop.Percent, d.Percent, same)
		set(&r.ViewerDrop.Window, d.WindowMinutes, fromMinutes)
		set(&r.ViewerDrop.MinLevel, d.MinViewers, same)
	}
	if n := req.NoOrders; n != nil {
		set(&r.NoOrders.Enabled, n.Enabled, same)
		set(&r.NoOrders.Window, n.WindowMinutes, fromMinutes)
		set(&r.NoOrders.MinViewers, n.MinViewers, same)
	}
	if e := req.EarlyEnd; e != nil {
		set(&r.EarlyEnd.Enabled, e.Enabled, same)
		set(&r.EarlyEnd.Percent, e.Percent, same)
		set(&r.EarlyEnd.MinDuration, e.MinMinutes, fromMinutes)
	}
	if l := req.Relogin; l != nil {
		set(&r.Relogin.Enabled, l.Enabled, same)
	}
}

func same[T any](v T) T { return v }

// set stores conv(*v) in dst when v is set.
func set[T, U any](dst *U, v *T, conv func(T) U) {
	if v != nil {
		*dst = conv(*v)
	}
}

// putAlertRules answers PUT /alerts/rules: changes a studio's alert
// rules and returns them. Needs the admin role.
func (s *Server) putAlertRules(w http.ResponseWriter, r *http.Request) error {
	var req rulesRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	if req.StudioID == 0 {
		return liveboard.Errorf(liveboard.EInvalid, "studio_id is required")
	}
	ctx := r.Context()
	if err := requireRole(ctx, req.StudioID, liveboard.RoleAdmin); err != nil {
		return err
	}

	st, err := s.cfg.Store.Studio(ctx, req.StudioID)
	if err != nil {
		return err
	}
	rules, err := s.cfg.Store.AlertRules(ctx, st.ID)
	if err != nil {
		return err
	}
	req.apply(rules)
	if err := s.cfg.Store.SaveAlertRules(ctx, rules); err != nil {
		return err
	}
	s.writeData(w, http.StatusOK, newRulesJSON(*rules, st.Region))
	return nil
}

// listChannels answers GET /alerts/channels: a studio's alert channels,
// without their secrets.
func (s *Server) listChannels(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	st, err := s.requestedStudio(r)
	if err != nil {
		return err
	}
	studioID := st.ID
	list, err := s.cfg.Store.Channels(ctx, studioID)
	if err != nil {
		return err
	}
	out := []channelJSON{}
	for _, ch := range list {
		out = append(out, newChannelJSON(ch, st.Region))
	}
	s.writeData(w, http.StatusOK, map[string]any{"channels": out})
	return nil
}

type channelRequest struct {
	StudioID int64  `json:"studio_id"`
	Kind     string `json:"kind"`
	Name     string `json:"name"`
	Enabled  *bool  `json:"enabled"`
	BotToken string `json:"bot_token"`
	ChatID   string `json:"chat_id"`
	URL      string `json:"url"`
	Secret   string `json:"secret"`
}

// createChannel answers POST /alerts/channels: adds a Telegram chat or a
// webhook to a studio's alert channels. Its secrets are stored sealed and
// never shown again. A webhook to localhost or a literal private address
// is invalid unless AllowPrivateWebhooks. Needs the admin role.
func (s *Server) createChannel(w http.ResponseWriter, r *http.Request) error {
	var req channelRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	if req.StudioID == 0 {
		return liveboard.Errorf(liveboard.EInvalid, "studio_id is required")
	}
	kind, err := liveboard.ParseChannelKind(req.Kind)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if err := requireRole(ctx, req.StudioID, liveboard.RoleAdmin); err != nil {
		return err
	}
	st, err := s.cfg.Store.Studio(ctx, req.StudioID)
	if err != nil {
		return err
	}

	ch := &liveboard.Channel{StudioID: st.ID, Kind: kind, Name: req.Name,
		Enabled: req.Enabled == nil || *req.Enabled}
	if ch.Name == "" {
		ch.Name = string(kind)
	}
	cfg := liveboard.ChannelConfig{BotToken: req.BotToken,
		ChatID: req.ChatID, URL: req.URL, Secret: req.Secret}
	if !s.cfg.AllowPrivateWebhooks {
		if err := cfg.CheckPublic(kind); err != nil {
			return err
		}
	}
	if err := s.cfg.Store.CreateChannel(ctx, ch, cfg); err != nil {
		return err
	}
	s.writeData(w, http.StatusCreated, newChannelJSON(*ch, st.Region))
	return nil
}

// channelOf loads a channel for a caller who holds role in its studio.
func (s *Server) channelOf(r *http.Request,
	role liveboard.Role) (*liveboard.Channel, error) {
	ctx := r.Context()
	id, err := pathID(r, "channel")
	if err != nil {
		return nil, err
	}
	ch, err := s.cfg.Store.Channel(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := requireRole(ctx, ch.StudioID, role); err != nil {
		if liveboard.ErrorCode(err) == liveboard.ENotFound {
			err = liveboard.Errorf(liveboard.ENotFound,
				"channel %d not found", id)
		}
		return nil, err
	}
	return ch, nil
}

// deleteChannel answers DELETE /alerts/channels/{id}. Needs the admin
// role.
func (s *Server) deleteChannel(w http.ResponseWriter, r *http.Request) error {
	ch, err := s.channelOf(r, liveboard.RoleAdmin)
	if err != nil {
		return err
	}
	if err := s.cfg.Store.DeleteChannel(r.Context(), ch.ID); err != nil {
		return err
	}
	s.writeData(w, http.StatusOK, map[string]any{"deleted": ch.ID})
	return nil
}

// testChannel answers POST /alerts/channels/{id}/test: sends a test
// message now and says whether the channel took it. Needs the admin role.
func (s *Server) testChannel(w http.ResponseWriter, r *http.Request) error {
	ch, err := s.channelOf(r, liveboard.RoleAdmin)
	if err != nil {
		return err
	}
	if s.cfg.Channels == nil {
		return liveboard.Errorf(liveboard.EInvalid,
			"alert channels are not available on this server")
	}

	problem, err := s.cfg.Channels.SendTest(r.Context(), ch.ID)
	if err != nil {
		return err
	}
	s.writeData(w, http.StatusOK, map[string]any{"channel_id": ch.ID,
		"delivered": problem == "", "error": problem})
	return nil
}
