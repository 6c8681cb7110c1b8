package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"liveboard"
)

// CreateStudio stores st and sets its ID and CreatedAt.
func (s *Store) CreateStudio(ctx context.Context, st *liveboard.Studio) error {
	if st.Name == "" {
		return liveboard.Errorf(liveboard.EInvalid, "studio name is required")
	}
	if !st.Region.Valid() {
		return liveboard.Errorf(liveboard.EInvalid,
			"studio region %q is unknown", st.Region)
	}

	st.CreatedAt = s.nowUTC()
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO studios (name, region, commission_bp, created_at)
		VALUES ($1, $2, $3, $4)
		RETURNING id`,
		st.Name, string(st.Region), st.CommissionBasisPoints, st.CreatedAt,
	).Scan(&st.ID)
	if err != nil {
		return writeErr(err, "create studio")
	}
	return nil
}

const studioColumns = `id, name, region, commission_bp, created_at`

func scanStudio(row interface{ Scan(...any) error }) (*liveboard.Studio, error) {
	var st liveboard.Studio
	var region string
	err := row.Scan(&st.ID, &st.Name, &region, &st.CommissionBasisPoints,
		&st.CreatedAt)
	if err != nil {
		return nil, err
	}
	st.Region = liveboard.Region(region)
	st.CreatedAt = st.CreatedAt.UTC()
	return &st, nil
}

// Studio returns the studio with that id.
func (s *Store) Studio(ctx context.Context, id int64) (*liveboard.Studio, error) {
	row := s.read.QueryRowContext(ctx,
		`SELECT `+studioColumns+` FROM studios WHERE id = $1`, id)
	st, err := scanStudio(row)
	if err != nil {
		return nil, notFound(err, "studio", id)
	}
	return st, nil
}

// Studios lists every studio, oldest first.
func (s *Store) Studios(ctx context.Context) ([]liveboard.Studio, error) {
	rows, err := s.read.QueryContext(ctx,
		`SELECT `+studioColumns+` FROM studios ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list studios: %w", err)
	}
	return collect(rows, scanStudio)
}

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows,
	scan func(interface{ Scan(...any) error }) (*T, error)) ([]T, error) {
	defer rows.Close()

	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: scan: %w", err)
		}
		out = append(out, *v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: read rows: %w", err)
	}
	return out, nil
}
