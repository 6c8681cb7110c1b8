package jobqueue

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// campaignsQueue runs campaign optimisation apart from syncs and looks.
const campaignsQueue = "campaigns"

// DefaultCampaignInterval is how often campaigns are optimised unless
// told otherwise.
const DefaultCampaignInterval = 15 * time.Minute

// CampaignsTickArgs starts one round of campaign optimisation: it queues
// one OptimizeStudioArgs job per studio for the round. At names the
// round.
type CampaignsTickArgs struct {
	At time.Time `json:"at"`
}

// Kind names the job in the queue.
func (CampaignsTickArgs) Kind() string { return "campaigns_tick" }

// InsertOpts runs a round once.
func (CampaignsTickArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: campaignsQueue, MaxAttempts: 1,
		UniqueOpts: onceEver()}
}

// OptimizeStudioArgs reviews one studio's campaigns for one round and
// pauses those below its floor when its auto-pause is on. It is unique
// by studio and round, whatever its state, so that no two instances
// optimise a studio in the same round.
type OptimizeStudioArgs struct {
	StudioID int64     `json:"studio_id"`
	At       time.Time `json:"at"`
}

// Kind names the job in the queue.
func (OptimizeStudioArgs) Kind() string { return "optimize_studio" }

// InsertOpts runs the job once: a failed round is not retried, the next
// one reads everything again.
func (OptimizeStudioArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: campaignsQueue, MaxAttempts: 1,
		UniqueOpts: onceEver()}
}

type campaignsTickWorker struct {
	river.WorkerDefaults[CampaignsTickArgs]
	q *Queue
}

// Work queues the round's studios.
func (w *campaignsTickWorker) Work(ctx context.Context,
	job *river.Job[CampaignsTickArgs]) (err error) {
	start := time.Now()
	defer func() { w.q.observe(job.Kind, start, err) }()

	studios, err := w.q.store.Studios(ctx)
	if err != nil {
		return fmt.Errorf("campaigns tick: %w", err)
	}
	params := make([]river.InsertManyParams, 0, len(studios))
	for _, st := range studios {
		params = append(params, river.InsertManyParams{
			Args: OptimizeStudioArgs{StudioID: st.ID, At: job.Args.At}})
	}
	if len(params) == 0 {
		return nil
	}
	if _, err := w.q.client.InsertMany(ctx, params); err != nil {
		return fmt.Errorf("campaigns tick: queue studios: %w", err)
	}
	return nil
}

type optimizeStudioWorker struct {
	river.WorkerDefaults[OptimizeStudioArgs]
	q *Queue
}

// Timeout gives a studio at most one round.
func (w *optimizeStudioWorker) Timeout(*river.Job[OptimizeStudioArgs]) time.Duration {
	return w.q.cfg.CampaignInterval
}

// Work optimises the studio. What failed is logged here, once, and not
// retried.
func (w *optimizeStudioWorker) Work(ctx context.Context,
	job *river.Job[OptimizeStudioArgs]) error {
	start := time.Now()
	_, r, err := w.q.cfg.Optimizer.Optimize(ctx, job.Args.StudioID)
	w.q.observe(job.Kind, start, err)
	attrs := []any{"studio_id", job.Args.StudioID, "round", job.Args.At,
		"accounts", r.Accounts, "skipped", r.Skipped, "failed", r.Failed,
		"campaigns", r.Campaigns, "paused", r.Paused,
		"pause_failed", r.PauseFailed}
	if err != nil {
		w.q.cfg.Logger.Warn("campaign optimisation failed",
			append(attrs, "error", err)...)
		return nil
	}
	w.q.cfg.Logger.Debug("campaigns optimised", attrs...)
	return nil
}

// addCampaignWork registers campaign optimisation's queue, workers and
// schedule when an optimizer is configured. A round runs at start and
// then every CampaignInterval.
func (q *Queue) addCampaignWork(rc *river.Config, workers *river.Workers) {
	if q.cfg.Optimizer == nil {
		return
	}
	if q.cfg.CampaignInterval <= 0 {
		q.cfg.CampaignInterval = DefaultCampaignInterval
	}
	river.AddWorker(workers, &campaignsTickWorker{q: q})
	river.AddWorker(workers, &optimizeStudioWorker{q: q})
	rc.Queues[campaignsQueue] = river.QueueConfig{MaxWorkers: 4,
		FetchPollInterval: q.cfg.PollInterval,
		FetchCooldown:     min(q.cfg.PollInterval, 100*time.Millisecond)}
	if q.cfg.manualTicks {
		return
	}
	rc.PeriodicJobs = append(rc.PeriodicJobs, river.NewPeriodicJob(
		river.PeriodicInterval(q.cfg.CampaignInterval),
		func() (river.JobArgs, *river.InsertOpts) {
			at := q.optimizerNow().Truncate(q.cfg.CampaignInterval)
			return CampaignsTickArgs{At: at}, nil
		},
		// Running at start, as the sync does, gives daily analytics
		// today's ad spend without waiting a whole interval.
		&river.PeriodicJobOpts{ID: "campaigns_tick", RunOnStart: true},
	))
}

func (q *Queue) optimizerNow() time.Time {
	if o := q.cfg.Optimizer; o != nil && o.Now != nil {
		return o.Now().UTC()
	}
	return time.Now().UTC()
}

// EnqueueCampaignsTick queues the round of campaign optimisation at, as
// the schedule does every CampaignInterval. A round already queued is
// not queued again.
func (q *Queue) EnqueueCampaignsTick(ctx context.Context, at time.Time) error {
	if q.cfg.Optimizer == nil {
		return fmt.Errorf("jobqueue: campaign optimisation is off")
	}
	_, err := q.client.Insert(ctx, CampaignsTickArgs{At: at.UTC()}, nil)
	if err != nil {
		return fmt.Errorf("jobqueue: enqueue campaigns tick: %w", err)
	}
	return nil
}
