package handlers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/slack-go/slack"

	"salescoach/bot/handlers"
	"salescoach/bot/render"
	"salescoach/coach"
	"salescoach/coach/forecast"
	"salescoach/db/dbtest"
	"salescoach/demo"
)

func f64(v float64) *float64 { return &v }

// stages returns the six open stages with n completed visits and a median
// of med days each; edit the result for the stage a test is about.
func stages(n int, med float64) []coach.StageStats {
	var out []coach.StageStats
	for _, s := range coach.OpenStages {
		out = append(out, coach.StageStats{Stage: s, CompletedVisits: n, MedianDays: f64(med), P75Days: f64(med + 1), P90Days: f64(med + 2)})
	}
	return out
}

func setStage(st []coach.StageStats, s coach.Stage, n int, med, p90 float64) []coach.StageStats {
	for i := range st {
		if st[i].Stage == s {
			st[i].CompletedVisits, st[i].MedianDays, st[i].P90Days = n, f64(med), f64(p90)
		}
	}
	return st
}

// sample is a small team's week: 5 closed this week, 8 in the 4 weeks before.
func sample() render.DigestReports {
	return render.DigestReports{
		Week: coach.Report{
			Currency: "USD", WonCents: 3_000_000,
			CycleDays: coach.CycleDays{Won: coach.Summary{N: 3, Median: f64(41)}, Lost: coach.Summary{N: 2, Median: f64(12)}},
			WinRate:   coach.WinRate{Won: 3, Lost: 2, ByCount: f64(0.6)},
			Reps:      []coach.RepStats{{User: "U1", Won: 2, Open: 4}, {User: "U2", Won: 1, Lost: 2, Open: 3}, {User: "U9"}},
		},
		Before: coach.Report{
			Currency: "USD", WonCents: 8_000_000,
			CycleDays: coach.CycleDays{Won: coach.Summary{N: 6, Median: f64(38)}, Lost: coach.Summary{N: 2, Median: f64(9)}},
			WinRate:   coach.WinRate{Won: 6, Lost: 2, ByCount: f64(0.75)},
		},
		Quarter: coach.Report{
			Currency: "USD",
			Stages:   stages(6, 4),
			Reps:     []coach.RepStats{{User: "U1", Won: 7, Open: 4, MedianWonCycleDays: f64(39)}, {User: "U2", Won: 3, Lost: 4, Open: 3, MedianWonCycleDays: f64(30)}},
			StaleDeals: []coach.StaleDeal{
				{Deal: 17, Name: "Initech", Owner: "U2", Stage: coach.Closing, DaysInStage: 31, Rule: coach.StaleStageP90},
				{Deal: 21, Name: "Globex", Owner: "U1", Stage: coach.Qualification, DaysInStage: 16, Rule: coach.StaleStage14d},
				{Deal: 30, Name: "Hooli", Owner: "U2", Stage: coach.Presentation, DaysInStage: 9, DaysIdle: 20, Rule: coach.StaleIdle},
			},
		},
	}
}

var digestAt = time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC)

func renderText(rep render.DigestReports, lang coach.Lang, names bool) string {
	ny, _ := time.LoadLocation("America/New_York")
	return render.RenderDigest(rep, digestAt, render.DigestView{Lang: lang, Loc: ny, Names: names}).PlainText()
}

func TestDigestThisWeekAgainstTheFourBefore(t *testing.T) {
	t.Parallel()
	got := renderText(sample(), coach.EN, true)
	hasAll(t, got, "the 7 days to Mon 2 Nov: 3 won ($30,000), 2 lost",
		// 6 won in 4 weeks is 1.5 a week, for $20,000 a week; 2 lost is 0.5.
		"Won: 3 deals, $30,000 — more than the 1.5 a week of the 4 weeks before; $20,000 a week then",
		"Lost: 2 deals — more than the 0.5 a week of the 4 weeks before",
		"Win rate: 60%; the 4 weeks before: 75%",
		"Median cycle, won: too few to say (3 deals); the 4 weeks before: 38 days (6 deals)",
		"Figures up to Mon 2 Nov 09:00 (America/New_York)")
}

