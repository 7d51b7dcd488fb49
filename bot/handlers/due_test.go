package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/coach"
)

// TestDue: a rep sets the close date, pushes it (a slip) and clears it; the
// list and the deal show it; bad dates change nothing.
func TestDue(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	steps := []struct {
		text string
		want []string
		not  []string
	}{
		{"add Acme Corp 12k closing", []string{"#1 Acme Corp"}, nil},
		{"due acme 2099-01-01", []string{"more than three years ahead"}, nil},
		{"due acme someday", []string{`Can't read "someday" as a date`}, nil},
		{"due acme 2020-01-01", []string{"before #1 was created"}, nil},
		{"due acme 1w", []string{"#1 Acme Corp is expected to close on"}, []string{"slip"}},
		{"close-date acme 3w", []string{"14 days later than", "slip 1 of this deal, 14 days pushed in all"}, nil},
		{"list", []string{"#1 Acme Corp", " · close 20"}, nil},
		{"show acme", []string{"Expected close", "slipped 1× (14 days in all)"}, nil},
		{"预计成交 acme off", []string{"no expected close date any more"}, nil},
		{"show acme", nil, []string{"Expected close"}},
		{"due acme off", []string{"has no close date — nothing changed"}, nil},
	}
	for _, s := range steps {
		all := f.slack.Command("T1", "U1", "/deal", s.text).AllText()
		for _, w := range s.want {
			if !strings.Contains(all, w) {
				t.Errorf("/deal %s: reply lacks %q:\n%s", s.text, w, all)
			}
		}
		for _, w := range s.not {
			if strings.Contains(all, w) {
				t.Errorf("/deal %s: reply has %q:\n%s", s.text, w, all)
			}
		}
	}
	if all := f.slack.Command("T1", "U1", "/deal", "help").AllText(); !strings.Contains(all, "a later date than before counts as a slip") {
		t.Errorf("help lacks /deal due:\n%s", all)
	}
}

// TestCloseDateInHome: the App Home shows each open deal's close date, marked
// once it has passed, and a Close date button.
func TestCloseDateInHome(t *testing.T) {
	t.Parallel()
	now := bottest.NewClock(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
	u := newUI(t, uiOptions{now: now.Now})
	u.add("T1", "U1", "Acme 12k closing")
	u.add("T1", "U1", "Globex 5k")
	u.command("T1", "U1", "/deal", "due acme 2026-12-05")
	u.drain()

	text := viewText(u.home("T1", "U1"))
	hasAll(t, text, "#1 Acme · $12,000 · Closing · less than a day · close 2026-12-05", `"deal_due"`, "Close date…")
	if strings.Contains(text, "overdue") || strings.Contains(text, "Globex · $5,000 · Prospecting · less than a day · close") {
		t.Errorf("home before the date:\n%s", text)
	}

	now.Set(time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC))
	hasAll(t, viewText(u.home("T1", "U1")), "close 2026-12-05 (overdue 3 days)")

	u.command("T1", "U1", "/coach", "lang zh")
	u.drain()
	hasAll(t, viewText(u.home("T1", "U1")), "预计成交 2026-12-05（已逾期 3 天）", "预计成交…")
}

