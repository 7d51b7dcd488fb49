package coach

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/scenarios")

// One Slack screen: the composed advice of one deal must fit in it.
const (
	maxReplyLines = 6
	maxReplyRunes = 1200
)

// scenario is one situation a sales lead would try.
type scenario struct {
	name      string
	hist      *history
	stats     TeamStats
	rule      Rule
	attention bool
	whyHas    []string // in the English why: the numbers that make the reason true
	has       []string // anywhere in the English text
	hasNot    []string // nowhere in the English text
}

func priceHeavy() TeamStats { // a real recurring loss: 5 of 10 on price, next 2
	return withLosses(teamStats(), 10, ReasonCount{ReasonPrice, 5}, ReasonCount{ReasonTiming, 2},
		ReasonCount{ReasonNeed, 2}, ReasonCount{ReasonOther, 1})
}

func threeOnPrice() TeamStats { // 3 of the last 10 on price: no pattern
	return withLosses(teamStats(), 10, ReasonCount{ReasonPrice, 3}, ReasonCount{ReasonTiming, 3},
		ReasonCount{ReasonNeed, 2}, ReasonCount{ReasonCompetitor, 2})
}

func scenarios() []scenario {
	pauseUntil := time.Date(2026, 4, 16, 0, 0, 0, 0, time.UTC)
	s := []scenario{
		{name: "prospecting-fresh", hist: newHistory(Prospecting, 1), stats: teamStats(), rule: RuleOnTrack,
			whyHas: []string{"Prospecting for 1 day"}},
		{name: "contact-fresh", hist: newHistory(Contact, 2), stats: teamStats(), rule: RuleOnTrack},
		{name: "qualification-fresh", hist: newHistory(Qualification, 2), stats: teamStats(), rule: RuleOnTrack,
			whyHas: []string{"your team usually takes 5 days"}},
		{name: "qualification-half-confirmed", hist: newHistory(Qualification, 3).check(Qualification, "need", 2).check(Qualification, "budget", 1),
			stats: teamStats(), rule: RuleOnTrack, has: []string{"how their last purchase of a similar size was approved"},
			hasNot: []string{"one-page summary"}},
		{name: "presentation-before-demo", hist: newHistory(Presentation, 2), stats: teamStats(), rule: RuleOnTrack,
			has: []string{"Before the demo"}, hasNot: []string{"Within 24 hours of the demo"}},
		{name: "presentation-after-demo", hist: newHistory(Presentation, 3).add(Event{Kind: EvNote, Text: "demo done with the ops team", At: daysAgo(1)}),
			stats: teamStats(), rule: RuleOnTrack, has: []string{"Within 24 hours of the demo"}},
		{name: "objections-fresh", hist: newHistory(Presentation, 8).move(Objections, 2), stats: teamStats(), rule: RuleOnTrack},
		{name: "closing-fresh", hist: newHistory(Closing, 3), stats: teamStats(), rule: RuleOnTrack},
		{name: "closing-all-confirmed", hist: newHistory(Closing, 4).check(Closing, "proposal", 3).check(Closing, "paperwork", 3).
			check(Closing, "signer", 2).check(Closing, "kickoff", 1), stats: teamStats(), rule: RuleOnTrack, has: []string{"/deal won #12"}},

		{name: "qualification-slow", hist: newHistory(Qualification, 8).note(1), stats: teamStats(), rule: RuleStageP75, attention: true,
			whyHas: []string{"longer than 3 in 4 of your team's past visits", "8 days"}},
		{name: "qualification-stuck", hist: newHistory(Qualification, 12).check(Qualification, "budget", 5).note(1), stats: teamStats(),
			rule: RuleStageP90, attention: true, whyHas: []string{"longer than 9 in 10 of your team's past visits", "12 days"},
			has: []string{"Not confirmed yet: need, authority"}, hasNot: []string{"Not confirmed yet: need, budget"}},
		{name: "presentation-stuck-few-visits", hist: newHistory(Presentation, 16).note(3), stats: teamStats(), rule: RuleStage14d, attention: true,
			whyHas: []string{"16 days", "more than two weeks"}},
		{name: "closing-stuck", hist: newHistory(Closing, 30).note(2), stats: teamStats(), rule: RuleClosingStuck, attention: true,
			whyHas: []string{"Closing for 30 days", "9 in 10"}, has: []string{"still a priority"}},
		{name: "closing-idle", hist: newHistory(Closing, 16), stats: teamStats(), rule: RuleIdle, attention: true,
			whyHas: []string{"Nothing logged for 16 days"}},

		{name: "overdue-closing", hist: newHistory(Closing, 6).add(Event{Kind: EvDue, Fields: Fields{CloseDate: "2026-03-01"}, At: daysAgo(20)}).
			add(Event{Kind: EvDue, Fields: Fields{CloseDate: "2026-03-10"}, At: daysAgo(10)}), stats: teamStats(), rule: RuleOverdue, attention: true,
			whyHas: []string{"expected close date was 10 Mar, 8 days ago", "pushed once"}, has: []string{"/deal due #12"}},
		{name: "close-date-ahead", hist: newHistory(Closing, 6).add(Event{Kind: EvDue, Fields: Fields{CloseDate: "2026-03-30"}, At: daysAgo(5)}),
			stats: teamStats(), rule: RuleOnTrack},
		{name: "paused-qualification", hist: newHistory(Qualification, 20).pause(pauseUntil, "waiting for their budget cycle", 1),
			stats: teamStats(), rule: RulePaused, has: []string{"Paused until 16 Apr (waiting for their budget cycle) — on that day,"}},
		{name: "paused-closing", hist: newHistory(Closing, 40).pause(pauseUntil, "", 1), stats: teamStats(), rule: RulePaused,
			has: []string{"Paused until 16 Apr — on that day,"}},

		{name: "moved-back", hist: newHistory(Qualification, 20).move(Presentation, 10).move(Qualification, 3), stats: teamStats(),
			rule: RuleMovedBack, attention: true, whyHas: []string{"Moved back from Presentation to Qualification on 15 Mar"}},
		{name: "objection-loop-price", hist: newHistory(Presentation, 30).move(Objections, 20).move(Closing, 10).move(Objections, 2).
			add(Event{Kind: EvNote, Text: "objection:price they compare us with a cheaper tool", At: daysAgo(1)}),
			stats: teamStats(), rule: RuleObjectionLoop, attention: true, whyHas: []string{"second time"},
			has: []string{"Price — do not discount first"}, hasNot: []string{"Indecision"}},
		{name: "objection-loop-untyped", hist: newHistory(Presentation, 30).move(Objections, 20).move(Presentation, 10).move(Objections, 2),
			stats: teamStats(), rule: RuleObjectionLoop, attention: true, has: []string{"objection:price (or timing"}},
		{name: "objection-loop-left-for-closing", hist: newHistory(Presentation, 30).move(Objections, 20).move(Presentation, 15).
			move(Objections, 10).move(Closing, 3), stats: teamStats(), rule: RuleOnTrack, hasNot: []string{"Objection"}},
		{name: "objection-reopened", hist: newHistory(Objections, 20).lost(ReasonPrice, 10).add(Event{Kind: EvReopen, Entry: Objections, At: daysAgo(2)}),
			stats: teamStats(), rule: RuleOnTrack, hasNot: []string{"Objection keeps coming back", "Moved back"}},
		{name: "objection-competitor", hist: newHistory(Objections, 3).add(Event{Kind: EvNote, Text: "objection:competitor they also look at Globex", At: daysAgo(1)}),
			stats: teamStats(), rule: RuleObjection, has: []string{"Competitor — never criticise the rival"}},
		{name: "skipped-qualification", hist: newHistory(Contact, 10).move(Presentation, 2), stats: teamStats(), rule: RuleSkipped, attention: true,
			has: []string{"Need, budget, authority, timeline were never confirmed"}},
		{name: "reopened-closing", hist: newHistory(Closing, 30).lost(ReasonTiming, 20).add(Event{Kind: EvReopen, Entry: Closing, At: daysAgo(1)}),
			stats: teamStats(), rule: RuleOnTrack},

		{name: "won-today", hist: newHistory(Closing, 10).won(0.1), stats: teamStats(), rule: RuleWon,
			whyHas: []string{"Won today"}, has: []string{"Within 3 working days of the win"}},
		{name: "won-three-weeks-kickoff-done", hist: newHistory(Closing, 30).won(21).check(Retention, "kickoff", 19).check(Retention, "handoff", 19),
			stats: teamStats(), rule: RuleWon, whyHas: []string{"Won 21 days ago", "confirmed so far: kickoff, handoff"}, has: []string{"first-value review"}},
		{name: "won-long-ago-nothing-confirmed", hist: newHistory(Closing, 130).won(108), stats: teamStats(), rule: RuleWon,
			whyHas: []string{"Won 108 days ago"}, has: []string{"No kick-off is recorded"}, hasNot: []string{"Within 3 working days"}},
		{name: "won-long-ago-all-confirmed", hist: newHistory(Closing, 200).won(180).check(Retention, "kickoff", 178).check(Retention, "handoff", 178).
			check(Retention, "first-value", 150).check(Retention, "nps", 120).check(Retention, "advocacy", 90),
			stats: teamStats(), rule: RuleWon, has: []string{"renewal"}},

		{name: "big-deal", hist: newHistory(Presentation, 2).withAmount(50_000_000, "USD"), stats: teamStats(), rule: RuleBigDeal, attention: true,
			whyHas: []string{"$500,000", "16.6×"}},
		{name: "tiny-team-fresh", hist: newHistory(Qualification, 2), stats: TeamStats{At: ruleNow}, rule: RuleOnTrack,
			whyHas: []string{"Qualification for 2 days — on track"}},
		{name: "team-recurring-price-loss", hist: newHistory(Qualification, 2), stats: priceHeavy(), rule: RuleRecurringLoss,
			whyHas: []string{"5 of your team's last 10 lost deals were lost on price"}, has: []string{"Confirm the budget range before the proposal"}},
		{name: "team-recurring-loss-closing", hist: newHistory(Closing, 2), stats: priceHeavy(), rule: RuleOnTrack},
		{name: "team-three-of-ten-on-price", hist: newHistory(Qualification, 2), stats: threeOnPrice(), rule: RuleOnTrack,
			hasNot: []string{"price"}},
		{name: "team-recurring-loss-under-stuck", hist: newHistory(Qualification, 12).note(1), stats: priceHeavy(), rule: RuleStageP90, attention: true},
	}
	for _, r := range LostReasons {
		s = append(s, scenario{name: "lost-" + string(r), hist: newHistory(Presentation, 30).lost(r, 2), stats: teamStats(),
			rule: RuleLost, whyHas: []string{"Lost 2 days ago — reason: " + r.Name(EN)}, has: []string{"Within a week", "loss review"}})
	}
	return s
}

