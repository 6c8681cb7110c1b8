package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"liveboard"
)

// AlertRules returns a studio's alert rules, or the defaults.
func (s *Store) AlertRules(ctx context.Context,
	studioID int64) (*liveboard.AlertRules, error) {
	r := liveboard.AlertRules{StudioID: studioID}
	var dropWindow, quietWindow, earlyMin, cooldown int64
	var updated time.Time
	err := s.read.QueryRowContext(ctx, `
		SELECT viewer_drop_enabled, viewer_drop_percent,
			viewer_drop_window_s, viewer_drop_min_level, no_orders_enabled,
			no_orders_window_s, no_orders_min_viewers, early_end_enabled,
			early_end_percent, early_end_min_s, relogin_enabled, cooldown_s,
			updated_at
		FROM alert_rules WHERE studio_id = $1`, studioID).Scan(
		&r.ViewerDrop.Enabled, &r.ViewerDrop.Percent, &dropWindow,
		&r.ViewerDrop.MinLevel, &r.NoOrders.Enabled, &quietWindow,
		&r.NoOrders.MinViewers, &r.EarlyEnd.Enabled, &r.EarlyEnd.Percent,
		&earlyMin, &r.Relogin.Enabled, &cooldown, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := s.Studio(ctx, studioID); err != nil {
			return nil, err
		}
		def := liveboard.DefaultAlertRules(studioID)
		return &def, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: alert rules: %w", err)
	}

	r.ViewerDrop.Window = seconds(dropWindow)
	r.NoOrders.Window = seconds(quietWindow)
	r.EarlyEnd.MinDuration = seconds(earlyMin)
	r.Cooldown = seconds(cooldown)
	r.UpdatedAt = utcPtr(&updated)
	return &r, nil
}

func seconds(n int64) time.Duration { return time.Duration(n) * time.Second }

func secs(d time.Duration) int64 { return int64(d / time.Second) }

