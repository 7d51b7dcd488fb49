package handlers_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
	"salescoach/bot/transport"
	"salescoach/coach"
	"salescoach/db/dbtest"
)

// statsNow is when the stats tests ask: the end of the history example.
var statsNow = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)

// historyFixture is a bot whose team (f.team) holds the history example,
// answering as of statsNow, with U0001…U0004 as reps and UBOSS as a manager.
func historyFixture(t *testing.T) *fixture {
	t.Helper()
	f, err := os.Open("../../testdata/history-example.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, bad := coach.ParseHistoryCSV(f)
	if len(bad) > 0 {
		t.Fatal(bad)
	}
	return importedFixture(t, dbtest.TeamID(t), coach.History{Rows: rows}, statsNow)
}

// importedFixture is a bot whose team holds the history h, answering as of
// now, with UBOSS as a manager.
func importedFixture(t *testing.T, team string, h coach.History, now time.Time) *fixture {
	t.Helper()
	store := dbtest.Shared(t)
	if _, err := store.Import(context.Background(), team, h, now); err != nil {
		t.Fatal(err)
	}
	app := handlers.New(handlers.Config{Store: store, Managers: []string{"UBOSS"}, Now: func() time.Time { return now }})
	srv := httptest.NewServer((&transport.Server{App: app, SigningSecret: bottest.Secret}).Handler())
	t.Cleanup(srv.Close)
	return &fixture{store: store, db: store, app: app, slack: &bottest.Slack{T: t, BaseURL: srv.URL}, team: team}
}

func report(t *testing.T, f *fixture, owner string, weeks int) coach.Report {
	t.Helper()
	r, err := f.db.ReportFor(context.Background(), f.team, owner, statsNow.AddDate(0, 0, -7*weeks), statsNow)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCoachStats(t *testing.T) {
	t.Parallel()
	f := historyFixture(t)

	t.Run("ManagerSeesTheTeam", func(t *testing.T) {
		reply := f.slack.Command(f.team, "UBOSS", "/coach", "stats")
		if reply.ResponseType != "ephemeral" {
			t.Errorf("response_type %q, want ephemeral", reply.ResponseType)
		}
		rep := report(t, f, "", 13)
		all := reply.AllText()
		want := []string{
			"Team sales cycle, last 13 weeks (2025-12-31 00:00 – 2026-04-01 00:00)",
			fmt.Sprintf("%d deals · median cycle", rep.CycleDays.Won.N),
			fmt.Sprintf("%.0f%% of deals (%d of %d)", 100**rep.WinRate.ByCount, rep.WinRate.Won, rep.WinRate.Won+rep.WinRate.Lost),
			"of value in USD",
			// Qualification has the longest median among stages with 10+ visits.
			"*Bottleneck:* Qualification — deals wait longest here",
			"*Needs attention now*",
			"*By rep*",
		}
		for _, w := range want {
			if !strings.Contains(all, w) {
				t.Errorf("reply lacks %q:\n%s", w, all)
			}
		}
		for _, u := range rep.Reps {
			line := fmt.Sprintf("<@%s>: won %d, lost %d", u.User, u.Won, u.Lost)
			if !strings.Contains(all, line) {
				t.Errorf("reply lacks %q", line)
			}
			// No rep won 5 deals: their medians are too few to say.
			if u.Won < coach.MinValuesForMedian && !strings.Contains(all, line+" · median won cycle: too few to say") {
				t.Errorf("%s's median won cycle is shown on %d deals", u.User, u.Won)
			}
		}
		if len(rep.StaleDeals) == 0 {
			t.Fatal("the history example has no stale deals at its end; the test needs some")
		}
		d := rep.StaleDeals[0]
		if !strings.Contains(all, fmt.Sprintf("#%d %s · %s", d.Deal, d.Name, d.Stage.Name(coach.EN))) {
			t.Errorf("reply lacks the stalest deal #%d:\n%s", d.Deal, all)
		}
	})

	t.Run("ManagerSeesOneRep", func(t *testing.T) {
		all := f.slack.Command(f.team, "UBOSS", "/coach", "stats <@U0002|bob> weeks 8").AllText()
		rep := report(t, f, "U0002", 8)
		for _, w := range []string{"<@U0002>'s sales cycle, last 8 weeks", fmt.Sprintf("%d of %d", rep.WinRate.Won, rep.WinRate.Won+rep.WinRate.Lost)} {
			if !strings.Contains(all, w) {
				t.Errorf("reply lacks %q:\n%s", w, all)
			}
		}
		if strings.Contains(all, "By rep") || strings.Contains(all, "U0001") {
			t.Errorf("one rep's stats show others:\n%s", all)
		}
	})

	t.Run("RepSeesThemself", func(t *testing.T) {
		all := f.slack.Command(f.team, "U0003", "/coach", "stats").AllText()
		if !strings.Contains(all, "Your sales cycle, last 13 weeks") || strings.Contains(all, "<@U0001>") {
			t.Errorf("a rep's stats:\n%s", all)
		}
		for _, d := range report(t, f, "U0003", 13).StaleDeals {
			if !strings.Contains(all, fmt.Sprintf("#%d %s", d.Deal, d.Name)) {
				t.Errorf("rep's stale deal #%d missing", d.Deal)
			}
		}
	})

	t.Run("RepCannotSeeTheTeam", func(t *testing.T) {
		for _, args := range []string{"stats team", "stats @U0001"} {
			all := f.slack.Command(f.team, "U0003", "/coach", args).AllText()
			if !strings.Contains(all, "Only a manager can see the team's or another rep's numbers") {
				t.Errorf("/coach %s by a rep:\n%s", args, all)
			}
		}
	})

	t.Run("BadArguments", func(t *testing.T) {
		for _, args := range []string{"stats weeks 0", "stats weeks 500", "stats lately", "stats team @U0001"} {
			all := f.slack.Command(f.team, "UBOSS", "/coach", args).AllText()
			if !strings.Contains(all, "Try /coach stats, /coach stats team, /coach stats @rep") {
				t.Errorf("/coach %s:\n%s", args, all)
			}
		}
	})

	t.Run("InChinese", func(t *testing.T) {
		f.slack.Command(f.team, "UBOSS", "/coach", "lang zh")
		all := f.slack.Command(f.team, "UBOSS", "/coach", "统计 团队 8周").AllText()
		for _, w := range []string{"团队销售周期：最近 8 周", "赢率", "瓶颈", "现在需要关注", "按销售", "销售管道速度"} {
			if !strings.Contains(all, w) {
				t.Errorf("reply lacks %q:\n%s", w, all)
			}
		}
	})
}

func TestCoachStatsEmptyTeam(t *testing.T) {
	t.Parallel()
	f := newDBFixture(t, "UBOSS")
	all := f.slack.Command(f.team, "UBOSS", "/coach", "stats").AllText()
	for _, w := range []string{"*Won:* none", "no deal was won or lost in this period", "*Bottleneck:* watch", "Nothing is stuck", "not enough deals closed"} {
		if !strings.Contains(all, w) {
			t.Errorf("reply lacks %q:\n%s", w, all)
		}
	}
}
