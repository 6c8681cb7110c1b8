package workflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"liveboard"
)

// Notifier sends an alert to a channel, showing its times in region's
// zone. It returns an error wrapping ErrPermanent when sending again would
// not help.
type Notifier interface {
	Send(ctx context.Context, kind liveboard.ChannelKind,
		cfg liveboard.ChannelConfig, a *liveboard.Alert,
		region liveboard.Region, test bool) error
}

// ErrPermanent is what a Notifier's errors wrap when the channel refused
// an alert for good.
var ErrPermanent = errors.New("channel refused the alert for good")

// Deliverer sends stored alerts to their channels and records how each
// attempt went.
type Deliverer struct {
	Store    liveboard.Store
	Notifier Notifier
	// IsPermanent tells a Notifier error that retrying cannot fix; by
	// default errors wrapping ErrPermanent.
	IsPermanent func(error) bool
	// Now is the clock; time.Now by default.
	Now    func() time.Time
	Logger *slog.Logger
}

func (d *Deliverer) now() time.Time {
	if d.Now != nil {
		return d.Now().UTC()
	}
	return time.Now().UTC()
}

func (d *Deliverer) permanent(err error) bool {
	if d.IsPermanent != nil {
		return d.IsPermanent(err)
	}
	return errors.Is(err, ErrPermanent)
}

// Deliver sends an alert to one channel, unless that delivery is already
// done or gone. On success it records the delivery as sent. On failure it
// records the error and returns it: the delivery stays pending, to be
// tried again, unless last is set or the channel refused it for good,
// which makes it failed; then the returned error wraps ErrPermanent.
func (d *Deliverer) Deliver(ctx context.Context, alertID, channelID int64,
	last bool) error {
	a, ch, cfg, err := d.load(ctx, alertID, channelID)
	if err != nil || a == nil {
		return err
	}
	region, err := d.region(ctx, a.AccountID, a.StudioID)
	if err != nil {
		return err
	}

	sendErr := d.Notifier.Send(ctx, ch.Kind, cfg, a, region, false)
	if sendErr == nil {
		return d.Store.RecordDelivery(ctx, alertID, channelID,
			liveboard.DeliverySent, "", d.now())
	}

	status := liveboard.DeliveryPending
	final := last || d.permanent(sendErr)
	if final {
		status = liveboard.DeliveryFailed
	}
	msg := sendText(sendErr)
	if err := d.Store.RecordDelivery(ctx, alertID, channelID, status, msg,
		d.now()); err != nil {
		return errors.Join(sendErr, err)
	}
	if final {
		return fmt.Errorf("deliver alert %d to channel %d: %w; %w",
			alertID, channelID, sendErr, ErrPermanent)
	}
	return fmt.Errorf("deliver alert %d to channel %d: %w", alertID,
		channelID, sendErr)
}

// load returns the alert, the channel and its settings, or a nil alert
// when the delivery needs nothing more: the channel was deleted, or the
// delivery was sent or failed for good.
func (d *Deliverer) load(ctx context.Context, alertID,
	channelID int64) (*liveboard.Alert, *liveboard.Channel,
	liveboard.ChannelConfig, error) {
	var none liveboard.ChannelConfig
	a, err := d.Store.Alert(ctx, alertID)
	if liveboard.ErrorCode(err) == liveboard.ENotFound {
		return nil, nil, none, nil
	}
	if err != nil {
		return nil, nil, none, err
	}

	pending := false
	for _, dl := range a.Deliveries {
		if dl.ChannelID == channelID {
			pending = dl.Status == liveboard.DeliveryPending
		}
	}
	if !pending {
		return nil, nil, none, nil
	}

	ch, err := d.Store.Channel(ctx, channelID)
	if err != nil {
		return nil, nil, none, err
	}
	cfg, err := d.Store.ChannelConfig(ctx, channelID)
	if err != nil {
		return nil, nil, none, err
	}
	return a, ch, cfg, nil
}

// SendTest sends a sample alert to a channel now, marked as a test.
// problem says why the channel did not take it, in words safe to show
// (the Notifier's errors hold no secret); err is a failure to load the
// channel. Nothing is stored.
func (d *Deliverer) SendTest(ctx context.Context,
	channelID int64) (problem string, err error) {
	ch, err := d.Store.Channel(ctx, channelID)
	if err != nil {
		return "", err
	}
	cfg, err := d.Store.ChannelConfig(ctx, channelID)
	if err != nil {
		return "", err
	}

	region, err := d.region(ctx, 0, ch.StudioID)
	if err != nil {
		return "", err
	}

	now := d.now()
	a := &liveboard.Alert{StudioID: ch.StudioID, Rule: liveboard.RuleTest,
		Title: "test message from Liveboard",
		Message: fmt.Sprintf("Channel %q (%s) receives Liveboard's "+
			"alerts.", ch.Name, ch.Target),
		FiredAt: now,
	}
	if err := d.Notifier.Send(ctx, ch.Kind, cfg, a, region,
		true); err != nil {
		d.logger().Info("alert channel test failed", "channel_id", ch.ID,
			"error", err)
		return sendText(err), nil
	}
	return "", nil
}

// region returns the region whose zone an alert's times are shown in:
// its account's, or its studio's when accountID is 0 or the account is
// gone.
func (d *Deliverer) region(ctx context.Context, accountID,
	studioID int64) (liveboard.Region, error) {
	if accountID != 0 {
		a, err := d.Store.Account(ctx, accountID)
		if err == nil {
			return a.Region, nil
		}
		if liveboard.ErrorCode(err) != liveboard.ENotFound {
			return "", fmt.Errorf("alert region: %w", err)
		}
	}
	st, err := d.Store.Studio(ctx, studioID)
	if err != nil {
		return "", fmt.Errorf("alert region: %w", err)
	}
	return st.Region, nil
}

// sendText says why a send failed: a liveboard error's message, or the
// Notifier's own words.
func sendText(err error) string {
	if liveboard.ErrorCode(err) == liveboard.EInternal {
		return err.Error()
	}
	return liveboard.ErrorMessage(err)
}

func (d *Deliverer) logger() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.Default()
}