// TestDigestSaysWhatToAsk: each deal that needs attention ends with the
// question for its owner: closing → still a priority, idle → the next
// meeting, stuck elsewhere → what holds it.
func TestDigestSaysWhatToAsk(t *testing.T) {
	t.Parallel()
	rep := sample()
	rep.Quarter.StaleDeals = []coach.StaleDeal{
		{Deal: 1, Name: "Closing one", Owner: "U1", Stage: coach.Closing, DaysInStage: 30, Rule: coach.StaleStageP90},
		{Deal: 2, Name: "Quiet one", Owner: "U1", Stage: coach.Closing, DaysInStage: 10, DaysIdle: 20, Rule: coach.StaleIdle},
		{Deal: 3, Name: "Stuck one", Owner: "U2", Stage: coach.Qualification, DaysInStage: 25, Rule: coach.StaleStage14d},
	}
	text := renderText(rep, coach.EN, true)
	for _, want := range []string{"Closing one", "Quiet one", "Stuck one"} {
		line := lineWith(text, want)
		switch want {
		case "Closing one":
			hasAll(t, line, "→ ask if signing is still a priority this quarter")
		case "Quiet one":
			hasAll(t, line, "→ ask for the date of the next meeting")
		default:
			hasAll(t, line, "→ ask what holds it")
		}
	}
	hasAll(t, renderText(rep, coach.ZH, true), "→ 问清下次会面的日期")
}