// TestCloseDateModal: the Close date button opens a modal showing the date;
// its submission sets the date as /deal due does (a later one is a slip), an
// empty field or off clears it, and a date it cannot read or refuses shows
// under the field and changes nothing.
func TestCloseDateModal(t *testing.T) {
	t.Parallel()
	now := bottest.NewClock(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
	u := newUI(t, uiOptions{now: now.Now})
	u.add("T1", "U1", "Acme 12k closing")
	dues := func() int { return countKind(t, u.store, "T1", coach.EvDue) }

	// open clicks Close date on the deal as it is now, from a message, and
	// returns the modal.
	open := func() map[string]any {
		t.Helper()
		d := u.deal("T1", 1)
		before := len(u.api.Calls("views.open"))
		if r := u.click("T1", "U1", "deal_due", itoa(d.ID)+"."+itoa(d.Version), "msg"); r.Status != http.StatusOK {
			t.Fatalf("click: status %d", r.Status)
		}
		opens := u.api.Calls("views.open")
		if len(opens) != before+1 {
			t.Fatalf("%d views.open calls, want %d", len(opens), before+1)
		}
		view := opens[len(opens)-1].JSON["view"].(map[string]any)
		if view["callback_id"] != "deal_due" || !strings.Contains(opens[len(opens)-1].Text(), "Expected close date") {
			t.Fatalf("modal: %v", view)
		}
		return view
	}
	// submit sends the modal with the date typed and returns the answer's
	// field errors (none when the modal closed).
	submit := func(view map[string]any, viewID, date string) map[string]string {
		t.Helper()
		r := u.slack.Interaction(bottest.Submit("T1", "U1", viewID, view, map[string]string{"close_date": date}))
		if r.Status != http.StatusOK {
			t.Fatalf("submit %q: status %d", date, r.Status)
		}
		if len(strings.TrimSpace(string(r.Body))) == 0 {
			u.drain()
			return nil
		}
		var resp struct {
			Action string            `json:"response_action"`
			Errors map[string]string `json:"errors"`
		}
		if err := json.Unmarshal(r.Body, &resp); err != nil || resp.Action != "errors" {
			t.Fatalf("submit %q answered %s", date, r.Body)
		}
		return resp.Errors
	}
	lastPost := func() string {
		calls := u.api.Calls("respond/msg")
		if len(calls) == 0 {
			t.Fatal("nothing posted to the message")
		}
		return calls[len(calls)-1].Text()
	}

	view := open()
	for _, bad := range []struct{ date, want string }{
		{"someday", `Can't read "someday" as a date`},
		{"2020-01-01", "before #1 was created"},
		{"2099-01-01", "more than three years ahead"},
		{"off", "has no close date — nothing changed"},
	} {
		errs := submit(view, "V0DUE1", bad.date)
		if !strings.Contains(errs["close_date"], bad.want) {
			t.Errorf("%q: errors %v, want %q under close_date", bad.date, errs, bad.want)
		}
	}
	if n := dues(); n != 0 {
		t.Fatalf("bad dates recorded %d changes", n)
	}

	if errs := submit(view, "V0DUE1", "2026-12-20"); errs != nil {
		t.Fatalf("a good date refused: %v", errs)
	}
	if d := u.deal("T1", 1); d.CloseDate.Format(coach.DayLayout) != "2026-12-20" || d.Slips != 0 {
		t.Fatalf("close date %v, %d slips", d.CloseDate, d.Slips)
	}
	hasAll(t, lastPost(), "#1 Acme is expected to close on 2026-12-20.")
	// The same modal submitted twice sets the date once.
	submit(view, "V0DUE1", "2026-12-20")
	if n := dues(); n != 1 {
		t.Errorf("%d close-date changes after the same modal twice, want 1", n)
	}

	view = open()
	if !strings.Contains(fmt.Sprint(view["blocks"]), "initial_value:2026-12-20") {
		t.Errorf("the modal does not show the date set: %v", view["blocks"])
	}
	if errs := submit(view, "V0DUE2", "2027-01-10"); errs != nil {
		t.Fatalf("a later date refused: %v", errs)
	}
	if d := u.deal("T1", 1); d.Slips != 1 || d.SlipDays != 21 {
		t.Errorf("after pushing the date: %d slips, %d days, want 1 and 21", d.Slips, d.SlipDays)
	}
	hasAll(t, lastPost(), "21 days later than 2026-12-20: slip 1 of this deal")

	if errs := submit(open(), "V0DUE3", ""); errs != nil {
		t.Fatalf("an empty date refused: %v", errs)
	}
	if d := u.deal("T1", 1); !d.CloseDate.IsZero() {
		t.Errorf("an empty field left the close date %v", d.CloseDate)
	}
	hasAll(t, lastPost(), "no expected close date any more")
	if n := dues(); n != 3 {
		t.Errorf("%d close-date changes in the log, want 3", n)
	}
}

// viewText is a published view as JSON, to search.
func viewText(v map[string]any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
