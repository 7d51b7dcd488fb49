package coach

import (
	"errors"
	"strings"
	"testing"
)

func TestNoteObjection(t *testing.T) {
	tests := []struct {
		note  string
		want  Objection // "" when the note records none
		error string    // part of the friendly line for a bad type
	}{
		{"objection:price they compare us with a cheaper tool", ObjPrice, ""},
		{"call went well. Objection: risk, they want a pilot", ObjTrust, ""},
		{"异议：价格 对方嫌贵", ObjPrice, ""},
		{"异议:竞品，他们也在看 Globex", ObjCompetitor, ""},
		{"objection:competitor", ObjCompetitor, ""},
		{"sent pricing to the CFO", "", ""},
		{"noobjection:price is not a tag", "", ""},
		{"objection:cost", ObjPrice, ""},
		{"objection:bugdet they want it cheaper", "", `There is no objection type "bugdet": use one of price, timing, authority, need, trust, indecision, competitor`},
		{"objection: ", "", "Which objection?"},
	}
	for _, tt := range tests {
		got, ok, err := NoteObjection(tt.note, 4)
		if tt.error != "" {
			var e *Error
			if !errors.As(err, &e) || e.Code != EInvalid || !strings.Contains(e.EN(), tt.error) || !strings.Contains(e.EN(), "/deal note #4 objection:price") || e.ZH() == "" {
				t.Errorf("NoteObjection(%q) error = %v, want an EInvalid line with %q and an example", tt.note, err, tt.error)
			}
			continue
		}
		if err != nil || got != tt.want || ok != (tt.want != "") {
			t.Errorf("NoteObjection(%q) = %q, %v, %v, want %q", tt.note, got, ok, err, tt.want)
		}
	}
}

func TestAddNoteRefusesUnknownObjection(t *testing.T) {
	d, _ := newHistory(Objections, 3).deal()
	c := Caller{UserID: "U1", TeamID: "T1"}
	if _, err := AddNote(c, d, "objection:money they want a discount", ruleNow); err == nil {
		t.Fatal("a note with an unknown objection type was accepted")
	}
	ev, err := AddNote(c, d, "objection:price they want a discount", ruleNow)
	if err != nil || ev.Kind != EvNote {
		t.Fatalf("AddNote = %v, %v", ev, err)
	}
}

func TestRecurring(t *testing.T) {
	tests := []struct {
		name  string
		stats TeamStats
		want  LostReason // "" for none
	}{
		{"FiveOfTenOnPrice", priceHeavy(), ReasonPrice},
		{"ThreeOfTenOnPrice", threeOnPrice(), ""},
		{"TooFewLosses", withLosses(teamStats(), 5, ReasonCount{ReasonPrice, 4}, ReasonCount{ReasonNeed, 1}), ""},
		{"NotClearlyAhead", withLosses(teamStats(), 10, ReasonCount{ReasonPrice, 4}, ReasonCount{ReasonTiming, 3}, ReasonCount{ReasonNeed, 3}), ""},
		{"OtherIsNoPattern", withLosses(teamStats(), 10, ReasonCount{ReasonOther, 6}, ReasonCount{ReasonNeed, 2}, ReasonCount{ReasonPrice, 2}), ""},
		{"Competitor", withLosses(teamStats(), 8, ReasonCount{ReasonCompetitor, 5}, ReasonCount{ReasonPrice, 3}), ReasonCompetitor},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.stats.Recurring()
			if ok != (tt.want != "") || got.Reason != tt.want {
				t.Errorf("Recurring() = %v, %v, want %q", got, ok, tt.want)
			}
		})
	}
}

