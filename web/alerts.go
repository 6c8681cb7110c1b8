package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"liveboard"
)

// alertRow is an alert of the inbox with its account.
type alertRow struct {
	Alert   liveboard.Alert
	Account liveboard.Account
}

// alertsData is the inbox's own data.
type alertsData struct {
	Rows []alertRow
	// Status is the inbox's filter: "open" (the default), "resolved" or
	// "all".
	Status string
	Total  int
}

// alertsPage answers GET /alerts: the studio's alert inbox, newest
// first, open alerts by default.
func (s *Server) alertsPage(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	page := view{Title: "Alerts", Visit: v,
		Notice: notices[r.URL.Query().Get("done")]}
	if v.studio == nil {
		s.render(w, http.StatusOK, "alerts", page)
		return nil
	}
	data := alertsData{Status: r.URL.Query().Get("status")}
	f := liveboard.AlertFilter{StudioIDs: []int64{v.studio.ID}, Limit: 100}
	switch data.Status {
	case "", "open":
		data.Status, f.Open = "open", liveboard.Ptr(true)
	case "resolved":
		f.Open = liveboard.Ptr(false)
	case "all":
	default:
		return liveboard.Errorf(liveboard.EInvalid,
			"status must be open, resolved or all")
	}
	ctx := r.Context()
	list, total, err := s.cfg.Store.Alerts(ctx, f)
	if err != nil {
		return err
	}
	accounts, err := s.cfg.Store.Accounts(ctx, v.studio.ID)
	if err != nil {
		return err
	}
	for _, al := range list {
		a, err := s.accountOf(r, accounts, al.AccountID)
		if err != nil {
			return err
		}
		data.Rows = append(data.Rows, alertRow{Alert: al, Account: *a})
	}
	data.Total = total
	page.Data = data
	s.render(w, http.StatusOK, "alerts", page)
	return nil
}

// acknowledgeAlert answers POST /alerts/{id}/acknowledge: the person has
// read the alert. Needs the operator role; the first acknowledgement is
// kept.
func (s *Server) acknowledgeAlert(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	ctx := r.Context()
	notFound := liveboard.Errorf(liveboard.ENotFound, "no such alert")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return notFound
	}
	al, err := s.cfg.Store.Alert(ctx, id)
	if liveboard.ErrorCode(err) == liveboard.ENotFound {
		return notFound
	}
	if err != nil {
		return err
	}
	if err := v.principal.Require(al.StudioID,
		liveboard.RoleOperator); err != nil {
		return err
	}
	if err := s.cfg.Store.AcknowledgeAlert(ctx, id, v.user.ID,
		s.cfg.Now()); err != nil {
		return err
	}
	seeOther(w, r, "/alerts", "acknowledged")
	return nil
}

// alertSettingsData is the alert settings page's own data.
type alertSettingsData struct {
	Rules    *liveboard.AlertRules
	Channels []liveboard.Channel
	// Tested is the channel just tested and Problem why it failed, if
	// it did.
	Tested  int64
	Problem string
	CanTest bool
	// Adding is the channel form refused, as typed but without its
	// secrets, and AddProblem why it was refused.
	Adding     channelForm
	AddProblem string
}

// channelForm is what an add-channel form held. Shown again, it never
// holds the bot token, the webhook's URL or its signing secret.
type channelForm struct {
	Kind              liveboard.ChannelKind
	Name, ChatID, URL string
}

// alertSettingsPage answers GET /alerts/settings: the studio's alert
// rules and channels; admins may change them.
func (s *Server) alertSettingsPage(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	return s.showAlertSettings(w, r, v, http.StatusOK, alertSettingsData{})
}

func (s *Server) showAlertSettings(w http.ResponseWriter, r *http.Request,
	v *visit, status int, data alertSettingsData) error {
	page := view{Title: "Alert settings", Visit: v,
		Notice: notices[r.URL.Query().Get("done")]}
	if v.studio == nil {
		s.render(w, http.StatusOK, "alertsettings", page)
		return nil
	}
	ctx := r.Context()
	var err error
	if data.Rules, err = s.cfg.Store.AlertRules(ctx, v.studio.ID); err != nil {
		return err
	}
	if data.Channels, err = s.cfg.Store.Channels(ctx,
		v.studio.ID); err != nil {
		return err
	}
	data.CanTest = s.cfg.Channels != nil
	page.Data = data
	s.render(w, status, "alertsettings", page)
	return nil
}

// requireAdmin checks the person may change the studio's settings.
func requireAdmin(v *visit) (int64, error) {
	if v.studio == nil {
		return 0, liveboard.Errorf(liveboard.ENotFound, "no studio")
	}
	return v.studio.ID, v.principal.Require(v.studio.ID, liveboard.RoleAdmin)
}

