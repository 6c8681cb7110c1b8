package jobqueue

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// boostQueue runs coin boost rounds apart from other work, so that a
// long sync never delays a giveaway.
const boostQueue = "boosts"

// BoostRoundArgs runs round Round of a coin boost plan, due At. It is
// unique by plan and round whatever its state, so that no two instances,
// and no retry that queues it again, run a round twice; the round itself
// is recorded before Shopee is called (see workflow.Booster.Round).
type BoostRoundArgs struct {
	PlanID int64     `json:"plan_id" river:"unique"`
	Round  int       `json:"round" river:"unique"`
	At     time.Time `json:"at"`
}

// Kind names the job in the queue.
func (BoostRoundArgs) Kind() string { return "boost_round" }

// InsertOpts makes the job unique by plan and round. A failed attempt is
// retried: the round is recorded, so running it again gives nothing
// twice.
func (BoostRoundArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: boostQueue, MaxAttempts: 5,
		UniqueOpts: onceEver()}
}

type boostRoundWorker struct {
	river.WorkerDefaults[BoostRoundArgs]
	q *Queue
}

// Timeout bounds a round: a few Shopee calls.
func (w *boostRoundWorker) Timeout(*river.Job[BoostRoundArgs]) time.Duration {
	return 2 * time.Minute
}

// Work runs the round when it is due by the booster's clock, and queues
// the next one.
func (w *boostRoundWorker) Work(ctx context.Context,
	job *river.Job[BoostRoundArgs]) (err error) {
	if wait := w.q.boostWait(job.Args.At); wait > 0 {
		return river.JobSnooze(wait)
	}
	start := time.Now()
	defer func() { w.q.observe(job.Kind, start, err) }()

	args := job.Args
	out, err := w.q.cfg.Booster.Round(ctx, args.PlanID, args.Round)
	if err != nil {
		return err
	}
	if out.Ended {
		w.q.cfg.Logger.Debug("coin boost over", "plan_id", args.PlanID,
			"round", args.Round)
		return nil
	}
	return w.q.insertBoostRound(ctx, args.PlanID, args.Round+1, out.Next)
}

// boostWait is how long to wait before a round due at is run: until it
// is due by the booster's clock, looking again at least every
// BoostPoll.
func (q *Queue) boostWait(at time.Time) time.Duration {
	now := time.Now()
	if b := q.cfg.Booster; b != nil && b.Now != nil {
		now = b.Now()
	}
	wait := at.Sub(now)
	if q.cfg.BoostPoll > 0 {
		wait = min(wait, q.cfg.BoostPoll)
	}
	return wait
}

func (q *Queue) insertBoostRound(ctx context.Context, planID int64,
	round int, at time.Time) error {
	opts := &river.InsertOpts{}
	if wait := q.boostWait(at); wait > 0 {
		opts.ScheduledAt = time.Now().Add(wait)
	}
	_, err := q.client.Insert(ctx, BoostRoundArgs{PlanID: planID,
		Round: round, At: at.UTC()}, opts)
	if err != nil {
		return fmt.Errorf("jobqueue: queue boost plan %d round %d: %w",
			planID, round, err)
	}
	return nil
}

// addBoostWork registers coin boosts' queue and worker when a booster
// is configured.
func (q *Queue) addBoostWork(rc *river.Config, workers *river.Workers) {
	if q.cfg.Booster == nil {
		return
	}
	river.AddWorker(workers, &boostRoundWorker{q: q})
	rc.Queues[boostQueue] = river.QueueConfig{MaxWorkers: 8,
		FetchPollInterval: q.cfg.PollInterval,
		FetchCooldown:     min(q.cfg.PollInterval, 100*time.Millisecond)}
}

// StartBoost queues the first round of a stored plan, due at. Queuing it
// again does nothing.
func (q *Queue) StartBoost(ctx context.Context, planID int64,
	at time.Time) error {
	if q.cfg.Booster == nil {
		return fmt.Errorf("jobqueue: coin boosts are off")
	}
	return q.insertBoostRound(ctx, planID, 1, at)
}
