package db_test

import (
	"context"
	"testing"
	"time"

	"salescoach/db/dbtest"
)

// BenchmarkPictures times the queries behind the pictures for a team of the
// size of §14 (bigTeam): the moves of the flowchart's 13 weeks, the trend's
// 12 weeks, and all of /coach flow (the report, then the moves):
//
//	go test -run '^$' -bench Pictures -benchtime 20x ./db/
func BenchmarkPictures(b *testing.B) {
	s := dbtest.New(b) // of its own: the timings see only the two teams made here
	to := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	bigTeam(b, s, "TOTHER", to, 1)
	bigTeam(b, s, "TBIG", to, 14)
	ctx := context.Background()
	from := to.AddDate(0, 0, -91)
	b.Run("Transitions13Weeks", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Transitions(ctx, "TBIG", from, to); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("WonCycleWeeks12", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.WonCycleWeeks(ctx, "TBIG", to, 12); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Flow13Weeks", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Report(ctx, "TBIG", from, to); err != nil {
				b.Fatal(err)
			}
			if _, err := s.Transitions(ctx, "TBIG", from, to); err != nil {
				b.Fatal(err)
			}
		}
	})
}