// SaveAlertRules stores a studio's alert rules and sets UpdatedAt.
func (s *Store) SaveAlertRules(ctx context.Context,
	r *liveboard.AlertRules) error {
	if err := r.Validate(); err != nil {
		return err
	}

	now := s.nowUTC()
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO alert_rules (studio_id, viewer_drop_enabled,
			viewer_drop_percent, viewer_drop_window_s, viewer_drop_min_level,
			no_orders_enabled, no_orders_window_s, no_orders_min_viewers,
			early_end_enabled, early_end_percent, early_end_min_s,
			relogin_enabled, cooldown_s, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (studio_id) DO UPDATE SET
			viewer_drop_enabled = excluded.viewer_drop_enabled,
			viewer_drop_percent = excluded.viewer_drop_percent,
			viewer_drop_window_s = excluded.viewer_drop_window_s,
			viewer_drop_min_level = excluded.viewer_drop_min_level,
			no_orders_enabled = excluded.no_orders_enabled,
			no_orders_window_s = excluded.no_orders_window_s,
			no_orders_min_viewers = excluded.no_orders_min_viewers,
			early_end_enabled = excluded.early_end_enabled,
			early_end_percent = excluded.early_end_percent,
			early_end_min_s = excluded.early_end_min_s,
			relogin_enabled = excluded.relogin_enabled,
			cooldown_s = excluded.cooldown_s,
			updated_at = excluded.updated_at`,
		r.StudioID, r.ViewerDrop.Enabled, r.ViewerDrop.Percent,
		secs(r.ViewerDrop.Window), r.ViewerDrop.MinLevel, r.NoOrders.Enabled,
		secs(r.NoOrders.Window), r.NoOrders.MinViewers, r.EarlyEnd.Enabled,
		r.EarlyEnd.Percent, secs(r.EarlyEnd.MinDuration), r.Relogin.Enabled,
		secs(r.Cooldown), now)
	if err != nil {
		return writeErr(err, "save alert rules")
	}
	r.UpdatedAt = &now
	return nil
}

// evidenceJSON is how Evidence is stored: JSON, durations in seconds,
// times in UTC.
type evidenceJSON struct {
	Level       *int64     `json:"level,omitempty"`
	LevelAt     *time.Time `json:"level_at,omitempty"`
	Viewers     *int64     `json:"viewers,omitempty"`
	ViewersAt   *time.Time `json:"viewers_at,omitempty"`
	DropPercent *float64   `json:"drop_percent,omitempty"`
	WindowS     int64      `json:"window_s,omitempty"`
	Orders      *int64     `json:"orders,omitempty"`
	OrdersSince *time.Time `json:"orders_since,omitempty"`
	MinViewers  *int64     `json:"min_viewers,omitempty"`
	DurationS   int64      `json:"duration_s,omitempty"`
	UsualS      int64      `json:"usual_s,omitempty"`
	Error       string     `json:"error,omitempty"`
}

func encodeEvidence(e liveboard.Evidence) (string, error) {
	b, err := json.Marshal(evidenceJSON{
		Level: e.Level, LevelAt: utcPtr(e.LevelAt), Viewers: e.Viewers,
		ViewersAt: utcPtr(e.ViewersAt), DropPercent: e.DropPercent,
		WindowS: secs(e.Window), Orders: e.Orders,
		OrdersSince: utcPtr(e.OrdersSince), MinViewers: e.MinViewers,
		DurationS: secs(e.Duration), UsualS: secs(e.Usual), Error: e.Error,
	})
	return string(b), err
}

func decodeEvidence(text string) (liveboard.Evidence, error) {
	var j evidenceJSON
	if err := json.Unmarshal([]byte(text), &j); err != nil {
		return liveboard.Evidence{}, fmt.Errorf("alert evidence: %w", err)
	}
	return liveboard.Evidence{
		Level: j.Level, LevelAt: utcPtr(j.LevelAt), Viewers: j.Viewers,
		ViewersAt: utcPtr(j.ViewersAt), DropPercent: j.DropPercent,
		Window: seconds(j.WindowS), Orders: j.Orders,
		OrdersSince: utcPtr(j.OrdersSince), MinViewers: j.MinViewers,
		Duration: seconds(j.DurationS), Usual: seconds(j.UsualS),
		Error: j.Error,
	}, nil
}

// errAlertOpen rolls back a FireAlert whose episode is already open.
var errAlertOpen = errors.New("alert episode already open")

// FireAlert stores a as a new open alert with its deliveries, unless its
// episode is open or in cooldown.
func (s *Store) FireAlert(ctx context.Context, a *liveboard.Alert,
	cooldown time.Duration) (bool, error) {
	evidence, err := encodeEvidence(a.Evidence)
	if err != nil {
		return false, fmt.Errorf("sqlstore: fire alert: %w", err)
	}
	a.FiredAt = utc(a.FiredAt)

	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var open int
		err := tx.QueryRowContext(ctx, `
			SELECT COUNT(*) FROM alerts
			WHERE studio_id = $1 AND rule = $2 AND subject = $3
				AND (resolved_at IS NULL OR fired_at > $4)`,
			a.StudioID, string(a.Rule), a.Subject,
			a.FiredAt.Add(-cooldown)).Scan(&open)
		switch {
		case err != nil:
			return fmt.Errorf("sqlstore: open alerts: %w", err)
		case open > 0:
			return errAlertOpen
		}
		if err := insertAlert(ctx, tx, a, evidence); err != nil {
			return err
		}
		return s.addDeliveries(ctx, tx, a)
	})
	switch {
	case errors.Is(err, errAlertOpen):
		return false, nil
	case liveboard.ErrorCode(err) == liveboard.EConflict:
		// Another instance opened the episode meanwhile.
		return false, nil
	case err != nil:
		return false, err
	}
	return true, nil
}

func insertAlert(ctx context.Context, tx *sql.Tx, a *liveboard.Alert,
	evidence string) error {
	var session *int64
	if a.SessionID != 0 {
		session = &a.SessionID
	}
	err := tx.QueryRowContext(ctx, `
		INSERT INTO alerts (studio_id, shopee_account_id, session_id,
			shopee_session_id, rule, subject, title, message, evidence,
			fired_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		RETURNING id`,
		a.StudioID, a.AccountID, session, a.ShopeeSessionID, string(a.Rule),
		a.Subject, a.Title, a.Message, evidence, a.FiredAt).Scan(&a.ID)
	if err != nil {
		return writeErr(err, "fire alert")
	}
	return nil
}

// addDeliveries queues the alert for every enabled channel of its studio.
func (s *Store) addDeliveries(ctx context.Context, tx *sql.Tx,
	a *liveboard.Alert) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO alert_deliveries (alert_id, channel_id, status,
			updated_at)
		SELECT $1, id, 'pending', $2 FROM alert_channels
		WHERE studio_id = $3 AND enabled`, a.ID, s.nowUTC(), a.StudioID)
	if err != nil {
		return writeErr(err, "queue alert deliveries")
	}

	a.Deliveries, err = deliveriesOf(ctx, tx, []int64{a.ID})
	return err
}

// ResolveAlert marks an open alert as resolved.
func (s *Store) ResolveAlert(ctx context.Context, studioID int64,
	rule liveboard.AlertRule, subject string, t time.Time) error {
	_, err := s.db.ExecContext(ctx, `
		UPDATE alerts SET resolved_at = $1
		WHERE studio_id = $2 AND rule = $3 AND subject = $4
			AND resolved_at IS NULL`,
		utc(t), studioID, string(rule), subject)
	if err != nil {
		return fmt.Errorf("sqlstore: resolve alert: %w", err)
	}
	return nil
}

const alertColumns = `id, studio_id, shopee_account_id, session_id,
	shopee_session_id, rule, subject, title, message, evidence, fired_at,
	resolved_at, acknowledged_at, acknowledged_by`

func scanAlert(row interface{ Scan(...any) error }) (*liveboard.Alert, error) {
	var a liveboard.Alert
	var session, ackBy *int64
	var rule, evidence string
	err := row.Scan(&a.ID, &a.StudioID, &a.AccountID, &session,
		&a.ShopeeSessionID, &rule, &a.Subject, &a.Title, &a.Message,
		&evidence, &a.FiredAt, &a.ResolvedAt, &a.AcknowledgedAt, &ackBy)
	if err != nil {
		return nil, err
	}
	if a.Evidence, err = decodeEvidence(evidence); err != nil {
		return nil, err
	}
	if session != nil {
		a.SessionID = *session
	}
	if ackBy != nil {
		a.AcknowledgedBy = *ackBy
	}
	a.Rule = liveboard.AlertRule(rule)
	a.FiredAt = a.FiredAt.UTC()
	a.ResolvedAt = utcPtr(a.ResolvedAt)
	a.AcknowledgedAt = utcPtr(a.AcknowledgedAt)
	return &a, nil
}

// OpenAlerts returns an account's open alerts, oldest first.
func (s *Store) OpenAlerts(ctx context.Context,
	accountID int64) ([]liveboard.Alert, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT `+alertColumns+` FROM alerts
		WHERE shopee_account_id = $1 AND resolved_at IS NULL
		ORDER BY fired_at, id`, accountID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open alerts: %w", err)
	}
	return collect(rows, scanAlert)
}

// Alerts returns one page of the inbox, newest first, with deliveries.
func (s *Store) Alerts(ctx context.Context,
	f liveboard.AlertFilter) ([]liveboard.Alert, int, error) {
	where, args := alertWhere(f)

	var total int
	err := s.read.QueryRowContext(ctx,
		`SELECT COUNT(*) FROM alerts WHERE `+where, args...).Scan(&total)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlstore: count alerts: %w", err)
	}

	limit := f.Limit
	if limit <= 0 || limit > maxPage {
		limit = maxPage
	}
	n := len(args)
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.read.QueryContext(ctx, `
		SELECT `+alertColumns+` FROM alerts WHERE `+where+`
		ORDER BY fired_at DESC, id DESC
		LIMIT $`+strconv.Itoa(n+1)+` OFFSET $`+strconv.Itoa(n+2), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlstore: list alerts: %w", err)
	}
	list, err := collect(rows, scanAlert)
	if err != nil {
		return nil, 0, err
	}
	return list, total, s.attachDeliveries(ctx, list)
}

func alertWhere(f liveboard.AlertFilter) (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds,
			strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}

	if f.StudioIDs != nil {
		if len(f.StudioIDs) == 0 {
			conds = append(conds, "1 = 0")
		} else {
			list, ids := idList(len(args)+1, f.StudioIDs)
			args = append(args, ids...)
			conds = append(conds, "studio_id IN ("+list+")")
		}
	}
	if f.AccountID != 0 {
		add("shopee_account_id = ?", f.AccountID)
	}
	if f.Rule != "" {
		add("rule = ?", string(f.Rule))
	}
	if f.Open != nil {
		conds = append(conds, map[bool]string{
			true: "resolved_at IS NULL", false: "resolved_at IS NOT NULL",
		}[*f.Open])
	}
	if f.Acknowledged != nil {
		conds = append(conds, map[bool]string{
			true:  "acknowledged_at IS NOT NULL",
			false: "acknowledged_at IS NULL",
		}[*f.Acknowledged])
	}
	return strings.Join(conds, " AND "), args
}

// Alert returns an alert with its deliveries.
func (s *Store) Alert(ctx context.Context, id int64) (*liveboard.Alert, error) {
	a, err := scanAlert(s.read.QueryRowContext(ctx,
		`SELECT `+alertColumns+` FROM alerts WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "alert", id)
	}
	list := []liveboard.Alert{*a}
	if err := s.attachDeliveries(ctx, list); err != nil {
		return nil, err
	}
	return &list[0], nil
}

