package db

import (
	"context"
	"crypto/md5"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salescoach/coach"
)

// ChangeOnce is Change for a button click or a modal submission. key names the
// click (the version it was drawn for, a view id); a key already recorded for
// the deal returns coach.ErrAlreadyDone, and with version not 0 a deal whose
// version moved on since returns coach.ErrStale. Both change nothing. The
// click is recorded in the change's transaction under the deal's lock, and the
// primary key of deal_clicks makes it once-only even without the lock.
func (s *DB) ChangeOnce(ctx context.Context, c coach.Caller, id int64, key string, version int64, decide coach.Decide) (coach.Deal, coach.Event, error) {
	return s.change(ctx, c, id, func(ctx context.Context, tx *sqlx.Tx, d coach.Deal, ev coach.Event) error {
		if ev.ID == 0 { // before the decision
			var done bool
			err := tx.GetContext(ctx, &done, `SELECT EXISTS (SELECT 1 FROM deal_clicks WHERE deal_id = $1 AND key = $2)`, d.ID, key)
			if err != nil {
				return translate(err)
			}
			if done {
				return coach.ErrAlreadyDone
			}
			if version != 0 && d.Version != version {
				return coach.ErrStale
			}
			return nil
		}
		return click(ctx, tx, c, d.ID, key, sql.NullInt64{Int64: ev.ID, Valid: true}, ev.At)
	}, decide)
}

func click(ctx context.Context, q sqlx.ExecerContext, c coach.Caller, dealID int64, key string, eventID sql.NullInt64, at time.Time) error {
	_, err := q.ExecContext(ctx, `
INSERT INTO deal_clicks (deal_id, key, team_id, user_id, event_id, at) VALUES ($1, $2, $3, $4, $5, $6)`,
		dealID, key, c.TeamID, c.UserID, eventID, at)
	if isUnique(err, "deal_clicks_pkey") {
		return coach.ErrAlreadyDone
	}
	return translate(err)
}

// ClickOnce records a click that changes no deal (sharing it) on a deal the
// caller may see. It returns coach.ErrAlreadyDone when key was recorded for
// the deal before.
func (s *DB) ClickOnce(ctx context.Context, c coach.Caller, id int64, key string, at time.Time) error {
	d, err := s.dealByID(ctx, nil, c.TeamID, id, false)
	if err != nil {
		return err
	}
	if !c.CanSee(d) {
		return errNoDeal
	}
	return click(ctx, s.db, c, id, key, sql.NullInt64{}, at)
}

// ForgetClick deletes one recorded click on a deal of the caller's team, so
// that the same button works again (its work failed after the click was
// recorded).
func (s *DB) ForgetClick(ctx context.Context, c coach.Caller, id int64, key string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM deal_clicks WHERE deal_id = $1 AND key = $2 AND team_id = $3`, id, key, c.TeamID)
	return translate(err)
}

// ForgetClicks deletes the record of clicks and submissions made before
// cutoff. By then a button drawn for a deal's version has long been stale
// (ChangeOnce refuses it by version) and Slack retries nothing that old.
func (s *DB) ForgetClicks(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM deal_clicks WHERE at < $1`, cutoff)
	if err != nil {
		return 0, translate(err)
	}
	n, err := res.RowsAffected()
	return n, translate(err)
}

// FirstEvent records an Events API delivery and reports whether it is new:
// Slack retries with the same event_id.
func (s *DB) FirstEvent(ctx context.Context, eventID, teamID, typ string, at time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, `
INSERT INTO slack_events (event_id, team_id, type, received_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (event_id) DO NOTHING`, eventID, teamID, typ, at)
	if err != nil {
		return false, translate(err)
	}
	n, err := res.RowsAffected()
	return n == 1, translate(err)
}

// UnmarkEvent forgets a delivery whose handling failed, so that Slack's retry
// is handled.
func (s *DB) UnmarkEvent(ctx context.Context, eventID string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM slack_events WHERE event_id = $1`, eventID)
	return translate(err)
}

// ForgetEvents deletes the deliveries received before cutoff; Slack stops
// retrying within the hour.
func (s *DB) ForgetEvents(ctx context.Context, cutoff time.Time) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM slack_events WHERE received_at < $1`, cutoff)
	return translate(err)
}

