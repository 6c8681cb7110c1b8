package workflow

import (
	"context"
	"fmt"
	"time"

	"liveboard"
	"liveboard/shopee"
)

// checkRelogin fires the account's relogin alert while it needs a new
// login and resolves it once it no longer does. msg is Shopee's refusal,
// when the look itself met it.
func (w *watch) checkRelogin(ctx context.Context, msg string) error {
	subject := liveboard.AccountSubject(w.account.ID)
	if !w.account.Health.NeedsRelogin {
		return w.resolve(ctx, liveboard.RuleRelogin, subject)
	}
	if !w.rules.Relogin.Enabled {
		return nil
	}

	if msg == "" {
		msg = w.account.Health.LastError
	}
	a := w.newAlert(liveboard.RuleRelogin, subject, nil)
	a.Evidence = liveboard.Evidence{Error: msg}
	a.Title = w.account.UserName + " needs a new Shopee login"
	a.Message = fmt.Sprintf("Shopee refused the login of %s (%s)",
		w.account.UserName, w.account.Region)
	if msg != "" {
		a.Message += ": " + msg
	}
	a.Message += ". Syncing and monitoring of the account stop until it " +
		"logs in again."
	return w.fire(ctx, a)
}

// checkSession checks the session rules against one look: viewer drop
// and no orders while it is live, early end when a session watched live
// has ended. An episode is resolved only by known figures that clear it.
func (w *watch) checkSession(ctx context.Context, l sessionLook,
	history map[int64][]liveboard.Snapshot,
	listed []shopee.SessionItem) error {
	se := l.update.Session
	subject := liveboard.SessionSubject(se.ID)
	if !l.live {
		for _, rule := range []liveboard.AlertRule{liveboard.RuleViewerDrop,
			liveboard.RuleNoOrders} {
			if err := w.resolve(ctx, rule, subject); err != nil {
				return err
			}
		}
		if l.stored == nil || l.stored.Status != liveboard.SessionOngoing {
			return nil
		}
		return w.checkEarlyEnd(ctx, se, listed)
	}

	snap, hist := *l.update.Snapshot, history[se.ID]
	m := snap.Metrics
	ev, fires := w.rules.ViewerDrop.CheckDrop(hist, snap)
	err := w.apply(ctx, liveboard.RuleViewerDrop, se, ev, fires,
		m.ViewersNow != nil)
	if err != nil {
		return err
	}
	ev, fires = w.rules.NoOrders.CheckNoOrders(hist, snap)
	return w.apply(ctx, liveboard.RuleNoOrders, se, ev, fires,
		m.ViewersNow != nil && m.PlacedOrders != nil)
}

// apply fires the rule's alert about the session when it holds, and
// resolves its episode when it does not and known says the figures to
// tell were there.
func (w *watch) apply(ctx context.Context, rule liveboard.AlertRule,
	se *liveboard.Session, ev liveboard.Evidence, fires, known bool) error {
	subject := liveboard.SessionSubject(se.ID)
	switch {
	case fires:
		a := w.newAlert(rule, subject, se)
		a.Evidence = ev
		a.Title, a.Message = w.describe(rule, se, ev)
		return w.fire(ctx, a)
	case known:
		return w.resolve(ctx, rule, subject)
	}
	return nil
}

// checkEarlyEnd compares an ended session's length with the account's
// other recent sessions on the list.
func (w *watch) checkEarlyEnd(ctx context.Context, se *liveboard.Session,
	listed []shopee.SessionItem) error {
	var recent []time.Duration
	for _, it := range listed {
		if len(recent) == liveboard.HistoryLength {
			break
		}
		if it.Duration > 0 && !it.Live(w.now) &&
			fmt.Sprint(it.SessionID) != se.ShopeeSessionID {
			recent = append(recent, it.Duration)
		}
	}

	ev, fires := w.rules.EarlyEnd.CheckEarlyEnd(se.Duration, recent)
	if !fires {
		return nil
	}
	a := w.newAlert(liveboard.RuleEarlyEnd,
		liveboard.SessionSubject(se.ID), se)
	a.Evidence = ev
	a.Title, a.Message = w.describe(liveboard.RuleEarlyEnd, se, ev)
	return w.fire(ctx, a)
}