func TestRank(t *testing.T) {
	type row struct {
		name string
		hist *history
	}
	rows := []row{
		{"small stuck", newHistory(Qualification, 12).note(1).withAmount(1_000_000, "USD")},
		{"small fresh", newHistory(Qualification, 1).withAmount(1_000_000, "USD")},
		{"big slow", newHistory(Qualification, 8).note(1).withAmount(50_000_000, "USD")},
		{"small idle", newHistory(Closing, 16).withAmount(1_200_000, "USD")},
		{"paused", newHistory(Closing, 40).pause(daysAgo(-10), "", 1).withAmount(900_000, "USD")},
		{"small slow", newHistory(Qualification, 8).note(1).withAmount(1_100_000, "USD")},
	}
	deals := make([]Deal, len(rows))
	cs := make([]Advice, len(rows))
	stats := teamStats()
	stats.TypicalN = 0 // no big-deal rule: the ranking alone must lift the big deal
	for i, r := range rows {
		var log []Event
		deals[i], log = r.hist.deal()
		cs[i] = Advise(deals[i], log, stats, ruleNow)
	}
	var got []string
	for _, i := range Rank(deals, cs, ruleNow) {
		got = append(got, rows[i].name)
	}
	want := []string{"big slow", "small stuck", "small idle", "small slow", "paused", "small fresh"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("Rank = %v, want %v", got, want)
	}
	s := Shorten(deals, cs, 2, ruleNow)
	if s.Attention != 4 || s.LeftAttention != 2 || s.LeftOther != 2 || len(s.Shown) != 2 {
		t.Errorf("Shorten = %+v, want 4 needing attention, 2 of them and 2 others left out", s)
	}
}

func TestWeeklyHabit(t *testing.T) {
	seen := map[string]bool{}
	for w := 0; w < 10; w++ {
		h := WeeklyHabit(ruleNow.AddDate(0, 0, 7*w))
		if h.EN == "" || h.ZH == "" {
			t.Fatal("no weekly habit")
		}
		seen[h.EN] = true
	}
	if len(seen) < 2 {
		t.Errorf("the habit never changes from week to week")
	}
	for _, s := range ProcessStages {
		for _, h := range PlaybookFor(s).Habits {
			for _, tac := range PlaybookFor(s).Tactics {
				if tac == h {
					t.Errorf("%s: habit %q is also a per-deal tactic", s, h.EN)
				}
			}
		}
	}
}

func TestCheckObjection(t *testing.T) {
	d, _ := newHistory(Objections, 3).deal()
	lost, _ := newHistory(Objections, 3).lost(ReasonPrice, 1).deal()
	c := Caller{UserID: "U1", TeamID: "T1"}
	tests := []struct {
		name, rest string
		deal       Deal
		ok         bool
		note       string // the note recorded; "" when none
		code       string // the error's code; "" for none
	}{
		{"Type", "objection price they want 10 % off", d, true, "objection:price they want 10 % off", ""},
		{"Chinese", "异议 竞品", d, true, "objection:competitor", ""},
		{"Criterion", "budget", d, false, "", ""},
		{"UnknownType", "objection money", d, true, "", EInvalid},
		{"NoType", "objection", d, true, "", EInvalid},
		{"Lost", "objection price", lost, true, "", EConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, ok, err := CheckObjection(c, tt.deal, tt.rest, ruleNow)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			var e *Error
			if tt.code != "" {
				if !errors.As(err, &e) || e.Code != tt.code {
					t.Fatalf("error = %v, want code %s", err, tt.code)
				}
				return
			}
			if err != nil || ev.Text != tt.note {
				t.Fatalf("CheckObjection = %q, %v, want the note %q", ev.Text, err, tt.note)
			}
			if tt.note != "" {
				if o, found := RecordedObjection([]Event{ev}, ruleNow); !found || string(o) != strings.TrimPrefix(strings.Fields(tt.note)[0], "objection:") {
					t.Errorf("RecordedObjection = %q, %v", o, found)
				}
			}
		})
	}
}

