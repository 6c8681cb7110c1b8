package jobqueue

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// DailySyncArgs starts a sync of every account: it queues one
// AccountSyncArgs job per account that does not need a new login, so that
// several instances share the accounts.
type DailySyncArgs struct{}

// Kind names the job in the queue.
func (DailySyncArgs) Kind() string { return "daily_sync" }

type dailySyncWorker struct {
	river.WorkerDefaults[DailySyncArgs]
	q *Queue
}

func (w *dailySyncWorker) Work(ctx context.Context,
	job *river.Job[DailySyncArgs]) (err error) {
	start := time.Now()
	defer func() { w.q.observe(job.Kind, start, err) }()

	accounts, err := w.q.store.Accounts(ctx, 0)
	if err != nil {
		return fmt.Errorf("daily sync: %w", err)
	}

	var params []river.InsertManyParams
	for _, a := range accounts {
		if a.Health.NeedsRelogin {
			continue
		}
		params = append(params, river.InsertManyParams{
			Args:       AccountSyncArgs{AccountID: a.ID},
			InsertOpts: accountSyncOpts(),
		})
	}
	if len(params) == 0 {
		return nil
	}

	if _, err := w.q.client.InsertMany(ctx, params); err != nil {
		return fmt.Errorf("daily sync: queue accounts: %w", err)
	}
	return nil
}

// AccountSyncArgs syncs one account's sessions and its studio's daily
// analytics.
type AccountSyncArgs struct {
	AccountID int64 `json:"account_id"`
}

// Kind names the job in the queue.
func (AccountSyncArgs) Kind() string { return "account_sync" }

// accountSyncOpts keeps one sync per account waiting or running at a time.
func accountSyncOpts() *river.InsertOpts {
	return &river.InsertOpts{
		UniqueOpts: river.UniqueOpts{
			ByArgs: true,
			ByState: []rivertype.JobState{
				rivertype.JobStateAvailable, rivertype.JobStatePending,
				rivertype.JobStateRunning, rivertype.JobStateScheduled,
				rivertype.JobStateRetryable,
			},
		},
	}
}

type accountSyncWorker struct {
	river.WorkerDefaults[AccountSyncArgs]
	q *Queue
}

func (w *accountSyncWorker) Work(ctx context.Context,
	job *river.Job[AccountSyncArgs]) (err error) {
	start := time.Now()
	defer func() { w.q.observe(job.Kind, start, err) }()

	_, err = w.q.syncer.SyncAccount(ctx, job.Args.AccountID, nil)
	return noRetry(err)
}