// AcknowledgeAlert records the first acknowledgement of an alert.
func (s *Store) AcknowledgeAlert(ctx context.Context, id, userID int64,
	t time.Time) error {
	res, err := s.db.ExecContext(ctx, `
		UPDATE alerts SET acknowledged_at = $1, acknowledged_by = $2
		WHERE id = $3 AND acknowledged_at IS NULL`, utc(t), userID, id)
	if err != nil {
		return writeErr(err, "acknowledge alert")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		_, err := s.Alert(ctx, id)
		return err
	}
	return nil
}

const deliveryColumns = `d.alert_id, d.channel_id, c.kind, c.name, d.status,
	d.attempts, d.last_error, d.sent_at, d.updated_at`

func scanDelivery(row interface{ Scan(...any) error }) (*liveboard.Delivery, error) {
	var d liveboard.Delivery
	var kind, status string
	err := row.Scan(&d.AlertID, &d.ChannelID, &kind, &d.ChannelName,
		&status, &d.Attempts, &d.LastError, &d.SentAt, &d.UpdatedAt)
	if err != nil {
		return nil, err
	}
	d.ChannelKind = liveboard.ChannelKind(kind)
	d.Status = liveboard.DeliveryStatus(status)
	d.SentAt = utcPtr(d.SentAt)
	d.UpdatedAt = d.UpdatedAt.UTC()
	return &d, nil
}

