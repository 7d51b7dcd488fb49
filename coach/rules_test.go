package coach

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// ruleNow is a Wednesday morning.
var ruleNow = time.Date(2026, 3, 18, 10, 0, 0, 0, time.UTC)

func daysAgo(d float64) time.Time { return ruleNow.Add(-time.Duration(d * 24 * float64(time.Hour))) }

// history builds a deal's log from steps, oldest first, and replays it.
type history struct {
	amount   int64 // cents; 0 for none
	currency string
	events   []Event
}

func newHistory(stage Stage, ago float64) *history {
	return &history{currency: "USD", events: []Event{{Kind: EvCreate, Entry: stage, At: daysAgo(ago)}}}
}

func (h *history) add(e Event) *history {
	e.ID = int64(len(h.events) + 1)
	h.events = append(h.events, e)
	return h
}

func (h *history) move(s Stage, ago float64) *history {
	return h.add(Event{Kind: EvMove, Entry: s, At: daysAgo(ago)})
}

func (h *history) note(ago float64) *history {
	return h.add(Event{Kind: EvNote, Text: "called the buyer", At: daysAgo(ago)})
}

func (h *history) check(s Stage, key string, ago float64) *history {
	return h.add(Event{Kind: EvCheck, Fields: Fields{Stage: s, Criterion: key}, At: daysAgo(ago)})
}

func (h *history) pause(until time.Time, reason string, ago float64) *history {
	return h.add(Event{Kind: EvPause, Fields: Fields{Until: &until}, Text: reason, At: daysAgo(ago)})
}

func (h *history) revertLast(ago float64) *history {
	return h.add(Event{Kind: EvRevert, Reverts: h.events[len(h.events)-1].ID, At: daysAgo(ago)})
}

func (h *history) won(ago float64) *history {
	return h.add(Event{Kind: EvWon, Entry: Won, At: daysAgo(ago)})
}

func (h *history) lost(r LostReason, ago float64) *history {
	return h.add(Event{Kind: EvLost, Entry: Lost, Reason: r, At: daysAgo(ago)})
}

func (h *history) withAmount(cents int64, currency string) *history {
	h.amount, h.currency = cents, currency
	return h
}

func (h *history) deal() (Deal, []Event) {
	first := &h.events[0]
	first.ID = 1
	first.Fields = Fields{Name: "Acme Corp", Owner: "U1", Currency: h.currency}
	if h.amount > 0 {
		first.Fields.AmountCents = &h.amount
	}
	for i := range h.events {
		h.events[i].DealID = 7
	}
	d := Replay(Deal{ID: 7, TeamID: "T1", Number: 12, CreatedAt: first.At}, h.events)
	return d, h.events
}

// teamStats: enough qualification and closing visits to judge by, too few
// of the other stages.
func teamStats() TeamStats {
	return TeamStats{
		At: ruleNow,
		Stages: []StageTimes{
			{Stage: Qualification, Visits: 23, Median: 5, P75: 7, P90: 9},
			{Stage: Presentation, Visits: 3, Median: 4, P75: 6, P90: 20},
			{Stage: Closing, Visits: 12, Median: 9, P75: 15, P90: 21},
		},
		Typical: Money{Cents: 3_000_000, Currency: "USD"}, TypicalN: 12,
	}
}

func withLosses(t TeamStats, losses int, rc ...ReasonCount) TeamStats {
	t.LostReasons, t.Losses = rc, losses
	return t
}

