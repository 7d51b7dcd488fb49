package db

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"

	"salescoach/coach"
	"salescoach/coach/forecast"
)

// ForecastTeam returns what a forecast of the team as of at learns from: its
// deals made before at (archived ones left out), each with its live stage
// entries and close-date changes before at — an undo counts when it was made
// before at — and the team's reporting currency.
func (s *DB) ForecastTeam(ctx context.Context, teamID string, at time.Time) (forecast.Team, error) {
	team := forecast.Team{ID: teamID}
	var deals []struct {
		ID          int64   `db:"id"`
		Number      int     `db:"number"`
		ExternalID  *string `db:"external_id"`
		Name        string  `db:"name"`
		Owner       string  `db:"owner_id"`
		AmountCents *int64  `db:"amount_cents"`
		Currency    string  `db:"currency"`
	}
	var events []struct {
		DealID int64      `db:"deal_id"`
		Kind   string     `db:"kind"`
		Entry  *string    `db:"entry"`
		Date   *time.Time `db:"close_date"`
		At     time.Time  `db:"at"`
	}
	err := s.readTx(ctx, func(tx *sqlx.Tx) error {
		if err := tx.GetContext(ctx, &team.Currency, `SELECT coalesce((SELECT currency FROM teams WHERE id = $1), 'USD')`, teamID); err != nil {
			return err
		}
		if err := tx.SelectContext(ctx, &deals, `
SELECT id, number, external_id, name, owner_id, amount_cents, currency FROM deals
WHERE team_id = $1 AND NOT archived AND created_at < $2 ORDER BY number`, teamID, at); err != nil {
			return err
		}
		return tx.SelectContext(ctx, &events, `
SELECT e.deal_id, e.kind, e.entry, (e.fields->>'close_date')::date AS close_date, e.at
FROM events e JOIN deals d ON d.id = e.deal_id
WHERE e.team_id = $1 AND NOT d.archived AND e.at < $2 AND (e.entry IS NOT NULL OR e.kind = 'due')
  AND NOT EXISTS (SELECT 1 FROM events r WHERE r.team_id = $1 AND r.reverts = e.id)
ORDER BY e.deal_id, e.at, e.id`, teamID, at)
	})
	if err != nil {
		return team, translate(err)
	}
	index := make(map[int64]int, len(deals))
	for i, d := range deals {
		fd := forecast.Deal{Number: d.Number, Name: d.Name, Owner: d.Owner, Amount: coach.Money{Currency: d.Currency}}
		if d.ExternalID != nil {
			fd.ExternalID = *d.ExternalID
		}
		if d.AmountCents != nil {
			fd.Amount.Cents, fd.HasAmount = *d.AmountCents, true
		}
		index[d.ID] = i
		team.Deals = append(team.Deals, fd)
	}
	for _, e := range events {
		i, ok := index[e.DealID]
		if !ok {
			continue
		}
		d := &team.Deals[i]
		if e.Kind == string(coach.EvDue) {
			u := forecast.Due{At: e.At.UTC()}
			if e.Date != nil {
				u.Date = closeDate(sql.NullTime{Time: *e.Date, Valid: true})
			}
			d.Dues = append(d.Dues, u)
			continue
		}
		d.Entries = append(d.Entries, forecast.Entry{Stage: coach.Stage(*e.Entry), At: e.At.UTC()})
	}
	return team, nil
}

// AddDues logs the close dates of a history on the team's deals, found by
// their external ids, each as a 'due' event at its time by its author; the
// demo team's history has them. Dues of one deal must come oldest first.
// Deals not found are skipped. It returns the events appended.
func (s *DB) AddDues(ctx context.Context, teamID string, dues []coach.HistoryDue) (int, error) {
	var ids []struct {
		ID         int64  `db:"id"`
		ExternalID string `db:"external_id"`
	}
	if err := s.db.SelectContext(ctx, &ids, `SELECT id, external_id FROM deals WHERE team_id = $1 AND external_id IS NOT NULL`, teamID); err != nil {
		return 0, translate(err)
	}
	byExt := make(map[string]int64, len(ids))
	for _, r := range ids {
		byExt[r.ExternalID] = r.ID
	}
	n := 0
	for _, u := range dues {
		id, ok := byExt[u.DealID]
		if !ok {
			continue
		}
		c := coach.Caller{TeamID: teamID, UserID: u.Author, Manager: true}
		_, _, err := s.Change(ctx, c, id, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
			ev := coach.Event{DealID: d.ID, Kind: coach.EvDue, ActorID: u.Author, At: u.At}
			if !d.CloseDate.IsZero() {
				ev.Fields.Prev = &coach.Fields{CloseDate: d.CloseDate.Format(coach.DayLayout)}
			}
			if u.Date.IsZero() {
				ev.Fields.NoCloseDate = true
			} else {
				ev.Fields.CloseDate = u.Date.Format(coach.DayLayout)
			}
			return ev, nil
		})
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