// saveAlertRules answers POST /alerts/rules: the rules as the form sets
// them. Durations are in minutes. Needs the admin role.
func (s *Server) saveAlertRules(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	studioID, err := requireAdmin(v)
	if err != nil {
		return err
	}
	ctx := r.Context()
	rules, err := s.cfg.Store.AlertRules(ctx, studioID)
	if err != nil {
		return err
	}
	f := ruleForm{r: r}
	rules.ViewerDrop.Enabled = f.on("viewer_drop")
	rules.ViewerDrop.Percent = f.number("viewer_drop_percent")
	rules.ViewerDrop.Window = f.minutes("viewer_drop_window")
	rules.ViewerDrop.MinLevel = int64(f.number("viewer_drop_min"))
	rules.NoOrders.Enabled = f.on("no_orders")
	rules.NoOrders.Window = f.minutes("no_orders_window")
	rules.NoOrders.MinViewers = int64(f.number("no_orders_min"))
	rules.EarlyEnd.Enabled = f.on("early_end")
	rules.EarlyEnd.Percent = f.number("early_end_percent")
	rules.EarlyEnd.MinDuration = f.minutes("early_end_min")
	rules.Relogin.Enabled = f.on("relogin")
	rules.Cooldown = f.minutes("cooldown")
	if f.err != nil {
		return f.err
	}
	if err := s.cfg.Store.SaveAlertRules(ctx, rules); err != nil {
		return err
	}
	seeOther(w, r, "/alerts/settings", "rules")
	return nil
}

// ruleForm reads the rules form, keeping the first error.
type ruleForm struct {
	r   *http.Request
	err error
}

func (f *ruleForm) on(name string) bool {
	return f.r.PostFormValue(name) == "on"
}

func (f *ruleForm) number(name string) float64 {
	n, err := strconv.ParseFloat(strings.TrimSpace(
		f.r.PostFormValue(name)), 64)
	if (err != nil || n < 0) && f.err == nil {
		f.err = liveboard.Errorf(liveboard.EInvalid,
			"%s must be a number of 0 or more", strings.ReplaceAll(name,
				"_", " "))
	}
	return n
}

func (f *ruleForm) minutes(name string) time.Duration {
	return time.Duration(f.number(name) * float64(time.Minute)).
		Round(time.Second)
}

// addChannel answers POST /alerts/channels: a Telegram chat or a
// webhook for the studio's alerts. Its secrets are stored sealed and
// never shown again. A webhook to localhost or a literal private address
// is invalid unless AllowPrivateWebhooks. An invalid channel shows the
// settings again with the form as typed, less its secrets, and why.
// Needs the admin role.
func (s *Server) addChannel(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	studioID, err := requireAdmin(v)
	if err != nil {
		return err
	}
	typed := channelForm{
		Kind:   liveboard.ChannelKind(r.PostFormValue("kind")),
		Name:   strings.TrimSpace(r.PostFormValue("name")),
		ChatID: strings.TrimSpace(r.PostFormValue("chat_id")),
		URL:    strings.TrimSpace(r.PostFormValue("url"))}
	err = s.createChannel(r, studioID, typed)
	if liveboard.ErrorCode(err) == liveboard.EInvalid {
		// A webhook URL may carry a token, so it is kept as secret as
		// the others and not shown again.
		shown := typed
		shown.URL = ""
		return s.showAlertSettings(w, r, v, http.StatusBadRequest,
			alertSettingsData{Adding: shown,
				AddProblem: liveboard.ErrorMessage(err)})
	}
	if err != nil {
		return err
	}
	seeOther(w, r, "/alerts/settings", "channel")
	return nil
}

func (s *Server) createChannel(r *http.Request, studioID int64,
	typed channelForm) error {
	kind, err := liveboard.ParseChannelKind(string(typed.Kind))
	if err != nil {
		return err
	}
	ch := &liveboard.Channel{StudioID: studioID, Kind: kind,
		Name: typed.Name, Enabled: true}
	if ch.Name == "" {
		ch.Name = string(kind)
	}
	cfg := liveboard.ChannelConfig{
		BotToken: strings.TrimSpace(r.PostFormValue("bot_token")),
		ChatID:   typed.ChatID, URL: typed.URL,
		Secret: r.PostFormValue("secret")}
	if !s.cfg.AllowPrivateWebhooks {
		if err := cfg.CheckPublic(kind); err != nil {
			return err
		}
	}
	return s.cfg.Store.CreateChannel(r.Context(), ch, cfg)
}

// studioChannel loads a channel of the studio shown for an admin of it;
// a channel of another studio is not found.
func (s *Server) studioChannel(r *http.Request,
	v *visit) (*liveboard.Channel, error) {
	studioID, err := requireAdmin(v)
	if err != nil {
		return nil, err
	}
	notFound := liveboard.Errorf(liveboard.ENotFound, "no such channel")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, notFound
	}
	ch, err := s.cfg.Store.Channel(r.Context(), id)
	if liveboard.ErrorCode(err) == liveboard.ENotFound ||
		(err == nil && ch.StudioID != studioID) {
		return nil, notFound
	}
	return ch, err
}

// removeChannel answers POST /alerts/channels/{id}/remove. Needs the
// admin role.
func (s *Server) removeChannel(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	ch, err := s.studioChannel(r, v)
	if err != nil {
		return err
	}
	if err := s.cfg.Store.DeleteChannel(r.Context(), ch.ID); err != nil {
		return err
	}
	seeOther(w, r, "/alerts/settings", "channel_removed")
	return nil
}

// testChannel answers POST /alerts/channels/{id}/test: sends a test
// message now and shows whether the channel took it. Needs the admin
// role.
func (s *Server) testChannel(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	ch, err := s.studioChannel(r, v)
	if err != nil {
		return err
	}
	if s.cfg.Channels == nil {
		return liveboard.Errorf(liveboard.EInvalid,
			"alert channels cannot be tested on this server")
	}
	problem, err := s.cfg.Channels.SendTest(r.Context(), ch.ID)
	if err != nil {
		return err
	}
	return s.showAlertSettings(w, r, v, http.StatusOK,
		alertSettingsData{Tested: ch.ID, Problem: problem})
}