func TestAdvise(t *testing.T) {
	qual, closing, pres := PlaybookFor(Qualification), PlaybookFor(Closing), PlaybookFor(Presentation)
	objPlays := PlaybookFor(Objections).Objections
	tests := []struct {
		name    string
		hist    *history
		stats   TeamStats
		rule    Rule
		stale   bool
		step    Text // the playbook's next step unless a rule has its own
		tactic  Text
		reason  Text
		stepHas []string // words the English step must contain, when it is built
	}{
		{
			name: "ClosingPastTeamP90AsksIfStillAPriority",
			hist: newHistory(Qualification, 60).move(Closing, 30).note(2), stats: teamStats(),
			rule: RuleClosingStuck, stale: true,
			stepHas: []string{"still a priority", "/deal lost #12"},
			tactic:  closing.FiveA,
			reason: Text{"In Closing for 30 days; your team's median is 9 and p90 is 21.",
				"已在完成销售阶段停留 30 天；团队的中位数是 9 天，p90 是 21 天。"},
		},
		{
			name: "ClosingPast14DaysWithoutTeamData",
			hist: newHistory(Closing, 16), stats: TeamStats{},
			rule: RuleClosingStuck, stale: true,
			stepHas: []string{"still a priority"},
			tactic:  closing.FiveA,
			reason: Text{"In Closing for 16 days — past the 14-day mark used until your team has 10 completed visits of this stage (it has 0).",
				"已在完成销售阶段停留 16 天，超过了 14 天的警戒线（团队在该阶段完成的停留满 10 次之前都用这条线，目前只有 0 次）。"},
		},
		{
			name: "QualificationPastTeamP90NamesUnconfirmedCriteria",
			// need was confirmed in an earlier visit, budget in this one.
			hist: newHistory(Qualification, 40).check(Qualification, "need", 39).move(Presentation, 30).
				move(Qualification, 12).check(Qualification, "budget", 5).note(1),
			stats: teamStats(), rule: RuleStageP90, stale: true,
			step: Text{"Find out this week what holds it in Qualification and settle it. Not confirmed yet: need, authority, timeline, champion (record each with /deal check #12 <criterion> once it is).",
				"本周弄清楚是什么让它卡在资格审查阶段，并把问题解决。尚未确认：需求（need）、决策人（authority）、时间（timeline）、内线（champion）（确认后用 /deal check #12 <标准> 记录）。"},
			tactic: qual.FiveA,
			reason: Text{"In Qualification for 12 days; your team's median is 5 and p90 is 9.",
				"已在资格审查阶段停留 12 天；团队的中位数是 5 天，p90 是 9 天。"},
		},
		{
			name: "PastP90WithEveryCriterionConfirmedSaysMoveOn",
			hist: newHistory(Qualification, 10).check(Qualification, "need", 9).check(Qualification, "budget", 9).
				check(Qualification, "authority", 8).check(Qualification, "timeline", 8).check(Qualification, "champion", 7).note(1),
			stats: teamStats(), rule: RuleStageP90, stale: true,
			stepHas: []string{"Every exit criterion of Qualification is confirmed", "/deal next #12"},
			tactic:  qual.FiveA,
			reason: Text{"In Qualification for 10 days; your team's median is 5 and p90 is 9.",
				"已在资格审查阶段停留 10 天；团队的中位数是 5 天，p90 是 9 天。"},
		},
		{
			name: "PresentationPast14DaysWithFewVisits",
			hist: newHistory(Presentation, 16).note(3), stats: teamStats(),
			rule: RuleStage14d, stale: true,
			stepHas: []string{"holds it in Presentation", "Not confirmed yet"},
			tactic:  pres.FiveA,
			reason: Text{"In Presentation for 16 days — past the 14-day mark used until your team has 10 completed visits of this stage (it has 3).",
				"已在演示推介阶段停留 16 天，超过了 14 天的警戒线（团队在该阶段完成的停留满 10 次之前都用这条线，目前只有 3 次）。"},
		},
		{
			name: "IdleInClosingBelowTeamP90",
			hist: newHistory(Closing, 18), stats: teamStats(),
			rule: RuleIdle, stale: true,
			stepHas: []string{"Re-open the conversation today", "/deal note #12"},
			tactic:  closing.FiveA,
			reason:  Text{"No stage change or note for 18 days (the mark is 14 days).", "已经 18 天没有阶段变化或备注（警戒线是 14 天）。"},
		},
		{
			name: "MovedBackFromPresentation",
			hist: newHistory(Qualification, 20).move(Presentation, 8).move(Qualification, 3), stats: teamStats(),
			rule:    RuleMovedBack,
			stepHas: []string{"what changed on their side", "exit criteria of Qualification"},
			tactic:  qual.FiveA,
			reason:  Text{"Moved back from Presentation to Qualification on 2026-03-15.", "于 2026-03-15 从演示推介退回到资格审查阶段。"},
		},
		{
			name: "MoveBackUndoneIsNotAMoveBack",
			hist: newHistory(Qualification, 20).move(Presentation, 4).move(Qualification, 3).revertLast(3), stats: teamStats(),
			rule: RuleOnTrack, step: pres.NextStep, tactic: pres.FiveA,
			reason: Text{"In Presentation for 4 days — on track (until your team has 10 completed visits of this stage, the mark is 7 days).",
				"已在演示推介阶段停留 4 天，进度正常（团队在该阶段完成的停留满 10 次之前，提醒线是 7 天）。"},
		},
		{
			name: "ObjectionsEnteredTwice",
			hist: newHistory(Presentation, 30).move(Objections, 20).move(Presentation, 15).move(Objections, 2), stats: teamStats(),
			rule:    RuleObjectionLoop,
			stepHas: []string{"Offer proof", "pilot"},
			tactic:  objPlays[ObjIndecision],
			reason:  Text{"It has entered Objection handling 2 times: the same concerns keep coming back.", "它已经 2 次进入异议处理阶段：同样的顾虑反复出现。"},
		},
		{
			name:  "PriceLossesRecurInTheTeam",
			hist:  newHistory(Presentation, 2),
			stats: withLosses(teamStats(), 10, ReasonCount{ReasonCompetitor, 5}, ReasonCount{ReasonPrice, 4}, ReasonCount{ReasonTiming, 1}),
			rule:  RuleRecurringLoss, step: pres.NextStep, tactic: objPlays[ObjPrice],
			reason: Text{"4 of your team's last 10 lost deals were lost on price.", "团队最近 10 笔丢单中，有 4 笔是因为价格。"},
		},
		{
			name:  "NoDecisionLossesPreEmptIndecision",
			hist:  newHistory(Closing, 1),
			stats: withLosses(teamStats(), 6, ReasonCount{ReasonNoDecision, 3}, ReasonCount{ReasonPrice, 2}),
			rule:  RuleRecurringLoss, step: closing.NextStep, tactic: objPlays[ObjIndecision],
			reason: Text{"3 of your team's last 6 lost deals were lost on no decision.", "团队最近 6 笔丢单中，有 3 笔是因为迟迟不决。"},
		},
		{
			name:  "RecurringLossWaitsUntilQualification",
			hist:  newHistory(Contact, 1),
			stats: withLosses(teamStats(), 10, ReasonCount{ReasonPrice, 6}),
			rule:  RuleOnTrack, step: PlaybookFor(Contact).NextStep, tactic: PlaybookFor(Contact).FiveA,
			reason: Text{"In Initial contact for 1 day — on track (until your team has 10 completed visits of this stage, the mark is 5 days).",
				"已在初次接触阶段停留 1 天，进度正常（团队在该阶段完成的停留满 10 次之前，提醒线是 5 天）。"},
		},
		{
			name:  "TwoPriceLossesAreNoPattern",
			hist:  newHistory(Qualification, 2),
			stats: withLosses(teamStats(), 10, ReasonCount{ReasonPrice, 2}),
			rule:  RuleOnTrack, step: qual.NextStep, tactic: qual.FiveA,
			reason: Text{"In Qualification for 2 days; your team's median is 5 and p75 is 7 — on track.",
				"已在资格审查阶段停留 2 天；团队的中位数是 5 天，p75 是 7 天——进度正常。"},
		},
		{
			name: "FourTimesTheTypicalDeal",
			hist: newHistory(Qualification, 2).withAmount(12_000_000, "USD"), stats: teamStats(),
			rule:    RuleBigDeal,
			stepHas: []string{"paper process", "security review"},
			tactic:  qual.FiveA,
			reason:  Text{"At $120,000 it is 4× your team's typical deal of $30,000 (the median of 12 deals).", "金额 $120,000，是团队典型交易金额 $30,000（12 笔交易的中位数）的 4 倍。"},
		},
		{
			name: "BigAmountInAnotherCurrencyIsNotCompared",
			hist: newHistory(Qualification, 2).withAmount(12_000_000, "EUR"), stats: teamStats(),
			rule: RuleOnTrack, step: qual.NextStep, tactic: qual.FiveA,
			reason: Text{"In Qualification for 2 days; your team's median is 5 and p75 is 7 — on track.",
				"已在资格审查阶段停留 2 天；团队的中位数是 5 天，p75 是 7 天——进度正常。"},
		},
		{
			name: "SlowerThanTeamP75",
			hist: newHistory(Qualification, 8).note(1), stats: teamStats(),
			rule: RuleStageP75, step: qual.NextStep, tactic: qual.FiveA,
			reason: Text{"In Qualification for 8 days — longer than three in four of your team's visits (median 5, p75 7, p90 9 days).",
				"已在资格审查阶段停留 8 天，比团队四分之三的停留都长（中位数 5 天，p75 7 天，p90 9 天）。"},
		},
		{
			name: "SlowerThanEarlyMarkWithFewVisits",
			hist: newHistory(Contact, 6), stats: teamStats(),
			rule: RuleStageP75, step: PlaybookFor(Contact).NextStep, tactic: PlaybookFor(Contact).FiveA,
			reason: Text{"In Initial contact for 6 days — past the 5-day early mark used until your team has 10 completed visits of this stage (it has 0).",
				"已在初次接触阶段停留 6 天，超过了 5 天的提醒线（团队在该阶段完成的停留满 10 次之前都用这条线，目前只有 0 次）。"},
		},
		{
			name: "PausedDealIsNotStale",
			hist: newHistory(Qualification, 30).pause(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), "budget freeze", 1), stats: teamStats(),
			rule: RulePaused, step: qual.NextStep, tactic: qual.FiveA,
			reason: Text{"Paused until 2026-04-01 (budget freeze): no nudges and no stale warnings until then.",
				"已暂停提醒至 2026-04-01（budget freeze）：在此之前不会发提醒，也不会标记为停滞。"},
		},
		{
			name: "ExpiredPauseMutesNothing",
			hist: newHistory(Qualification, 30).note(2).pause(daysAgo(1), "", 20), stats: teamStats(),
			rule: RuleStageP90, stale: true,
			stepHas: []string{"Not confirmed yet: need, budget, authority, timeline, champion"},
			tactic:  qual.FiveA,
			reason: Text{"In Qualification for 30 days; your team's median is 5 and p90 is 9.",
				"已在资格审查阶段停留 30 天；团队的中位数是 5 天，p90 是 9 天。"},
		},
		{
			name: "Won",
			hist: newHistory(Closing, 20).won(12), stats: teamStats(),
			rule: RuleWon, step: PlaybookFor(Retention).NextStep, tactic: PlaybookFor(Retention).FiveA,
			reason: Text{"Won on 2026-03-06, 12 days ago: the follow-up now decides whether they renew, buy more and refer you.",
				"于 2026-03-06 赢单，已过去 12 天：接下来的跟进决定了客户会不会续约、加购和为你转介绍。"},
		},
		{
			name: "LostOnPrice",
			hist: newHistory(Presentation, 20).lost(ReasonPrice, 5), stats: teamStats(),
			rule:    RuleLost,
			stepHas: []string{"/deal reopen #12", "Presentation"},
			tactic:  objPlays[ObjPrice],
			reason:  Text{"Lost on 2026-03-13 (price).", "于 2026-03-13 丢单（价格）。"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, log := tt.hist.deal()
			got := Advise(d, log, tt.stats, ruleNow)
			if got.Rule != tt.rule {
				t.Fatalf("rule = %s (%s), want %s", got.Rule, got.Reason.EN, tt.rule)
			}
			if got.Stale != tt.stale {
				t.Errorf("stale = %v, want %v", got.Stale, tt.stale)
			}
			if got.Reason != tt.reason {
				t.Errorf("reason =\n  %q / %q\nwant\n  %q / %q", got.Reason.EN, got.Reason.ZH, tt.reason.EN, tt.reason.ZH)
			}
			if got.Tactic != tt.tactic {
				t.Errorf("tactic = %q, want %q", got.Tactic.EN, tt.tactic.EN)
			}
			if tt.step != (Text{}) && got.Step != tt.step {
				t.Errorf("step =\n  %q / %q\nwant\n  %q / %q", got.Step.EN, got.Step.ZH, tt.step.EN, tt.step.ZH)
			}
			for _, w := range tt.stepHas {
				if !strings.Contains(got.Step.EN, w) {
					t.Errorf("step %q lacks %q", got.Step.EN, w)
				}
			}
			checkAdviceText(t, got)
		})
	}
}

