package bottest

import (
	"context"
	"testing"

	"salescoach/coach"
)

// LogReader is what TeamLogs reads: the in-memory store and the database
// both have it.
type LogReader interface {
	ListDeals(ctx context.Context, teamID string, f coach.ListFilter) ([]coach.Deal, int, error)
	Logs(ctx context.Context, teamID string, dealIDs []int64) (map[int64][]coach.Event, error)
}

// TeamLogs returns a team's deals that are not archived (up to 1,000) and
// their logs by deal id, read through the store as a manager would.
func TeamLogs(t testing.TB, s LogReader, team string) ([]coach.Deal, map[int64][]coach.Event) {
	t.Helper()
	ctx := context.Background()
	deals, _, err := s.ListDeals(ctx, team, coach.ListFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(deals))
	for i, d := range deals {
		ids[i] = d.ID
	}
	logs, err := s.Logs(ctx, team, ids)
	if err != nil {
		t.Fatal(err)
	}
	return deals, logs
}