func TestCoachFor(t *testing.T) {
	rep := Caller{UserID: "U1", TeamID: "T1"}
	mgr := Caller{UserID: "U9", TeamID: "T1", Manager: true}
	var e *Error
	if err := CoachFor(rep, "U2"); !errors.As(err, &e) || e.Code != EForbidden || e.ZH() == "" {
		t.Errorf("a rep asking for another rep: %v, want one forbidden line", err)
	}
	if err := CoachFor(rep, "U1"); err != nil {
		t.Errorf("a rep asking for themselves: %v", err)
	}
	if err := CoachFor(mgr, "U2"); err != nil {
		t.Errorf("a manager asking for a rep: %v", err)
	}
}

// TestLoopStepFitsTheObjection: when an objection keeps coming back, the
// next step is the play for its type (COACHING.md), not proof for every one:
// price is re-anchored on the cost of the problem, not met with a reference
// call; authority goes to the decision-maker; need back to discovery.
func TestLoopStepFitsTheObjection(t *testing.T) {
	wants := map[Objection]string{
		ObjPrice:      "cost of their problem",
		ObjTiming:     "each month of waiting costs",
		ObjAuthority:  "decision-maker",
		ObjNeed:       "back to discovery",
		ObjIndecision: "one firm recommendation",
		ObjTrust:      "reference call",
		ObjCompetitor: "reference call",
	}
	for _, o := range ObjectionTypes {
		step := loopStep(o)
		if !strings.Contains(step.EN, wants[o]) || step.ZH == "" || step.ZH == step.EN {
			t.Errorf("%s: next step %q (zh %q), want it to say %q", o, step.EN, step.ZH, wants[o])
		}
		if o == ObjPrice && strings.Contains(step.EN, "reference call") {
			t.Errorf("price is met with a reference call: %q", step.EN)
		}
	}
}

// TestStuckEarlyHasNoChampion: a deal stuck in Prospecting or Initial
// contact has no champion to ask yet; its "try today" is to get the first
// conversation, while one stuck later asks the champion.
func TestStuckEarlyHasNoChampion(t *testing.T) {
	for _, tt := range []struct {
		stage    Stage
		champion bool
	}{{Prospecting, false}, {Contact, false}, {Qualification, true}, {Presentation, true}} {
		d, log := newHistory(tt.stage, 40).note(1).deal()
		a := Advise(d, log, TeamStats{}, ruleNow)
		if a.Situation.Rule != RuleStage14d {
			t.Fatalf("%s: rule %s, want %s", tt.stage, a.Situation.Rule, RuleStage14d)
		}
		if got := strings.Contains(a.TryToday.EN, "champion"); got != tt.champion || a.TryToday.ZH == "" {
			t.Errorf("%s: try today %q (champion %v, want %v)", tt.stage, a.TryToday.EN, got, tt.champion)
		}
	}
}

func TestOrdinal(t *testing.T) {
	for n, want := range map[int]string{2: "second", 5: "fifth", 6: "6th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 22: "22nd", 23: "23rd", 101: "101st", 111: "111th"} {
		if got := ordinal(n); got != want {
			t.Errorf("ordinal(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestBigDealFactor: the big-deal rule says how many times the typical deal
// it is, rounded down (never more than it is), and "over 100×" past that,
// where the amount is more likely a typo than a deal.
func TestBigDealFactor(t *testing.T) {
	for _, tt := range []struct {
		cents  int64
		en, zh string
	}{
		{50_000_000, "16.6× your team's typical deal", "的 16.6 倍"},
		{99_999_999_999_99, "over 100× your team's typical deal", "的 100 多倍"},
	} {
		d, log := newHistory(Presentation, 2).withAmount(tt.cents, "USD").deal()
		a := Advise(d, log, teamStats(), ruleNow)
		if a.Situation.Rule != RuleBigDeal || !strings.Contains(a.Why.EN, tt.en) || !strings.Contains(a.Why.ZH, tt.zh) {
			t.Errorf("%d cents: %s %q / %q, want %q / %q", tt.cents, a.Situation.Rule, a.Why.EN, a.Why.ZH, tt.en, tt.zh)
		}
	}
}