// SaveInstallation stores a workspace's installation, replacing an earlier
// one, and cancels the deletion of its data if it had uninstalled the app.
func (s *DB) SaveInstallation(ctx context.Context, in coach.Installation) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		const team = `
INSERT INTO teams (id, name) VALUES ($1, $2)
ON CONFLICT (id) DO UPDATE SET name = CASE WHEN $2 <> '' THEN $2 ELSE teams.name END`
		if _, err := tx.ExecContext(ctx, team, in.TeamID, in.TeamName); err != nil {
			return translate(err)
		}
		const q = `
INSERT INTO installations (team_id, team_name, enterprise_id, app_id, bot_user_id, bot_token, scopes, installed_by, installed_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (team_id) DO UPDATE SET team_name = $2, enterprise_id = $3, app_id = $4, bot_user_id = $5,
	bot_token = $6, scopes = $7, installed_by = $8, installed_at = $9`
		if _, err := tx.ExecContext(ctx, q, in.TeamID, in.TeamName, nullString(in.EnterpriseID), in.AppID,
			in.BotUserID, in.BotToken, in.Scopes, in.InstalledBy, in.InstalledAt); err != nil {
			return translate(err)
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM team_purges WHERE team_id = $1`, in.TeamID)
		return translate(err)
	})
}

// ErrNotInstalled is returned for a workspace with no stored installation.
var ErrNotInstalled = coach.Fail(coach.ENotFound, "not_installed", nil)

// Installation returns the stored installation of a workspace, or
// ErrNotInstalled.
func (s *DB) Installation(ctx context.Context, teamID string) (coach.Installation, error) {
	var r struct {
		TeamID       string         `db:"team_id"`
		TeamName     string         `db:"team_name"`
		EnterpriseID sql.NullString `db:"enterprise_id"`
		AppID        string         `db:"app_id"`
		BotUserID    string         `db:"bot_user_id"`
		BotToken     []byte         `db:"bot_token"`
		Scopes       string         `db:"scopes"`
		InstalledBy  string         `db:"installed_by"`
		InstalledAt  time.Time      `db:"installed_at"`
	}
	err := s.db.GetContext(ctx, &r, `
SELECT team_id, team_name, enterprise_id, app_id, bot_user_id, bot_token, scopes, installed_by, installed_at
FROM installations WHERE team_id = $1`, teamID)
	if errors.Is(err, sql.ErrNoRows) {
		return coach.Installation{}, ErrNotInstalled
	}
	if err != nil {
		return coach.Installation{}, translate(err)
	}
	return coach.Installation{
		TeamID: r.TeamID, TeamName: r.TeamName, EnterpriseID: r.EnterpriseID.String, AppID: r.AppID,
		BotUserID: r.BotUserID, BotToken: r.BotToken, Scopes: r.Scopes, InstalledBy: r.InstalledBy,
		InstalledAt: r.InstalledAt.UTC(),
	}, nil
}

// SealedTokens returns every stored installation's sealed bot token, by team:
// serve checks at start-up that each still opens with its key.
func (s *DB) SealedTokens(ctx context.Context) (map[string][]byte, error) {
	var rows []struct {
		TeamID   string `db:"team_id"`
		BotToken []byte `db:"bot_token"`
	}
	if err := s.db.SelectContext(ctx, &rows, `SELECT team_id, bot_token FROM installations`); err != nil {
		return nil, translate(err)
	}
	out := make(map[string][]byte, len(rows))
	for _, r := range rows {
		out[r.TeamID] = r.BotToken
	}
	return out, nil
}

// Uninstall forgets a workspace's bot token at once and schedules the deletion
// of all its data at purgeAfter; an earlier schedule is kept. now is when it
// uninstalled: activity after it means it installed the app again.
func (s *DB) Uninstall(ctx context.Context, teamID, reason string, now, purgeAfter time.Time) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM installations WHERE team_id = $1`, teamID); err != nil {
			return translate(err)
		}
		const q = `
INSERT INTO team_purges (team_id, reason, uninstalled_at, purge_after)
SELECT id, $2, $3, $4 FROM teams WHERE id = $1
ON CONFLICT (team_id) DO NOTHING`
		_, err := tx.ExecContext(ctx, q, teamID, reason, now, purgeAfter)
		return translate(err)
	})
}