var (
	ruleIDs   = regexp.MustCompile(`\b[a-z]+_[a-z0-9_]+\b`)
	jargon    = regexp.MustCompile(`(?i)\bp(75|90)\b|\b0(\.0)? days\b|completed visits`)
	zhBanned  = []string{"经济决策人", "内部支持者", "交易", "资格审查", "演示推介", "完成销售", "跟进和客户保留"} // one term per concept: 决策人, 内线, 商机, the stage names
	asciiPunc = ",.;:?!()"
)

func TestScenarios(t *testing.T) {
	ss := scenarios()
	if len(ss) < 30 {
		t.Fatalf("%d scenarios, want at least 30", len(ss))
	}
	for _, sc := range ss {
		t.Run(sc.name, func(t *testing.T) {
			d, log := sc.hist.deal()
			c := Advise(d, log, sc.stats, ruleNow)
			if c.Situation.Rule != sc.rule {
				t.Fatalf("rule = %s (%s), want %s", c.Situation.Rule, c.Why.EN, sc.rule)
			}
			if c.Attention != sc.attention {
				t.Errorf("needs attention = %v, want %v", c.Attention, sc.attention)
			}
			var golden strings.Builder
			fmt.Fprintf(&golden, "rule %s · needs attention %v\n", c.Situation.Rule, c.Attention)
			for _, lang := range []Lang{EN, ZH} {
				text := c.PlainText(lang)
				checkReply(t, d, c, lang, text)
				fmt.Fprintf(&golden, "\n== %s ==\n%s", lang, text)
			}
			en := c.PlainText(EN)
			for _, w := range sc.whyHas {
				if !strings.Contains(c.Why.EN, w) {
					t.Errorf("why %q lacks %q", c.Why.EN, w)
				}
			}
			for _, w := range sc.has {
				if !strings.Contains(en, w) {
					t.Errorf("reply lacks %q:\n%s", w, en)
				}
			}
			for _, w := range sc.hasNot {
				if strings.Contains(en, w) {
					t.Errorf("reply has %q:\n%s", w, en)
				}
			}
			checkGolden(t, sc.name, golden.String())
		})
	}
}

