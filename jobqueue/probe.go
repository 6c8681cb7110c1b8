package jobqueue

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// ProbeAccountsArgs starts a probe of every account's Shopee login: it
// queues one AccountProbeArgs job per account that is not already known
// to need a new login, so that several instances share them.
type ProbeAccountsArgs struct{}

// Kind names the job in the queue.
func (ProbeAccountsArgs) Kind() string { return "probe_accounts" }

type probeAccountsWorker struct {
	river.WorkerDefaults[ProbeAccountsArgs]
	q *Queue
}

func (w *probeAccountsWorker) Work(ctx context.Context,
	job *river.Job[ProbeAccountsArgs]) (err error) {
	start := time.Now()
	defer func() { w.q.observe(job.Kind, start, err) }()

	accounts, err := w.q.store.Accounts(ctx, 0)
	if err != nil {
		return fmt.Errorf("probe accounts: %w", err)
	}

	var params []river.InsertManyParams
	for _, a := range accounts {
		if a.Health.NeedsRelogin {
			continue
		}
		params = append(params, river.InsertManyParams{
			Args:       AccountProbeArgs{AccountID: a.ID},
			InsertOpts: accountSyncOpts(),
		})
	}
	if len(params) == 0 {
		return nil
	}
	if _, err := w.q.client.InsertMany(ctx, params); err != nil {
		return fmt.Errorf("probe accounts: queue accounts: %w", err)
	}
	return nil
}

// AccountProbeArgs checks one account's Shopee login; see
// workflow.Prober.ProbeAccount.
type AccountProbeArgs struct {
	AccountID int64 `json:"account_id"`
}

// Kind names the job in the queue.
func (AccountProbeArgs) Kind() string { return "account_probe" }

type accountProbeWorker struct {
	river.WorkerDefaults[AccountProbeArgs]
	q *Queue
}

// Work probes the account. A probe is not retried: the next scheduled
// one comes soon enough.
func (w *accountProbeWorker) Work(ctx context.Context,
	job *river.Job[AccountProbeArgs]) (err error) {
	start := time.Now()
	defer func() { w.q.observe(job.Kind, start, err) }()

	if w.q.cfg.Prober == nil {
		return nil
	}
	if err := w.q.cfg.Prober.ProbeAccount(ctx, job.Args.AccountID); err != nil {
		return river.JobCancel(err)
	}
	return nil
}

// probeJob is the periodic probe, when probes are configured.
func (q *Queue) probeJob() []*river.PeriodicJob {
	if q.cfg.Prober == nil || q.cfg.ProbeInterval <= 0 {
		return nil
	}
	return []*river.PeriodicJob{river.NewPeriodicJob(
		river.PeriodicInterval(q.cfg.ProbeInterval),
		func() (river.JobArgs, *river.InsertOpts) {
			return ProbeAccountsArgs{}, nil
		},
		&river.PeriodicJobOpts{ID: "probe_accounts"},
	)}
}

// EnqueueProbe queues a probe of every account now, as the schedule
// would.
func (q *Queue) EnqueueProbe(ctx context.Context) error {
	if _, err := q.client.Insert(ctx, ProbeAccountsArgs{}, nil); err != nil {
		return fmt.Errorf("jobqueue: enqueue probe: %w", err)
	}
	return nil
}