func lineWith(text, s string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// TestDigestLostReasonsNameOneLeftOver: four lost reasons are all named;
// "1 other reason" would hide which one it is. Five or more sum up the rest.
func TestDigestLostReasonsNameOneLeftOver(t *testing.T) {
	t.Parallel()
	rep := sample()
	four := []coach.LostReasonStat{{Reason: coach.ReasonPrice, N: 4}, {Reason: coach.ReasonTiming, N: 3}, {Reason: coach.ReasonNeed, N: 2}, {Reason: coach.ReasonCompetitor, N: 1}}
	rep.Quarter.LostReasons = four
	text := renderText(rep, coach.EN, true)
	hasAll(t, text, coach.ReasonCompetitor.Name(coach.EN)+": 1 deal")
	if strings.Contains(text, "other reason") {
		t.Errorf("four reasons summed one up:\n%s", text)
	}
	rep.Quarter.LostReasons = append(four, coach.LostReasonStat{Reason: coach.ReasonTrust, N: 1})
	hasAll(t, renderText(rep, coach.EN, true), "2 other reasons: 2 deals")
}

// TestDigestWonInOtherCurrencies: a win in another currency is not in the
// week's won value, and both the headline and the Won line say so.
func TestDigestWonInOtherCurrencies(t *testing.T) {
	t.Parallel()
	rep := sample()
	rep.Week.WonExcluded = 1
	hasAll(t, renderText(rep, coach.EN, true), "3 won ($30,000 + 1 in other currencies), 2 lost",
		"Won: 3 deals, $30,000 (1 in other currencies left out) —")
	hasAll(t, renderText(rep, coach.ZH, true), "（$30,000，另有 1 笔其他币种）", "（另有 1 笔其他币种未计入）")
}

// TestDigestWeekOfLosses: a week of many losses and no win reads as that,
// won and lost apart, never as "up".
func TestDigestWeekOfLosses(t *testing.T) {
	t.Parallel()
	rep := sample()
	rep.Week.WinRate = coach.WinRate{Won: 0, Lost: 8}
	rep.Week.WonCents = 0
	rep.Before.WinRate = coach.WinRate{Won: 8, Lost: 4}
	got := renderText(rep, coach.EN, true)
	hasAll(t, got, "0 won ($0), 8 lost",
		"Won: 0 deals, $0 — fewer than the 2 a week of the 4 weeks before",
		"Lost: 8 deals — more than the 1 a week of the 4 weeks before")
	for _, w := range []string{"up from", "Closed:"} {
		if strings.Contains(got, w) {
			t.Errorf("digest says %q:\n%s", w, got)
		}
	}
}

// TestDigestForTheManager: money, the forecast with its accuracy, slipped
// and overdue deals, lost reasons with value, the drop-out stage and each
// rep's coaching focus only where the visits support it.
func TestDigestForTheManager(t *testing.T) {
	t.Parallel()
	rep := sample()
	rep.Week.Created = coach.StageTotal{Deals: 4, Cents: 9_000_000, Excluded: 1}
	rep.Week.From = digestAt.AddDate(0, 0, -7)
	rep.Week.Slipped = []coach.SlippedDeal{{Deal: 21, Name: "Globex", Owner: "U1", Slips: 1, DaysPushed: 14, From: "2026-11-01", To: "2026-11-15"}}
	amount := int64(9_600_000)
	rep.Week.Overdue = []coach.OverdueDeal{
		{Deal: 17, Name: "Initech", Owner: "U2", Stage: coach.Closing, CloseDate: "2026-10-30", AmountCents: &amount, Currency: "USD"},
		{Deal: 5, Name: "Acme", Owner: "U1", Stage: coach.Contact, CloseDate: "2026-09-01"},
	}
	q := &rep.Quarter
	q.Stages = setStage(stages(20, 3), coach.Objections, 20, 9, 15)
	q.Stages[2].LostFrom = 18
	q.Pipeline = []coach.PipelineStage{{Stage: coach.Qualification, Deals: 3, Amount: 45000}, {Stage: coach.Closing, Deals: 2, Amount: 96000, AmountExcluded: 1}}
	q.LostReasons = []coach.LostReasonStat{{Reason: coach.ReasonPrice, N: 4, Amount: 52000}, {Reason: coach.ReasonTiming, N: 1, Amount: 5000}}
	q.StaleDeals[0].Amount = &coach.Money{Cents: amount, Currency: "USD"}
	q.StaleDeals[0].CloseDate = "2026-10-30"
	q.RepStages = []coach.RepStage{
		{User: "U1", Stage: coach.Objections, Visits: 12, MedianDays: f64(14)},
		{User: "U2", Stage: coach.Objections, Visits: 3, MedianDays: f64(30), Open: 1}, // too few visits to say
		{User: "U2", Stage: coach.Closing, Open: 2},
	}
	rep.Forecast = &forecast.Forecast{Days: 30, Currency: "USD", ExpectedWon: 4.2, WonInterval: forecast.Interval{P10: 2, P90: 6},
		ExpectedWonAmount: 81000, AmountInterval: forecast.Interval{P10: 40000, P90: 120000}, Deals: make([]forecast.DealForecast, 7)}
	rep.Accuracy = &forecast.Summary{Months: 3, Brier: 0.12, BrierBase: 0.19, WonInside: 2, AmountInside: 3}
	got := renderText(rep, coach.EN, true)
	hasAll(t, got,
		"New pipeline: 4 deals added, $90,000 (1 in other currencies left out)",
		"Qualification: median 3 days (20 visits) · 18 lost here · 3 open now · $45,000", "Closing: median 3 days (20 visits) · 2 open now · $96,000",
		"Open now: 5 deals · $141,000 (1 in other currencies left out)",
		"Wins: 4.2 expected of 7 open deals (80%: 2–6)", "Value: $81,000 expected (80%: $40,000–$120,000)",
		"Accuracy: over the last 3 months, better than guessing the team's usual rate (Brier 0.12 against 0.19); the actual wins fell in their 80% range 2 of 3 times, the won amount in its range 3 of 3",
		"Slipped: 1 deal pushed its close date later this week", "#21 Globex · @U1 · 2026-11-01 → 2026-11-15 (+14 days)",
		"Overdue: 1 went past their close date this week, 2 open past it in all", "#17 Initech · $96,000 · @U2 · Closing · 2026-10-30",
		"Most drop-outs: Qualification — 18 deals lost straight from it.",
		"price: 4 deals · $52,000",
		"Focus: Objection handling 14 days against the team's 9 over 12 visits — coach on objection handling",
		"#17 Initech · $96,000 · close 2026-10-30")
	if strings.Contains(got, "#5 Acme · ") && strings.Index(got, "#5 Acme") < strings.Index(got, "Stages over") {
		t.Errorf("an old overdue deal is listed as gone overdue this week:\n%s", got)
	}
	if n := strings.Count(got, "Focus:"); n != 1 {
		t.Errorf("%d focus lines, want Bob's only:\n%s", n, got)
	}
	zh := renderText(rep, coach.ZH, true)
	hasAll(t, zh, "新增 4 笔", "预计赢单 4.2 笔", "本周有 1 笔商机推迟了预计成交日期", "丢单最多", "辅导重点：")
	reply := render.RenderDigest(rep, digestAt, render.DigestView{Lang: coach.EN, Loc: time.UTC, Names: true})
	if n := len(reply.Blocks()); n > 50 {
		t.Errorf("%d blocks, Slack takes 50", n)
	}
}

func TestDigestBottleneck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		stages []coach.StageStats
		want   string
	}{
		{"NamedOnTenVisits", setStage(stages(20, 3), coach.Objections, 10, 9, 15), "Bottleneck: Objection handling — deals wait longest here (median 9 days over 10 visits)."},
		{"LongerMedianOnTooFewVisitsIgnored", setStage(setStage(stages(20, 3), coach.Objections, 12, 9, 15), coach.Closing, 9, 30, 40), "Bottleneck: Objection handling"},
		{"WatchBelowTenVisits", stages(9, 3), "Bottleneck: watch — no stage has 10 finished visits yet"},
		{"WatchWithNoData", nil, "Bottleneck: watch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := sample()
			rep.Quarter.Stages = tt.stages
			if got := renderText(rep, coach.EN, true); !strings.Contains(got, tt.want) {
				t.Errorf("digest lacks %q:\n%s", tt.want, got)
			}
		})
	}
}