func (w *watch) newAlert(rule liveboard.AlertRule, subject string,
	se *liveboard.Session) *liveboard.Alert {
	a := &liveboard.Alert{StudioID: w.account.StudioID,
		AccountID: w.account.ID, Rule: rule, Subject: subject,
		FiredAt: w.now}
	if se != nil {
		a.SessionID, a.ShopeeSessionID = se.ID, se.ShopeeSessionID
	}
	return a
}

// fire stores the alert unless its episode is known to be open; the
// store decides about episodes other looks opened and about cooldown.
func (w *watch) fire(ctx context.Context, a *liveboard.Alert) error {
	key := string(a.Rule) + " " + a.Subject
	if _, open := w.open[key]; open {
		return nil
	}
	fired, err := w.m.Store.FireAlert(ctx, a, w.rules.Cooldown)
	if err != nil || !fired {
		return err
	}
	w.open[key] = *a
	w.report.Alerts = append(w.report.Alerts, *a)
	w.m.logger().Info("alert fired", "alert_id", a.ID, "rule", a.Rule,
		"studio_id", a.StudioID, "account_id", a.AccountID,
		"session_id", a.ShopeeSessionID)
	return nil
}

// resolve ends the rule's open episode about the subject, if any.
func (w *watch) resolve(ctx context.Context, rule liveboard.AlertRule,
	subject string) error {
	key := string(rule) + " " + subject
	if _, open := w.open[key]; !open {
		return nil
	}
	delete(w.open, key)
	return w.m.Store.ResolveAlert(ctx, w.account.StudioID, rule, subject,
		w.now)
}

// describe writes an alert's title and message for people.
func (w *watch) describe(rule liveboard.AlertRule, se *liveboard.Session,
	ev liveboard.Evidence) (title, msg string) {
	who := w.account.UserName
	what := fmt.Sprintf("Live session %q (%s) of %s", se.Title,
		se.ShopeeSessionID, who)
	switch rule {
	case liveboard.RuleViewerDrop:
		return fmt.Sprintf("Viewers dropped %.1f%% on %s",
				*ev.DropPercent, who),
			fmt.Sprintf("%s: viewers now fell from %d at %s to %d at %s, "+
				"%.1f%% within %s.", what, *ev.Level, w.clock(*ev.LevelAt),
				*ev.Viewers, w.clock(*ev.ViewersAt), *ev.DropPercent,
				span(ev.Window))
	case liveboard.RuleNoOrders:
		return fmt.Sprintf("No order for %s on %s", span(ev.Window), who),
			fmt.Sprintf("%s: placed orders have stayed at %d since %s "+
				"while at least %d viewers watched.", what, *ev.Orders,
				w.clock(*ev.OrdersSince), *ev.MinViewers)
	}
	msg = fmt.Sprintf("%s ended after %s", what, span(ev.Duration))
	if ev.Usual > 0 {
		msg += fmt.Sprintf("; its sessions usually run %s", span(ev.Usual))
	}
	return "Session ended early on " + who, msg + "."
}

// span writes d for people, to the minute: "1 minute", "2 h 5 min";
// under a minute, in seconds.
func span(d time.Duration) string {
	switch d = d.Round(time.Second); {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d == time.Minute:
		return "1 minute"
	case d < time.Hour:
		return fmt.Sprintf("%d minutes", int(d.Round(time.Minute).Minutes()))
	}
	d = d.Round(time.Minute)
	h, m := int(d.Hours()), int(d.Minutes())%60
	if m == 0 {
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %d min", h, m)
}

// clock writes t as the time of day in the account's region.
func (w *watch) clock(t time.Time) string {
	return t.In(w.account.Region.Location()).Format("15:04:05")
}
