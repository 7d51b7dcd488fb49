package db

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"strings"
	"time"

	"salescoach/coach"
)

// memberRow is what a member query reads.
type memberRow struct {
	Currency   sql.NullString `db:"currency"`
	Known      bool           `db:"known"`
	Manager    bool           `db:"manager"`
	SlackAdmin bool           `db:"slack_admin"`
	Lang       string         `db:"lang"`
	Locale     string         `db:"locale"`
	TZ         string         `db:"tz"`
	FetchedAt  sql.NullTime   `db:"fetched_at"`
}

const memberCols = `t.currency, u.id IS NOT NULL AS known, coalesce(u.manager, false) AS manager,
	coalesce(u.slack_admin, false) AS slack_admin, coalesce(u.lang, '') AS lang,
	coalesce(u.locale, '') AS locale, coalesce(u.tz, '') AS tz, u.fetched_at`

func (r memberRow) member(teamID, userID string) coach.Member {
	return coach.Member{
		TeamID: teamID, UserID: userID, Manager: r.Manager, SlackAdmin: r.SlackAdmin,
		Lang: coach.Lang(r.Lang), Locale: r.Locale, TZ: r.TZ, FetchedAt: r.FetchedAt.Time,
		Currency: r.Currency.String,
	}
}

// Member returns what the store knows of a user of a team, adding the team
// and the user on first sight.
func (s *DB) Member(ctx context.Context, teamID, userID string) (coach.Member, error) {
	const q = `
SELECT ` + memberCols + `
FROM teams t LEFT JOIN users u ON u.team_id = t.id AND u.id = $2
WHERE t.id = $1`
	var r memberRow
	err := s.get(ctx, nil, &r, q, teamID, userID)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !r.Known {
		if err := s.EnsureTeam(ctx, teamID); err != nil {
			return coach.Member{}, err
		}
		if _, err := s.db.ExecContext(ctx, `INSERT INTO users (team_id, id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, teamID, userID); err != nil {
			return coach.Member{}, translate(err)
		}
		return s.Member(ctx, teamID, userID)
	}
	if err != nil {
		return coach.Member{}, translate(err)
	}
	return r.member(teamID, userID), nil
}

// Sighting records a Slack request signature like FirstSighting and, in the
// same round trip, reads what the store knows of the user the request names
// (known is false when the user is new: ask Member, which adds them).
//
// A signature is known by its lower-cased text: the verifier reads its hex in
// either case, so the same signature in upper or mixed case is the same
// request.
func (s *DB) Sighting(ctx context.Context, signature string, now time.Time, teamID, userID string) (first bool, m coach.Member, known bool, err error) {
	signature = strings.ToLower(signature) // no copy when it is lower case already, as Slack sends it
	const q = `
WITH ins AS (
	INSERT INTO slack_requests (signature, seen_at, nonce) VALUES ($1, $2, $3)
	ON CONFLICT DO NOTHING RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM ins) OR EXISTS (SELECT 1 FROM slack_requests WHERE signature = $1 AND nonce = $3) AS first,
	` + memberCols + `
FROM (SELECT 1) one
LEFT JOIN teams t ON t.id = $4
LEFT JOIN users u ON u.team_id = t.id AND u.id = $5`
	var r struct {
		First bool `db:"first"`
		memberRow
	}
	if err := s.get(ctx, nil, &r, q, signature, now, rand.Int64(), teamID, userID); err != nil {
		return false, coach.Member{}, false, translate(err)
	}
	return r.First, r.member(teamID, userID), r.Known && r.Currency.Valid, nil
}

// EnsureTeam adds a team when it is new.
func (s *DB) EnsureTeam(ctx context.Context, teamID string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO teams (id) VALUES ($1) ON CONFLICT DO NOTHING`, teamID)
	return translate(err)
}

// SetLang records the language a user chose; "" returns to the Slack locale.
func (s *DB) SetLang(ctx context.Context, teamID, userID string, lang coach.Lang) error {
	_, err := s.db.ExecContext(ctx, `UPDATE users SET lang = $3 WHERE team_id = $1 AND id = $2`,
		teamID, userID, nullString(string(lang)))
	return translate(err)
}

// SetProfile caches what Slack says of a user: locale, time zone, admin.
func (s *DB) SetProfile(ctx context.Context, teamID, userID, locale, tz string, admin bool, at time.Time) error {
	const q = `
INSERT INTO users (team_id, id, locale, tz, slack_admin, fetched_at) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (team_id, id) DO UPDATE SET locale = $3, tz = $4, slack_admin = $5, fetched_at = $6`
	_, err := s.db.ExecContext(ctx, q, teamID, userID, nullString(locale), nullString(tz), admin, at)
	return translate(err)
}

// SetManager makes a user a manager of the team, or a rep again.
func (s *DB) SetManager(ctx context.Context, teamID, userID string, manager bool) error {
	const q = `
INSERT INTO users (team_id, id, manager) VALUES ($1, $2, $3)
ON CONFLICT (team_id, id) DO UPDATE SET manager = $3`
	_, err := s.db.ExecContext(ctx, q, teamID, userID, manager)
	return translate(err)
}

// Managers returns the users of the team made managers in the bot or known as
// Slack admins, by user id.
func (s *DB) Managers(ctx context.Context, teamID string) ([]string, error) {
	var ids []string
	err := s.db.SelectContext(ctx, &ids, `SELECT id FROM users WHERE team_id = $1 AND (manager OR slack_admin) ORDER BY id`, teamID)
	return ids, translate(err)
}

// SetCurrency sets the team's reporting currency.
func (s *DB) SetCurrency(ctx context.Context, teamID, currency string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE teams SET currency = $2 WHERE id = $1`, teamID, currency)
	return translate(err)
}

// FirstSighting records a Slack request signature and reports whether it is
// new. A signature seen before is a replay. Signatures older than ten minutes
// are forgotten: Slack's 5-minute window refuses such requests anyway.
func (s *DB) FirstSighting(ctx context.Context, signature string, now time.Time) (bool, error) {
	first, _, _, err := s.Sighting(ctx, signature, now, "", "")
	return first, err
}

// ForgetRequests deletes request signatures seen before cutoff.
func (s *DB) ForgetRequests(ctx context.Context, cutoff time.Time) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM slack_requests WHERE seen_at < $1`, cutoff)
	return translate(err)
}