func TestDigestTooFewToSay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		edit    func(r *render.DigestReports)
		want    string
		notWant string
	}{
		{"WonCycleOnFour", func(r *render.DigestReports) { r.Week.CycleDays.Won = coach.Summary{N: 4, Median: f64(30)} },
			"Median cycle, won: too few to say (4 deals)", "30 days (4 deals)"},
		{"WonCycleOnFive", func(r *render.DigestReports) { r.Week.CycleDays.Won = coach.Summary{N: 5, Median: f64(30)} },
			"Median cycle, won: 30 days (5 deals)", "too few to say (5"},
		{"StageOnThreeVisits", func(r *render.DigestReports) { r.Quarter.Stages = setStage(stages(6, 4), coach.Contact, 3, 2, 3) },
			"Initial contact: time in stage: too few to say (3 visits)", "median 2 days"},
		{"RepCycleOnTwo", func(r *render.DigestReports) { r.Quarter.Reps[1].Won = 2 },
			"@U2: this week 1 won, 2 lost · 3 open · median won cycle over 13 weeks: too few to say (2 deals)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := sample()
			tt.edit(&rep)
			got := renderText(rep, coach.EN, true)
			if !strings.Contains(got, tt.want) {
				t.Errorf("digest lacks %q:\n%s", tt.want, got)
			}
			if tt.notWant != "" && strings.Contains(got, tt.notWant) {
				t.Errorf("digest shows %q:\n%s", tt.notWant, got)
			}
		})
	}
}

func TestDigestDealNames(t *testing.T) {
	t.Parallel()
	rep := sample()
	t.Run("On", func(t *testing.T) {
		got := renderText(rep, coach.EN, true)
		hasAll(t, got, "#17 Initech: @U2 · Closing · 31 days in stage, longer than 9 in 10 of the team's past visits",
			"#21 Globex: @U1 · Qualification · 16 days in stage (over 14 days)",
			"#30 Hooli: @U2 · Presentation · no stage change or note for over 20 days")
	})
	t.Run("Off", func(t *testing.T) {
		reply := render.RenderDigest(rep, digestAt, render.DigestView{Lang: coach.EN, Names: false})
		got := reply.PlainText() + blocksText(reply.Blocks())
		for _, name := range []string{"Initech", "Globex", "Hooli", "#17", "#21", "#30"} {
			if strings.Contains(got, name) {
				t.Errorf("names off, yet the digest shows %q:\n%s", name, got)
			}
		}
		hasAll(t, got, "@U2: 2 deals: 1 longer in their stage than 9 in 10 past visits, 1 idle for more than 14 days",
			"@U1: 1 deal: 1 over 14 days in a stage",
			"/coach digest names on")
	})
	t.Run("NothingStale", func(t *testing.T) {
		rep := sample()
		rep.Quarter.StaleDeals = nil
		if got := renderText(rep, coach.EN, true); !strings.Contains(got, "Nothing stale") {
			t.Errorf("digest does not say nothing is stale:\n%s", got)
		}
	})
}

func TestDigestIdleRepsLeftOut(t *testing.T) {
	t.Parallel()
	got := renderText(sample(), coach.EN, true)
	if strings.Contains(got, "@U9") {
		t.Errorf("a rep with no deals has a line:\n%s", got)
	}
	// The rep who won most this week comes first.
	if i, j := strings.Index(got, "@U1: this week"), strings.Index(got, "@U2: this week"); i < 0 || j < 0 || i > j {
		t.Errorf("rep lines out of order:\n%s", got)
	}
}

