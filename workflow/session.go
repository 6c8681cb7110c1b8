package workflow

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"liveboard"
	"liveboard/shopee"
)

// BuildSession merges what Shopee reported of a session — its list item,
// its info and its overview — with what is stored of it (nil when
// nothing), as read at now.
//
// Metrics come from the overview, then the list item; a metric neither
// reports keeps its stored value, so a missing number never reads as
// zero. Fields other workflows own (campaign, coins) are kept.
func BuildSession(a *liveboard.Account, listed shopee.SessionItem,
	info *shopee.SessionInfo, ov *shopee.Overview,
	stored *liveboard.Session, now time.Time) *liveboard.Session {
	se := &liveboard.Session{}
	if stored != nil {
		*se = *stored
	}

	se.StudioID = a.StudioID
	se.AccountID = a.ID
	se.ShopeeSessionID = strconv.FormatInt(listed.SessionID, 10)
	se.Title = listed.Title
	if info != nil && info.Title != "" {
		se.Title = info.Title
	}
	se.CoverImage = listed.CoverImage
	se.StartedAt = listed.StartTime
	se.Duration = listed.Duration

	var fresh liveboard.Metrics
	if ov != nil {
		fresh = ov.Metrics
	}
	se.Metrics = fresh.Merge(listed.Metrics).Merge(se.Metrics)

	se.SyncedAt = now
	if IsLive(listed, info, ov, stored, now) {
		se.Status = liveboard.SessionOngoing
		se.EndedAt, se.FinalSyncedAt = nil, nil
	} else {
		se.Status = liveboard.SessionEnded
		end := listed.StartTime.Add(listed.Duration)
		se.EndedAt = &end
		se.FinalSyncedAt = &now
		// Nobody watches an ended session.
		se.Metrics.ViewersNow = liveboard.Ptr[int64](0)
	}
	return se
}

// IsLive decides whether a session is on air from every signal Shopee
// gives, erring on the side of live: a session wrongly taken for live is
// fetched once more, one wrongly taken for ended would be archived with
// stale numbers.
//
// Status 1 anywhere means live. Shopee's Indonesian session list reports
// status 2 for sessions on air too, so a status-2 item whose end (start +
// duration) is within shopee.LiveTolerance of now also counts as live,
// unless its duration has stopped growing since the stored observation or
// the session's info says it ended.
func IsLive(listed shopee.SessionItem, info *shopee.SessionInfo,
	ov *shopee.Overview, stored *liveboard.Session, now time.Time) bool {
	infoStatus, ovStatus := detailStatuses(info, ov)
	if listed.Status == 1 || statusIs(infoStatus, 1) ||
		statusIs(ovStatus, 1) {
		return true
	}
	if statusIs(infoStatus, 2) && statusIs(ovStatus, 2) {
		return false
	}
	if !listed.Live(now) {
		return false
	}
	if stored != nil && stored.Status == liveboard.SessionOngoing &&
		listed.Duration <= stored.Duration && now.After(stored.SyncedAt) {
		return false // the duration stopped growing
	}
	return true
}

func detailStatuses(info *shopee.SessionInfo,
	ov *shopee.Overview) (infoStatus, ovStatus *int) {
	if info != nil {
		infoStatus = info.Status
	}
	if ov != nil {
		ovStatus = ov.Status
	}
	return infoStatus, ovStatus
}

func statusIs(p *int, want int) bool { return p != nil && *p == want }

// SyncSession fetches one session now and stores it with a snapshot; the
// API's sync route uses it. The session must be listed in the account's
// recent sessions.
func (s *Syncer) SyncSession(ctx context.Context, a *liveboard.Account,
	auth shopee.Auth, sessionID int64) (*liveboard.Session, error) {
	start := time.Now()
	se, err := s.syncOne(ctx, a, auth, sessionID)
	if s.Observer != nil {
		s.Observer.ObserveSync("session", time.Since(start), err)
	}
	return se, err
}

func (s *Syncer) syncOne(ctx context.Context, a *liveboard.Account,
	auth shopee.Auth, sessionID int64) (*liveboard.Session, error) {
	if a.Health.NeedsRelogin {
		return nil, fmt.Errorf("sync session %d: %w", sessionID,
			ErrNeedsRelogin)
	}

	var found *shopee.SessionItem
	_, err := s.Shopee.Sessions(ctx, auth, listPageSize,
		func(it shopee.SessionItem) bool {
			if it.SessionID == sessionID {
				found = &it
				return true
			}
			return false
		})
	if err != nil {
		return nil, s.accountFailed(ctx, a, err)
	}
	if found == nil {
		return nil, liveboard.Errorf(liveboard.ENotFound,
			"session %d is not in account %d's session list",
			sessionID, a.ID)
	}

	stored, err := s.Store.SessionByShopeeID(ctx, a.ID,
		strconv.FormatInt(sessionID, 10))
	if liveboard.ErrorCode(err) == liveboard.ENotFound {
		stored, err = nil, nil
	}
	if err != nil {
		return nil, err
	}

	w := item{listed: *found, stored: stored}
	if err := s.syncSession(ctx, a, auth, w); err != nil {
		if needsRelogin(err) {
			return nil, s.accountFailed(ctx, a, err)
		}
		return nil, err
	}
	if err := s.RefreshAnalytics(ctx, a.StudioID,
		[]time.Time{found.StartTime}); err != nil {
		return nil, err
	}
	return s.Store.SessionByShopeeID(ctx, a.ID,
		strconv.FormatInt(sessionID, 10))
}

// RefreshAnalytics recomputes a studio's daily analytics for the days, in
// the studio's zone, on which the given instants fall.
func (s *Syncer) RefreshAnalytics(ctx context.Context, studioID int64,
	instants []time.Time) error {
	st, err := s.Store.Studio(ctx, studioID)
	if err != nil {
		return fmt.Errorf("refresh analytics: %w", err)
	}
	loc := st.Region.Location()

	dates := make([]string, len(instants))
	for i, t := range instants {
		dates[i] = liveboard.DateIn(t, loc)
	}
	return refreshDays(ctx, s.Store, st, dates)
}

// refreshDays recomputes the studio's daily analytics for each date,
// once however often it is listed.
func refreshDays(ctx context.Context, store liveboard.Store,
	st *liveboard.Studio, dates []string) error {
	seen := map[string]bool{}
	for _, date := range dates {
		if seen[date] {
			continue
		}
		seen[date] = true
		if err := refreshDay(ctx, store, st, date); err != nil {
			return fmt.Errorf("refresh analytics of %s: %w", date, err)
		}
	}
	return nil
}

func refreshDay(ctx context.Context, store liveboard.Store,
	st *liveboard.Studio, date string) error {
	from, to, err := liveboard.DayBounds(date, st.Region.Location())
	if err != nil {
		return err
	}

	return store.RefreshDailyAnalytics(ctx, st.ID, date, from, to,
		func(sessions []liveboard.Session,
			adSpend liveboard.Money) liveboard.DailyAnalytics {
			return liveboard.SummarizeDay(st, date, sessions, adSpend)
		})
}
