package db

import (
	"context"
	"time"
)

// ClaimDigestFile claims a picture of a subscription-week's digest before it
// is uploaded, and reports whether this call claimed it: false when it was
// claimed before, by this process or another, whatever became of it. The
// primary key of digest_files makes it once-only.
func (s *DB) ClaimDigestFile(ctx context.Context, subID int64, week time.Time, picture string, at time.Time) (bool, error) {
	const q = `
INSERT INTO digest_files (subscription_id, week, picture, claimed_at) VALUES ($1, $2, $3, $4)
ON CONFLICT DO NOTHING`
	res, err := s.db.ExecContext(ctx, q, subID, week.Format("2006-01-02"), picture, at)
	if err != nil {
		return false, translate(err)
	}
	n, err := res.RowsAffected()
	return n == 1, translate(err)
}

// FinishDigestFile records how the upload of a claimed picture ended: failure
// is "" when it was shared, else what went wrong.
func (s *DB) FinishDigestFile(ctx context.Context, subID int64, week time.Time, picture, failure string, at time.Time) error {
	const q = `
UPDATE digest_files SET state = CASE WHEN $4 = '' THEN 'uploaded' ELSE 'failed' END,
	error = nullif($4, ''), finished_at = $5
WHERE subscription_id = $1 AND week = $2 AND picture = $3 AND state = 'claimed'`
	_, err := s.db.ExecContext(ctx, q, subID, week.Format("2006-01-02"), picture, failure, at)
	return translate(err)
}

// DigestFile is what digest_files says of one picture of a digest.
type DigestFile struct {
	Picture string `db:"picture"`
	State   string `db:"state"`
	Error   string `db:"error"`
}

// DigestFiles returns the pictures recorded for a subscription-week, by name.
func (s *DB) DigestFiles(ctx context.Context, subID int64, week time.Time) ([]DigestFile, error) {
	var out []DigestFile
	err := s.db.SelectContext(ctx, &out, `
SELECT picture, state, coalesce(error, '') AS error FROM digest_files
WHERE subscription_id = $1 AND week = $2 ORDER BY picture`, subID, week.Format("2006-01-02"))
	return out, translate(err)
}