func TestDigestChinese(t *testing.T) {
	t.Parallel()
	rep := sample()
	rep.Quarter.Stages = setStage(stages(20, 3), coach.Objections, 12, 9, 15)
	got := renderText(rep, coach.ZH, false)
	hasAll(t, got, "每周销售摘要", "瓶颈：异议处理", "数据太少，暂不下结论（3 笔）", "多于此前 4 周的每周 1.5 笔", "需要关注")
	for _, en := range []string{"too few", "Bottleneck", "won,", "Initech"} {
		if strings.Contains(got, en) {
			t.Errorf("Chinese digest shows %q:\n%s", en, got)
		}
	}
}

// TestDigestFitsOneScreen: on a team far larger than the demo's (80 reps,
// 80 deals that need attention under long names, 20 slipped and 20 overdue,
// 8 lost reasons) the digest stays within Slack's limits and a screen's
// reading: each list names its first few and says how many more and where
// to see them.
func TestDigestFitsOneScreen(t *testing.T) {
	t.Parallel()
	rep := sample()
	rep.Week.From = digestAt.AddDate(0, 0, -7)
	rep.Week.Reps, rep.Quarter.Reps, rep.Quarter.StaleDeals = nil, nil, nil
	long := strings.Repeat("Very Long Company Name ", 8)
	for i := range 80 {
		u := fmt.Sprintf("U%04d", i)
		rep.Week.Reps = append(rep.Week.Reps, coach.RepStats{User: u, Won: i % 3, Lost: i % 2, Open: 5})
		rep.Quarter.Reps = append(rep.Quarter.Reps, coach.RepStats{User: u, Won: 6, Open: 5, MedianWonCycleDays: f64(33)})
		rep.Quarter.StaleDeals = append(rep.Quarter.StaleDeals, coach.StaleDeal{Deal: 100 + i, Name: long,
			Owner: u, Stage: coach.Closing, DaysInStage: float64(20 + i), Rule: coach.StaleStageP90})
	}
	amount := int64(9_600_000)
	for i := range 20 {
		u := fmt.Sprintf("U%04d", i)
		rep.Week.Slipped = append(rep.Week.Slipped, coach.SlippedDeal{Deal: 200 + i, Name: long, Owner: u, Slips: 1, DaysPushed: 14, From: "2026-11-01", To: "2026-11-15"})
		rep.Week.Overdue = append(rep.Week.Overdue, coach.OverdueDeal{Deal: 300 + i, Name: long, Owner: u, Stage: coach.Closing, CloseDate: "2026-10-30", AmountCents: &amount, Currency: "USD"})
	}
	for i, reason := range coach.LostReasons {
		rep.Quarter.LostReasons = append(rep.Quarter.LostReasons, coach.LostReasonStat{Reason: reason, N: 10 - i, Amount: 1000})
	}
	for _, lang := range []coach.Lang{coach.EN, coach.ZH} {
		for _, names := range []bool{true, false} {
			reply := render.RenderDigest(rep, digestAt, render.DigestView{Lang: lang, Names: names})
			checkOneScreen(t, fmt.Sprintf("%s, names %v", lang, names), reply, 65, 0)
		}
	}
	text := blocksText(render.RenderDigest(rep, digestAt, render.DigestView{Lang: coach.EN, Names: true}).Blocks())
	hasAll(t, text, "…and 75 more — /deal list stale team lists them all.", "…and 72 more reps — /coach stats @rep shows each.",
		"…and 17 more — /deal list team shows every close date.", "*5 other reasons:* 25 deals", "/coach stats team, /coach forecast")
}

// checkOneScreen checks a digest against Slack's limits (50 blocks, 3,000
// characters a section) and a screen: at most lines lines of text and, when
// rows > 0, at most rows rows 100 columns wide (a CJK character takes two).
func checkOneScreen(t *testing.T, what string, reply render.Reply, lines, rows int) {
	t.Helper()
	blocks := reply.Blocks()
	if len(blocks) > 50 {
		t.Errorf("%s: %d blocks, Slack allows 50", what, len(blocks))
	}
	for i, b := range blocks {
		if s, ok := b.(*slack.SectionBlock); ok && len(s.Text.Text) > 3000 {
			t.Errorf("%s: block %d has %d characters, Slack allows 3,000", what, i, len(s.Text.Text))
		}
	}
	nLines, nRows := screen(reply.PlainText())
	if nLines > lines || rows > 0 && nRows > rows {
		t.Errorf("%s: %d lines, %d rows of 100 columns; want at most %d and %d:\n%s", what, nLines, nRows, lines, rows, reply.PlainText())
	}
	t.Logf("%s: %d blocks, %d lines, %d rows of 100 columns", what, len(blocks), nLines, nRows)
}

