package db_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"salescoach/coach"
	"salescoach/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestReportNoData(t *testing.T) {
	s := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r, err := s.Report(context.Background(), team, from, from.AddDate(0, 3, 0))
	if err != nil {
		t.Fatalf("report on a team without data: %v", err)
	}
	b, _ := json.Marshal(r)
	var got map[string]any
	json.Unmarshal(b, &got)
	if got["team_id"] != team || got["from"] != "2026-01-01T00:00:00Z" || got["to"] != "2026-04-01T00:00:00Z" {
		t.Errorf("header: %s", b)
	}
	if got["velocity_per_day"] != nil {
		t.Errorf("velocity_per_day = %v, want null", got["velocity_per_day"])
	}
	win := got["win_rate"].(map[string]any)
	if win["by_count"] != nil || win["by_amount"] != nil || win["won"] != 0.0 || win["amount_excluded"] != 0.0 {
		t.Errorf("win_rate = %v, want zeros and nulls", win)
	}
	stages := got["stages"].([]any)
	if len(stages) != len(coach.OpenStages) {
		t.Fatalf("%d stages, want all %d open stages", len(stages), len(coach.OpenStages))
	}
	for i, st := range stages {
		m := st.(map[string]any)
		if m["stage"] != string(coach.OpenStages[i]) || m["median_days"] != nil || m["conversion"] != nil || m["completed_visits"] != 0.0 {
			t.Errorf("stage %d = %v", i, m)
		}
	}
	if s, ok := got["stale_deals"].([]any); !ok || len(s) != 0 {
		t.Errorf("stale_deals = %v, want []", got["stale_deals"])
	}
	if s, ok := got["reps"].([]any); !ok || len(s) != 0 {
		t.Errorf("reps = %v, want []", got["reps"])
	}
}

func TestReportEmptyWindow(t *testing.T) {
	s := dbtest.Shared(t)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := s.Report(context.Background(), dbtest.TeamID(t), at, at)
	if coach.ErrorCode(err) != coach.EInvalid {
		t.Errorf("from = to: err = %v, want an invalid-input error", err)
	}
}