// checkAdviceText holds what a rule writes to the rules of SPEC §10: both
// languages present, Chinese in Chinese and not a copy of the English, no
// generic advice, and a step long enough to name an action.
func checkAdviceText(t *testing.T, a Advice) {
	t.Helper()
	texts := map[string]Text{"step": a.Step, "reason": a.Reason}
	if a.Tactic != (Text{}) {
		texts["tactic"], texts["tactic label"] = a.Tactic, a.TacticLabel
	}
	if a.Rule != RuleLost {
		texts["today"] = a.Today
	}
	for field, txt := range texts {
		if txt.EN == "" || txt.ZH == "" {
			t.Errorf("%s is empty in a language: %q / %q", field, txt.EN, txt.ZH)
			continue
		}
		if !hasHan(txt.ZH) || txt.ZH == txt.EN {
			t.Errorf("%s.zh is not Chinese: %q", field, txt.ZH)
		}
		if hasHan(txt.EN) {
			t.Errorf("%s.en contains Chinese: %q", field, txt.EN)
		}
		for _, phrase := range genericPhrases {
			for _, s := range []string{txt.EN, txt.ZH} {
				if strings.Contains(strings.ToLower(s), strings.ToLower(phrase)) {
					t.Errorf("%s contains the generic phrase %q: %s", field, phrase, s)
				}
			}
		}
	}
	if n := utf8.RuneCountInString(a.Step.EN); n < minActionRunes {
		t.Errorf("step has %d characters, want at least %d: %q", n, minActionRunes, a.Step.EN)
	}
}

