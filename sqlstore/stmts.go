package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// stmtCache keeps the write path's statements prepared on the write pool.
// SQLite parses a statement each time it is run unprepared, and parsing
// long statements with many numbered parameters costs more than running
// them; prepared once, each is parsed once per connection.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// execer runs statements: a transaction, or one through the cache.
type execer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string,
		args ...any) (sql.Result, error)
}

// prepareHot prepares the write path's statements not yet prepared. It
// must not run inside a transaction on the write pool, whose single
// SQLite connection the transaction holds.
func (s *Store) prepareHot(ctx context.Context) error {
	c := &s.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	for _, q := range hotQueries {
		if c.stmts[q] != nil {
			continue
		}
		st, err := s.db.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("sqlstore: prepare: %w", err)
		}
		c.stmts[q] = st
	}
	return nil
}

func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stmts[query]
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
}

// in returns tx running queries through their prepared statements when
// the cache has them.
func (s *Store) in(tx *sql.Tx) execer { return txStmts{tx: tx, c: &s.stmts} }

type txStmts struct {
	tx *sql.Tx
	c  *stmtCache
}

func (t txStmts) QueryRowContext(ctx context.Context, query string,
	args ...any) *sql.Row {
	if st := t.c.get(query); st != nil {
		return t.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}

func (t txStmts) ExecContext(ctx context.Context, query string,
	args ...any) (sql.Result, error) {
	if st := t.c.get(query); st != nil {
		return t.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}