// querier is a pool or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string,
		args ...any) (*sql.Rows, error)
}

func deliveriesOf(ctx context.Context, q querier,
	alertIDs []int64) ([]liveboard.Delivery, error) {
	list, args := idList(1, alertIDs)
	rows, err := q.QueryContext(ctx, `
		SELECT `+deliveryColumns+` FROM alert_deliveries d
		JOIN alert_channels c ON c.id = d.channel_id
		WHERE d.alert_id IN (`+list+`)
		ORDER BY d.alert_id, d.channel_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: alert deliveries: %w", err)
	}
	return collect(rows, scanDelivery)
}

func (s *Store) attachDeliveries(ctx context.Context,
	alerts []liveboard.Alert) error {
	if len(alerts) == 0 {
		return nil
	}
	ids := make([]int64, len(alerts))
	byID := make(map[int64]*liveboard.Alert, len(alerts))
	for i := range alerts {
		ids[i] = alerts[i].ID
		byID[alerts[i].ID] = &alerts[i]
	}

	ds, err := deliveriesOf(ctx, s.read, ids)
	if err != nil {
		return err
	}
	for _, d := range ds {
		a := byID[d.AlertID]
		a.Deliveries = append(a.Deliveries, d)
	}
	return nil
}

// RecordDelivery notes an attempt to send an alert to a channel. A
// delivery already sent or failed for good is left as it is.
func (s *Store) RecordDelivery(ctx context.Context, alertID,
	channelID int64, status liveboard.DeliveryStatus, errMsg string,
	t time.Time) error {
	var sentAt *time.Time
	if status == liveboard.DeliverySent {
		sentAt = liveboard.Ptr(utc(t))
	}
	res, err := s.db.ExecContext(ctx, `
		UPDATE alert_deliveries SET status = $1, attempts = attempts + 1,
			last_error = $2, sent_at = $3, updated_at = $4
		WHERE alert_id = $5 AND channel_id = $6 AND status = 'pending'`,
		string(status), errMsg, sentAt, utc(t), alertID, channelID)
	if err != nil {
		return writeErr(err, "record delivery")
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}

	var exists int
	err = s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM alert_deliveries
		WHERE alert_id = $1 AND channel_id = $2`, alertID, channelID,
	).Scan(&exists)
	if err != nil {
		return fmt.Errorf("sqlstore: find delivery: %w", err)
	}
	if exists == 0 {
		return liveboard.Errorf(liveboard.ENotFound,
			"delivery of alert %d to channel %d not found", alertID,
			channelID)
	}
	return nil
}