// TestAdviseEveryRule makes sure the table above shows every rule firing.
func TestAdviseEveryRule(t *testing.T) {
	covered := map[Rule]bool{
		RuleClosingStuck: true, RuleStageP90: true, RuleStage14d: true, RuleIdle: true, RuleMovedBack: true,
		RuleObjectionLoop: true, RuleRecurringLoss: true, RuleBigDeal: true, RuleStageP75: true,
		RulePaused: true, RuleOnTrack: true, RuleWon: true, RuleLost: true,
	}
	for _, r := range Rules() {
		if !covered[r] {
			t.Errorf("rule %s has no case in TestAdvise", r)
		}
	}
	if got, want := len(Rules()), len(covered); got != want {
		t.Errorf("%d rules, %d covered", got, want)
	}
}

func TestThresholdFallback(t *testing.T) {
	stats := TeamStats{Stages: []StageTimes{
		{Stage: Qualification, Visits: 10, Median: 5, P75: 7, P90: 9},
		{Stage: Closing, Visits: 9, Median: 2, P75: 3, P90: 4},
	}}
	tests := []struct {
		stage Stage
		want  Threshold
	}{
		{Qualification, Threshold{Stage: Qualification, Team: true, Visits: 10, Median: 5, P75: 7, P90: 9}},
		{Closing, Threshold{Stage: Closing, Visits: 9, P75: 10, P90: 14}},
		{Contact, Threshold{Stage: Contact, P75: 5, P90: 14}},
	}
	for _, tt := range tests {
		if got := stats.Threshold(tt.stage); got != tt.want {
			t.Errorf("Threshold(%s) = %+v, want %+v", tt.stage, got, tt.want)
		}
	}
}

