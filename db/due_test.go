package db_test

import (
	"context"
	"testing"

	"salescoach/coach"
	"salescoach/db/dbtest"
)

// TestCloseDateKept: a close date set, slipped and cleared is kept in the
// log and in the deal as read back, lists included.
func TestCloseDateKept(t *testing.T) {
	t.Parallel()
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	ctx := context.Background()
	d := newDeal(t, s, team, "U1", "Acme")
	c := coach.Caller{TeamID: team, UserID: "U1"}
	due := func(arg string) (coach.Deal, error) {
		d, _, err := s.Change(ctx, c, d.ID, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
			args, err := coach.ParseDueArgs(arg, d.Number, t0)
			if err != nil {
				return coach.Event{}, err
			}
			return coach.Due(c, d, args, t0)
		})
		return d, err
	}
	for _, arg := range []string{"2026-03-20", "2026-04-03"} {
		if _, err := due(arg); err != nil {
			t.Fatalf("due %s: %v", arg, err)
		}
	}
	got, log, err := s.Deal(ctx, c, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.CloseDate.Format(coach.DayLayout) != "2026-04-03" || got.Slips != 1 || got.SlipDays != 14 {
		t.Errorf("read back close date %v, %d slips, %d days; want 2026-04-03, 1, 14", got.CloseDate, got.Slips, got.SlipDays)
	}
	if last := log[len(log)-1]; last.Kind != coach.EvDue || last.Fields.CloseDate != "2026-04-03" ||
		last.Fields.Prev == nil || last.Fields.Prev.CloseDate != "2026-03-20" {
		t.Errorf("last event %+v; want due 2026-04-03 after 2026-03-20", last)
	}
	list, _, err := s.ListDeals(ctx, team, coach.ListFilter{Owner: "U1", Statuses: []coach.Status{coach.StatusOpen}})
	if err != nil || len(list) != 1 || !list[0].CloseDate.Equal(got.CloseDate) {
		t.Fatalf("list: %v %+v; want the deal with its close date", err, list)
	}
	if _, err := due("someday"); coach.ErrorCode(err) != coach.EInvalid {
		t.Errorf("someday: %v; want a friendly refusal", err)
	}
	cleared, err := due("off")
	if err != nil || !cleared.CloseDate.IsZero() || cleared.Slips != 1 {
		t.Errorf("off: %v, close date %v, %d slips; want cleared with the slip kept", err, cleared.CloseDate, cleared.Slips)
	}
}