// PurgeAfter returns when the deletion of the team's data is due, and false
// when none is scheduled: the workspace never uninstalled the app, installed
// it again, or PurgeTeams called the deletion off.
func (s *DB) PurgeAfter(ctx context.Context, teamID string) (time.Time, bool, error) {
	var at time.Time
	err := s.db.GetContext(ctx, &at, `SELECT purge_after FROM team_purges WHERE team_id = $1`, teamID)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, translate(err)
	}
	return at.UTC(), true, nil
}

// PurgeTeams deletes every workspace whose deletion is due at now, with all
// its rows (every table references teams with ON DELETE CASCADE), its Events
// API deliveries and its deal-number sequence, and returns
// their ids. A workspace active since it uninstalled the app (a deal changed,
// an event from Slack) installed it again: its deletion is called off. With a
// single workspace's token (no OAuth) that is the only sign of a reinstall.
func (s *DB) PurgeTeams(ctx context.Context, now time.Time) ([]string, error) {
	var ids []string
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		const back = `
DELETE FROM team_purges p
WHERE EXISTS (SELECT 1 FROM events e WHERE e.team_id = p.team_id AND e.at > p.uninstalled_at)
   OR EXISTS (SELECT 1 FROM slack_events v WHERE v.team_id = p.team_id AND v.received_at > p.uninstalled_at
              AND v.type NOT IN ('app_uninstalled', 'tokens_revoked'))`
		if _, err := tx.ExecContext(ctx, back); err != nil {
			return translate(err)
		}
		err := tx.SelectContext(ctx, &ids, `
DELETE FROM teams WHERE id IN (SELECT team_id FROM team_purges WHERE purge_after <= $1)
RETURNING id`, now)
		if err != nil {
			return translate(err)
		}
		if len(ids) == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM slack_events WHERE team_id = ANY($1)`, pq.StringArray(ids)); err != nil {
			return translate(err)
		}
		// The team's deal-number sequence goes too: it tells how many deals
		// there were, and a reinstall starts again at #1.
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `DROP SEQUENCE IF EXISTS `+pq.QuoteIdentifier(dealNumbers(id))); err != nil {
				return translate(err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("purge teams: %w", err)
	}
	return ids, nil
}

// UseOAuthState records that the OAuth install state with this nonce, valid
// until expires, is being used, and reports whether it is the first use: a
// state works once, whichever serve process gets it. States that expired
// before now are forgotten.
func (s *DB) UseOAuthState(ctx context.Context, nonce string, expires, now time.Time) (bool, error) {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM oauth_states WHERE expires_at < $1`, now); err != nil {
		return false, translate(err)
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO oauth_states (nonce, used_at, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		nonce, now, expires)
	if err != nil {
		return false, translate(err)
	}
	n, err := res.RowsAffected()
	return n == 1, translate(err)
}

// dealNumbers names the sequence next_deal_number keeps for a team.
func dealNumbers(teamID string) string {
	sum := md5.Sum([]byte(teamID))
	return "deal_numbers_" + hex.EncodeToString(sum[:])
}

// PipelineTotals returns the team's open deals per stage with their value in
// the team's reporting currency, in process order; stages without deals are
// left out.
func (s *DB) PipelineTotals(ctx context.Context, teamID string) ([]coach.StageTotal, error) {
	const q = `
SELECT d.stage, count(*) AS deals,
	coalesce(sum(d.amount_cents) FILTER (WHERE d.currency = t.currency), 0) AS cents,
	count(*) FILTER (WHERE d.amount_cents IS NOT NULL AND d.currency <> t.currency) AS excluded
FROM deals d JOIN teams t ON t.id = d.team_id
WHERE d.team_id = $1 AND d.status = 'open' AND NOT d.archived
GROUP BY d.stage`
	var rows []struct {
		Stage    string `db:"stage"`
		Deals    int    `db:"deals"`
		Cents    int64  `db:"cents"`
		Excluded int    `db:"excluded"`
	}
	if err := s.db.SelectContext(ctx, &rows, q, teamID); err != nil {
		return nil, translate(err)
	}
	byStage := map[coach.Stage]coach.StageTotal{}
	for _, r := range rows {
		byStage[coach.Stage(r.Stage)] = coach.StageTotal{Stage: coach.Stage(r.Stage), Deals: r.Deals, Cents: r.Cents, Excluded: r.Excluded}
	}
	var out []coach.StageTotal
	for _, st := range coach.OpenStages {
		if t, ok := byStage[st]; ok {
			out = append(out, t)
		}
	}
	return out, nil
}