func TestRank(t *testing.T) {
	advice := []Advice{
		{Rule: RuleOnTrack, Priority: 11},
		{Rule: RuleIdle, Priority: 4, Over: 2},
		{Rule: RuleStageP90, Priority: 2, Over: 1},
		{Rule: RuleIdle, Priority: 4, Over: 9},
		{Rule: RulePaused, Priority: 10},
	}
	got := Rank(advice)
	want := []int{2, 3, 1, 4, 0}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Rank = %v, want %v", got, want)
		}
	}
}

func TestNudgeDay(t *testing.T) {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	ny, _ := time.LoadLocation("America/New_York")
	tests := []struct {
		name string
		now  time.Time
		loc  *time.Location
		last string
		day  string // "" when none is due
	}{
		{"NineLocalOnMonday", time.Date(2026, 3, 16, 1, 0, 0, 0, time.UTC), shanghai, "", "2026-03-16"},
		{"BeforeNine", time.Date(2026, 3, 16, 0, 59, 0, 0, time.UTC), shanghai, "", ""},
		{"AlreadyNudgedToday", time.Date(2026, 3, 16, 2, 0, 0, 0, time.UTC), shanghai, "2026-03-16", ""},
		{"NudgedYesterday", time.Date(2026, 3, 17, 1, 30, 0, 0, time.UTC), shanghai, "2026-03-16", "2026-03-17"},
		{"Noon", time.Date(2026, 3, 16, 4, 0, 0, 0, time.UTC), shanghai, "", ""},
		{"SaturdayLocal", time.Date(2026, 3, 21, 2, 0, 0, 0, time.UTC), shanghai, "", ""},
		// Friday 21:00 in New York is Saturday 09:00 in Shanghai.
		{"FridayEveningUTCIsSaturdayInShanghai", time.Date(2026, 3, 20, 1, 0, 0, 0, time.UTC).Add(24 * time.Hour), shanghai, "", ""},
		// 13:00 UTC is 09:00 in New York once daylight saving time began (8 March 2026).
		{"NewYorkAfterDSTChange", time.Date(2026, 3, 18, 13, 0, 0, 0, time.UTC), ny, "", "2026-03-18"},
		{"NewYorkBeforeNineLocal", time.Date(2026, 3, 18, 12, 59, 0, 0, time.UTC), ny, "", ""},
		{"UnknownZoneIsUTC", time.Date(2026, 3, 18, 9, 0, 0, 0, time.UTC), nil, "", "2026-03-18"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			day, ok := NudgeDay(tt.now, tt.loc, tt.last)
			if ok != (tt.day != "") || ok && day != tt.day {
				t.Errorf("NudgeDay = %q, %v, want %q", day, ok, tt.day)
			}
		})
	}
}
