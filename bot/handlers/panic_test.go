package handlers_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
	"salescoach/bot/jobs"
	"salescoach/bot/observe"
	"salescoach/bot/transport"
	"salescoach/coach"
)

// panicky is a store with a bug: FindDeals panics.
type panicky struct{ *bottest.MemStore }

func (panicky) FindDeals(context.Context, coach.Caller, coach.DealRef, bool) ([]coach.DealName, error) {
	panic("bug in FindDeals")
}

// twoReps is a store with two reps to nudge.
type twoReps struct{ *bottest.MemStore }

func (twoReps) NudgeReps(context.Context, time.Time) ([]coach.NudgeRep, error) {
	return []coach.NudgeRep{{Member: coach.Member{TeamID: "T1", UserID: "U1"}}, {Member: coach.Member{TeamID: "T1", UserID: "U2"}}}, nil
}

// buggyCoach panics while refreshing a rep's profile.
type buggyCoach struct{ jobs.Coach }

func (buggyCoach) Refreshed(context.Context, coach.Member, time.Time) coach.Member {
	panic("bug in Refreshed")
}

func errorsOfKind(t *testing.T, m *observe.Metrics, kind string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if strings.HasPrefix(line, `salescoach_errors_total{kind="`+kind+`"}`) {
			return strings.TrimSpace(strings.TrimPrefix(line, `salescoach_errors_total{kind="`+kind+`"}`))
		}
	}
	return "0"
}

// TestPanicInAHandlerKeepsServing injects a panic into a command's store
// call: the rep gets the usual "nothing was saved" answer, the log has the
// stack, /metrics counts it, and the server goes on answering.
func TestPanicInAHandlerKeepsServing(t *testing.T) {
	t.Parallel()
	store := bottest.NewMemStore()
	logs := &bottest.LogBuffer{}
	metrics := observe.NewMetrics()
	app := handlers.New(handlers.Config{Store: panicky{store}, Metrics: metrics,
		Log: slog.New(slog.NewJSONHandler(logs, nil))})
	srv := httptest.NewServer((&transport.Server{App: app, SigningSecret: bottest.Secret}).Handler())
	t.Cleanup(srv.Close)
	slack := &bottest.Slack{T: t, BaseURL: srv.URL}

	slack.Command("T1", "U1", "/deal", "add Acme Corp 5k")
	reply := slack.Command("T1", "U1", "/deal", "move acme demo")
	if !strings.Contains(reply.AllText(), "nothing was saved") {
		t.Errorf("the reply to a command that panicked does not say nothing was saved:\n%s", reply.AllText())
	}
	if !strings.Contains(logs.String(), "bug in FindDeals") || !strings.Contains(logs.String(), "goroutine") {
		t.Errorf("the log lacks the panic and its stack:\n%s", logs.String())
	}
	if got := errorsOfKind(t, metrics, observe.KindPanic); got != "1" {
		t.Errorf(`salescoach_errors_total{kind="panic"} = %s, want 1`, got)
	}
	// Still serving, and the deal is where it was.
	list := slack.Command("T1", "U1", "/deal", "list")
	if !strings.Contains(list.AllText(), "Acme Corp") {
		t.Errorf("after the panic, /deal list does not show the deal:\n%s", list.AllText())
	}
	deals, _, err := store.ListDeals(context.Background(), "T1", coach.ListFilter{Limit: 10})
	if err != nil || len(deals) != 1 || deals[0].Stage != coach.Prospecting {
		t.Errorf("deals after the panic = %+v, %v; want Acme still in prospecting", deals, err)
	}
}

// TestPanicOverSocketMode: a command that panics over Socket Mode is
// acknowledged with the usual "nothing was saved" answer, logged with its
// stack and counted; the connection goes on carrying the next envelope.
func TestPanicOverSocketMode(t *testing.T) {
	t.Parallel()
	store := bottest.NewMemStore()
	logs := &bottest.LogBuffer{}
	metrics := observe.NewMetrics()
	s := newSocketWith(t, 0, handlers.Config{Store: panicky{store}, Metrics: metrics, Log: slog.New(slog.NewJSONHandler(logs, nil))})

	s.send("env-add", "slash_commands", slashPayload("T1", "U1", "add Acme Corp 5k", s.api.ResponseURL("add")))
	ack := s.send("env-move", "slash_commands", slashPayload("T1", "U1", "move acme demo", s.api.ResponseURL("move")))
	if text := (bottest.Call{JSON: ack["payload"].(map[string]any)}).Text(); !strings.Contains(text, "nothing was saved") {
		t.Errorf("the acknowledgement of a command that panicked carries %q, want that nothing was saved", text)
	}
	if !strings.Contains(logs.String(), "bug in FindDeals") || !strings.Contains(logs.String(), "goroutine") {
		t.Errorf("the log lacks the panic and its stack:\n%s", logs.String())
	}
	if got := errorsOfKind(t, metrics, observe.KindPanic); got != "1" {
		t.Errorf(`salescoach_errors_total{kind="panic"} = %s, want 1`, got)
	}
	list := s.send("env-list", "slash_commands", slashPayload("T1", "U1", "list", s.api.ResponseURL("list")))
	if text := (bottest.Call{JSON: list["payload"].(map[string]any)}).Text(); !strings.Contains(text, "Acme Corp") {
		t.Errorf("after the panic, /deal list over the socket answered %q", text)
	}
	deals, _, err := store.ListDeals(context.Background(), "T1", coach.ListFilter{Limit: 10})
	if err != nil || len(deals) != 1 || deals[0].Stage != coach.Prospecting {
		t.Errorf("deals after the panic = %+v, %v; want Acme still in prospecting", deals, err)
	}
}

// TestPanicInBackgroundWork: work after the answer and a nudge for one rep
// that panic are logged and counted, and the process goes on.
func TestPanicInBackgroundWork(t *testing.T) {
	t.Parallel()
	metrics := observe.NewMetrics()
	logs := &bottest.LogBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	app := handlers.New(handlers.Config{Store: bottest.NewMemStore(), Metrics: metrics, Log: log})
	done := make(chan struct{})
	app.Go(func(context.Context) {
		defer close(done)
		panic("bug after the answer")
	})
	<-done
	if err := app.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "bug after the answer") {
		t.Errorf("the log lacks the background panic:\n%s", logs.String())
	}

	n := &jobs.Nudger{Store: twoReps{bottest.NewMemStore()}, Coach: buggyCoach{app},
		Env: jobs.Env{Metrics: metrics, Log: log, Slack: transport.StaticClients{Token: "xoxb-test"}}}
	_, _ = n.Nudge(context.Background(), time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	if !strings.Contains(logs.String(), "bug in Refreshed") {
		t.Errorf("the log lacks the nudge's panic:\n%s", logs.String())
	}
	if got := errorsOfKind(t, metrics, observe.KindPanic); got != "3" {
		t.Errorf(`salescoach_errors_total{kind="panic"} = %s, want 3 (one after the answer, one per rep nudged)`, got)
	}
}
