package handlers_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
	"salescoach/bot/jobs"
	"salescoach/bot/transport"
	"salescoach/coach"
	"salescoach/coach/forecast"
	"salescoach/db"
	"salescoach/db/dbtest"
	"salescoach/demo"
)

// forecastNow is when the forecast tests ask.
var forecastNow = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// forecastFixture is a bot whose team (f.team) has 200 days of a known
// process's history (reps demo.RepID(f.team, i)), and UBOSS as a manager; it
// answers as of forecastNow.
func forecastFixture(t *testing.T) *fixture {
	t.Helper()
	team := dbtest.TeamID(t)
	return importedFixture(t, team, demo.KnownProcess.Run(team, forecastNow, 200, 7), forecastNow)
}

func TestCoachForecast(t *testing.T) {
	t.Parallel()
	f := forecastFixture(t)
	want, acc, err := jobs.TeamForecast(context.Background(), f.db, f.team, forecastNow, 30)
	if err != nil {
		t.Fatal(err)
	}
	if want.TooLittle || acc.Months == 0 || len(want.Deals) == 0 {
		t.Fatalf("the fixture's history is too short: %+v, %+v", want, acc)
	}

	t.Run("ManagerSeesTheTeam", func(t *testing.T) {
		reply := f.slack.Command(f.team, "UBOSS", "/coach", "forecast")
		if reply.ResponseType != "ephemeral" {
			t.Errorf("response_type %q, want ephemeral", reply.ResponseType)
		}
		top := want.Deals[0]
		hasAll(t, reply.AllText(),
			"Forecast of the next 30 days, as of 2026-12-01",
			fmt.Sprintf("*Wins:* %.1f expected of %d open deals (80%%: %.0f–%.0f)", want.ExpectedWon, len(want.Deals), want.WonInterval.P10, want.WonInterval.P90),
			"*Value:* $", "*Accuracy:* over the last 3 months",
			fmt.Sprintf("the actual wins fell in their 80%% range %d of 3 times, the won amount in its range %d of 3", acc.WonInside, acc.AmountInside),
			"*Most likely to close*",
			fmt.Sprintf("#%d %s", top.Deal, top.Name),
			fmt.Sprintf("<@%s> · %.0f%% to win · likely close %s", top.Owner, 100*top.PWin, *top.ExpectedClose),
			fmt.Sprintf("and %d more open deals, less likely", len(want.Deals)-10))
	})

	t.Run("RepSeesOwnDealsOnly", func(t *testing.T) {
		rep := demo.RepID(f.team, 0)
		var own []string
		var expected float64
		for _, d := range want.Deals {
			if d.Owner == rep {
				own = append(own, fmt.Sprintf("#%d %s", d.Deal, d.Name))
				expected += d.PWin
			}
		}
		if len(own) == 0 {
			t.Fatal("the rep has no open deal")
		}
		all := f.slack.Command(f.team, rep, "/coach", "forecast").AllText()
		hasAll(t, all, fmt.Sprintf("Your %d open deals over the next 30 days: %.1f wins expected.", len(own), expected))
		hasAll(t, all, own[:min(len(own), 10)]...)
		for _, d := range want.Deals {
			if d.Owner != rep && strings.Contains(all, fmt.Sprintf("#%d %s ·", d.Deal, d.Name)) {
				t.Errorf("a rep sees another rep's deal #%d:\n%s", d.Deal, all)
			}
		}
		for _, no := range []string{"Wins:", "Value:", "Accuracy", "The team", "<@"} {
			if strings.Contains(all, no) {
				t.Errorf("a rep's forecast has %q:\n%s", no, all)
			}
		}
	})

	t.Run("Window", func(t *testing.T) {
		for _, args := range []string{"days 60", "60 days", "60d", "60天"} {
			if all := f.slack.Command(f.team, "UBOSS", "/coach", "forecast "+args).AllText(); !strings.Contains(all, "Forecast of the next 60 days") {
				t.Errorf("/coach forecast %s:\n%s", args, all)
			}
		}
	})

	t.Run("BadWindow", func(t *testing.T) {
		before := f.events(t)
		for _, args := range []string{"days 0", "days abc", "days 1000", "-5", "team"} {
			reply := f.slack.Command(f.team, "UBOSS", "/coach", "forecast "+args)
			if !strings.Contains(reply.Text, "is not a forecast window. Give 1 to 366 days, e.g. /coach forecast days 30.") || len(reply.Blocks) != 1 {
				t.Errorf("/coach forecast %s: want one friendly line, got %q and %d blocks", args, reply.Text, len(reply.Blocks))
			}
		}
		if after := f.events(t); after != before {
			t.Errorf("bad input changed the event log: %d events, then %d", before, after)
		}
	})

	t.Run("Chinese", func(t *testing.T) {
		f.slack.Command(f.team, "UBOSS", "/coach", "lang zh")
		defer f.slack.Command(f.team, "UBOSS", "/coach", "lang en")
		hasAll(t, f.slack.Command(f.team, "UBOSS", "/coach", "预测").AllText(),
			"未来 30 天的预测（截至 2026-12-01）", "*赢单：*", "*准确度：*过去 3 个月", "*最可能成交*", "赢单概率")
		hasAll(t, f.slack.Command(f.team, "UBOSS", "/coach", "预测 天 1000").Text, "不是有效的预测天数")
	})

	t.Run("TooLittleHistory", func(t *testing.T) {
		other := dbtest.TeamID(t) // a new team with a single deal
		f.slack.Command(other, "UBOSS", "/deal", "add Acme 12k closing")
		for _, user := range []string{"UBOSS", "U2"} {
			if all := f.slack.Command(other, user, "/coach", "forecast").AllText(); !strings.Contains(all, "Too little history to forecast the next 30 days: it needs 20 past deals, 5 of them won within 30 days.") {
				t.Errorf("%s on a new team:\n%s", user, all)
			}
		}
	})

	t.Run("RepWithoutDeals", func(t *testing.T) {
		if all := f.slack.Command(f.team, "UNEW", "/coach", "forecast").AllText(); !strings.Contains(all, "You have no open deals to forecast.") {
			t.Errorf("a rep with no deal:\n%s", all)
		}
	})
}