// checkReply checks what a sales lead checks in any reply.
func checkReply(t *testing.T, d Deal, c Advice, lang Lang, text string) {
	t.Helper()
	lines := c.Lines(lang)
	if len(lines) > maxReplyLines || utf8.RuneCountInString(text) > maxReplyRunes {
		t.Errorf("%s: %d lines, %d characters; one Slack screen is %d lines, %d characters:\n%s",
			lang, len(lines), utf8.RuneCountInString(text), maxReplyLines, maxReplyRunes, text)
	}
	if d.Status == StatusOpen {
		want := PlaybookFor(d.Stage).FiveA.In(lang)
		if c.Tactic5A.In(lang) != want || !strings.Contains(text, want) {
			t.Errorf("%s: the stage's 5A tactic is missing:\n%s", lang, text)
		}
	}
	if m := ruleIDs.FindString(text); m != "" {
		t.Errorf("%s: shows the internal id %q:\n%s", lang, m, text)
	}
	if m := jargon.FindString(text); m != "" {
		t.Errorf("%s: shows %q:\n%s", lang, m, text)
	}
	for i, a := range lines {
		if a.Text == "" {
			t.Errorf("%s: line %q is empty", lang, a.Label)
		}
		for _, b := range lines[i+1:] {
			if a.Text == b.Text || strings.Contains(a.Text, b.Text) || strings.Contains(b.Text, a.Text) {
				t.Errorf("%s: %q repeats %q", lang, a.Label, b.Label)
			}
		}
	}
	lower := strings.ToLower(text)
	for _, phrase := range genericPhrases {
		if strings.Contains(lower, strings.ToLower(phrase)) {
			t.Errorf("%s: generic advice %q:\n%s", lang, phrase, text)
		}
	}
	if lang == EN && hasHan(text) {
		t.Errorf("en: contains Chinese:\n%s", text)
	}
	switch {
	case d.Paused(ruleNow):
		for _, w := range []string{"today", "今天", "this week", "本周"} {
			if strings.Contains(lower, w) {
				t.Errorf("%s: a paused deal is told %q:\n%s", lang, w, text)
			}
		}
	case d.Status == StatusWon:
		for _, w := range []string{"not confirmed before", "/deal next", "signing date", "未确认："} {
			if strings.Contains(lower, w) {
				t.Errorf("%s: a won deal is told %q:\n%s", lang, w, text)
			}
		}
	case d.Status == StatusLost:
		if c.TryToday != (Text{}) || c.Tactic5A != (Text{}) {
			t.Errorf("%s: a lost deal gets a 5A tactic or a try-today:\n%s", lang, text)
		}
	}
	if lang == ZH {
		for _, w := range zhBanned {
			if strings.Contains(text, w) {
				t.Errorf("zh: uses %q:\n%s", w, text)
			}
		}
		checkFullWidth(t, text)
	}
}

// checkFullWidth fails on ASCII punctuation next to a Chinese character.
func checkFullWidth(t *testing.T, text string) {
	t.Helper()
	rs := []rune(text)
	for i, r := range rs {
		if !strings.ContainsRune(asciiPunc, r) {
			continue
		}
		before := i > 0 && unicode.Is(unicode.Han, rs[i-1])
		after := i+1 < len(rs) && unicode.Is(unicode.Han, rs[i+1])
		if before || after {
			lo, hi := max(0, i-8), min(len(rs), i+8)
			t.Errorf("zh: ASCII %q next to Chinese in %q", r, string(rs[lo:hi]))
		}
	}
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "scenarios", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./coach -run TestScenarios -update writes it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (go test ./coach -run TestScenarios -update rewrites it after a reviewed change):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