// PendingDeliveries returns deliveries still pending of alerts fired
// before t, oldest first.
func (s *Store) PendingDeliveries(ctx context.Context, before time.Time,
	limit int) ([]liveboard.Delivery, error) {
	if limit <= 0 || limit > maxPage {
		limit = maxPage
	}
	rows, err := s.read.QueryContext(ctx, `
		SELECT `+deliveryColumns+` FROM alert_deliveries d
		JOIN alert_channels c ON c.id = d.channel_id
		JOIN alerts a ON a.id = d.alert_id
		WHERE d.status = 'pending' AND a.fired_at < $1
		ORDER BY a.fired_at, d.alert_id, d.channel_id
		LIMIT $2`, utc(before), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: pending deliveries: %w", err)
	}
	return collect(rows, scanDelivery)
}

// channelSecrets is how a ChannelConfig is sealed.
type channelSecrets struct {
	BotToken string `json:"bot_token,omitempty"`
	ChatID   string `json:"chat_id,omitempty"`
	URL      string `json:"url,omitempty"`
	Secret   string `json:"secret,omitempty"`
}

// CreateChannel stores ch with its settings sealed.
func (s *Store) CreateChannel(ctx context.Context, ch *liveboard.Channel,
	cfg liveboard.ChannelConfig) error {
	if err := cfg.Check(ch.Kind); err != nil {
		return err
	}
	plain, err := json.Marshal(channelSecrets(cfg))
	if err != nil {
		return fmt.Errorf("sqlstore: encode channel: %w", err)
	}
	sealed, err := s.cipher.Seal(plain)
	if err != nil {
		return fmt.Errorf("sqlstore: seal channel: %w", err)
	}

	ch.Target = cfg.Target(ch.Kind)
	ch.CreatedAt = s.nowUTC()
	err = s.db.QueryRowContext(ctx, `
		INSERT INTO alert_channels (studio_id, kind, name, enabled, target,
			config, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		RETURNING id`, ch.StudioID, string(ch.Kind), ch.Name, ch.Enabled,
		ch.Target, sealed, ch.CreatedAt).Scan(&ch.ID)
	if err != nil {
		return writeErr(err, "create channel")
	}
	return nil
}

const channelColumns = `id, studio_id, kind, name, enabled, target,
	created_at`

func scanChannel(row interface{ Scan(...any) error }) (*liveboard.Channel, error) {
	var ch liveboard.Channel
	var kind string
	err := row.Scan(&ch.ID, &ch.StudioID, &kind, &ch.Name, &ch.Enabled,
		&ch.Target, &ch.CreatedAt)
	if err != nil {
		return nil, err
	}
	ch.Kind = liveboard.ChannelKind(kind)
	ch.CreatedAt = ch.CreatedAt.UTC()
	return &ch, nil
}

// Channel returns a channel without its settings.
func (s *Store) Channel(ctx context.Context, id int64) (*liveboard.Channel, error) {
	ch, err := scanChannel(s.read.QueryRowContext(ctx,
		`SELECT `+channelColumns+` FROM alert_channels WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "channel", id)
	}
	return ch, nil
}

// Channels lists a studio's channels, oldest first.
func (s *Store) Channels(ctx context.Context,
	studioID int64) ([]liveboard.Channel, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT `+channelColumns+` FROM alert_channels
		WHERE studio_id = $1 ORDER BY id`, studioID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list channels: %w", err)
	}
	return collect(rows, scanChannel)
}

// ChannelConfig returns a channel's settings, opened.
func (s *Store) ChannelConfig(ctx context.Context,
	id int64) (liveboard.ChannelConfig, error) {
	var sealed []byte
	err := s.read.QueryRowContext(ctx,
		`SELECT config FROM alert_channels WHERE id = $1`, id).Scan(&sealed)
	if err != nil {
		return liveboard.ChannelConfig{}, notFound(err, "channel", id)
	}
	plain, err := s.cipher.Open(sealed)
	if err != nil {
		return liveboard.ChannelConfig{},
			fmt.Errorf("sqlstore: open channel %d: %w", id, err)
	}
	var sec channelSecrets
	if err := json.Unmarshal(plain, &sec); err != nil {
		return liveboard.ChannelConfig{},
			fmt.Errorf("sqlstore: decode channel %d: %w", id, err)
	}
	return liveboard.ChannelConfig(sec), nil
}

// DeleteChannel removes a channel and its deliveries.
func (s *Store) DeleteChannel(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx,
		`DELETE FROM alert_channels WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("sqlstore: delete channel: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return liveboard.Errorf(liveboard.ENotFound, "channel %d not found",
			id)
	}
	return nil
}