// unavailableForecasts is a store whose forecasts fail as when the database
// goes away.
type unavailableForecasts struct{ *db.DB }

func (unavailableForecasts) ForecastTeam(context.Context, string, time.Time) (forecast.Team, error) {
	return forecast.Team{}, coach.ErrUnavailable
}

// panickingForecasts is a store whose forecasts panic.
type panickingForecasts struct{ *db.DB }

func (panickingForecasts) ForecastTeam(context.Context, string, time.Time) (forecast.Team, error) {
	panic("forecast broke")
}

// TestCoachForecastLater has a forecast not ready within Slack's request
// budget (SlowWait < 0): the reply says it is on its way, and the forecast
// arrives once at the command's response_url; a failure there is the usual
// line, and nothing else is posted.
func TestCoachForecastLater(t *testing.T) {
	t.Parallel()
	store := dbtest.Shared(t)
	team := dbtest.TeamID(t)
	if _, err := store.Import(context.Background(), team, demo.KnownProcess.Run(team, forecastNow, 200, 7), forecastNow); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		reporter jobs.Reporter
		want     string
	}{
		{"Ready", store, "Forecast of the next 30 days, as of 2026-12-01"},
		{"Unavailable", unavailableForecasts{store}, "Sales Coach lost its database"},
		{"Panic", panickingForecasts{store}, "Something went wrong on our side and nothing was saved"},
	} {
		t.Run(c.name, func(t *testing.T) {
			api := bottest.NewAPI(t, nil)
			app := handlers.New(handlers.Config{Store: store, Reporter: c.reporter, Managers: []string{"UBOSS"},
				Now: func() time.Time { return forecastNow }, SlowWait: -1})
			srv := httptest.NewServer((&transport.Server{App: app, SigningSecret: bottest.Secret}).Handler())
			t.Cleanup(srv.Close)
			s := &bottest.Slack{T: t, BaseURL: srv.URL}
			form := bottest.Form(team, "UBOSS", "/coach", "forecast")
			form.Set("response_url", api.ResponseURL("forecast"))
			reply := s.Post("/slack/commands", "application/x-www-form-urlencoded", []byte(form.Encode()), true).Message(t)
			if !strings.Contains(reply.Text, "The answer will appear here") {
				t.Errorf("the first reply does not say the answer is on its way: %q", reply.AllText())
			}
			posted := api.Wait("respond/", 1)[0].Text()
			if !strings.Contains(posted, c.want) {
				t.Errorf("posted to the response_url:\n%s\nwant %q", posted, c.want)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			app.Drain(ctx)
			if n := len(api.Calls("respond/")); n != 1 {
				t.Errorf("%d posts to the response_url, want 1", n)
			}
		})
	}
}