// screen counts the non-empty lines of text and the rows they take 100
// columns wide.
func screen(text string) (lines, rows int) {
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		w := 0
		for _, r := range l {
			w++
			if unicode.Is(unicode.Han, r) || unicode.In(r, unicode.Hiragana, unicode.Katakana) || r >= 0xFF00 && r <= 0xFFEF || r >= 0x3000 && r <= 0x303F {
				w++
			}
		}
		lines++
		rows += max(1, (w+99)/100)
	}
	return lines, rows
}

func blocksText(blocks []slack.Block) string {
	var b strings.Builder
	for _, bl := range blocks {
		switch x := bl.(type) {
		case *slack.SectionBlock:
			b.WriteString(x.Text.Text + "\n")
		case *slack.ContextBlock:
			for _, e := range x.ContextElements.Elements {
				if t, ok := e.(*slack.TextBlockObject); ok {
					b.WriteString(t.Text + "\n")
				}
			}
		}
	}
	return b.String()
}

// windows records the windows a digest asks reports for.
type windows struct{ got [][2]time.Time }

func (w *windows) Report(_ context.Context, teamID string, from, to time.Time) (coach.Report, error) {
	w.got = append(w.got, [2]time.Time{from, to})
	return coach.Report{TeamID: teamID, From: from, To: to}, nil
}

func TestDigestWindowsOnTheLocalCalendar(t *testing.T) {
	t.Parallel()
	w := &windows{}
	app := handlers.New(handlers.Config{Reporter: w})
	ny, _ := time.LoadLocation("America/New_York")
	// Monday 2 November 09:00 in New York, the day after daylight saving ended.
	if _, _, err := app.BuildDigest(context.Background(), "T1", digestAt, render.DigestView{Loc: ny}); err != nil {
		t.Fatal(err)
	}
	want := [][2]string{
		{"2026-10-26T13:00:00Z", "2026-11-02T14:00:00Z"}, // Monday 09:00 to Monday 09:00, local: 7 days and an hour
		{"2026-09-28T13:00:00Z", "2026-10-26T13:00:00Z"}, // the 4 weeks before
		{"2026-08-03T13:00:00Z", "2026-11-02T14:00:00Z"}, // 13 weeks, as /coach stats
	}
	if len(w.got) != len(want) {
		t.Fatalf("%d reports, want %d", len(w.got), len(want))
	}
	for i := range want {
		if got := [2]string{w.got[i][0].Format(time.RFC3339), w.got[i][1].Format(time.RFC3339)}; got != want[i] {
			t.Errorf("window %d = %v, want %v", i, got, want[i])
		}
	}
}

// hasAll reports each of wants that got lacks.
func hasAll(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("lacks %q:\n%s", w, got)
		}
	}
}

// TestDemoDigestFitsOneScreen: the demo team's digest, from the store, with
// its forecast, in both languages, stays within Slack's limits and one
// screen.
func TestDemoDigestFitsOneScreen(t *testing.T) {
	t.Parallel()
	store := dbtest.Shared(t)
	team := dbtest.TeamID(t) // the demo team's history, in a team of the test's own
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	if _, err := store.Import(context.Background(), team, demo.History(1, now), now); err != nil {
		t.Fatal(err)
	}
	app := handlers.New(handlers.Config{Store: store})
	for _, lang := range []coach.Lang{coach.EN, coach.ZH} {
		rep, reply, err := app.BuildDigest(context.Background(), team, now, render.DigestView{Lang: lang, Names: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Forecast == nil || rep.Forecast.TooLittle || len(rep.Quarter.StaleDeals) == 0 || len(rep.Quarter.LostReasons) == 0 {
			t.Fatalf("the demo team's digest lacks a forecast, stale deals or lost reasons")
		}
		checkOneScreen(t, "demo, "+string(lang), reply, 52, 65)
	}
}
