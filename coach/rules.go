package coach

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// TeamStats are the team's own numbers the coaching rules compare a deal
// against. The store computes them; Advise only reads them.
type TeamStats struct {
	At     time.Time    // the time they are as of
	Stages []StageTimes // per open stage; a stage missing here had no completed visit
	// Typical is the median amount of the team's deals in its reporting
	// currency, over TypicalN deals.
	Typical  Money
	TypicalN int
	// LostReasons counts the reasons of the team's Losses most recent lost
	// deals (at most RecentLosses, within StatsWindowDays), most frequent first.
	LostReasons []ReasonCount
	Losses      int
}

// StageTimes are the completed visits of one open stage over the
// StatsWindowDays before TeamStats.At: how many, and their median, p75 and
// p90 in days (zero when there are none).
type StageTimes struct {
	Stage            Stage
	Visits           int
	Median, P75, P90 float64
}

// ReasonCount is how often a lost reason occurred.
type ReasonCount struct {
	Reason LostReason
	N      int
}

// The thresholds of the rules.
const (
	StatsWindowDays      = 90 // stage times are over visits completed in the last 90 days
	StaleDays            = 14 // idle longer, or in a stage longer without enough team data: stale (§9)
	RecentLosses         = 10 // recurring_loss looks at the team's last 10 losses
	RecurringLossMin     = 3  // …and fires when one reason holds at least 3 of them
	BigDealFactor        = 3  // big_deal: at least 3× the team's typical deal
	MinDealsForTypical   = 5  // …when that typical deal rests on at least 5 deals
	ObjectionLoopEntries = 2  // objection_loop: entered objection handling at least twice
	MovedBackDays        = 14 // moved_back: the move back happened within the last 14 days
)

// fallbackP75 is the early-warning mark per stage while the team has fewer
// than MinVisitsForBottleneck completed visits of it; the stale mark is then
// StaleDays for every stage, as §9 defines staleness.
var fallbackP75 = map[Stage]float64{
	Prospecting: 7, Contact: 5, Qualification: 7, Presentation: 7, Objections: 7, Closing: 10,
}

// Threshold is what a stay in a stage is compared with: the team's own p75
// and p90 when they rest on at least MinVisitsForBottleneck completed visits
// (Team), fixed marks otherwise.
type Threshold struct {
	Stage            Stage
	Team             bool
	Visits           int // the completed visits the team's numbers rest on
	Median, P75, P90 float64
}

// Threshold returns the marks for stage s.
func (t TeamStats) Threshold(s Stage) Threshold {
	th := Threshold{Stage: s, P75: fallbackP75[s], P90: StaleDays}
	for _, st := range t.Stages {
		if st.Stage != s {
			continue
		}
		th.Visits = st.Visits
		if st.Visits >= MinVisitsForBottleneck {
			th.Team, th.Median, th.P75, th.P90 = true, st.Median, st.P75, st.P90
		}
	}
	return th
}

// Rule names the rule that chose a piece of advice.
type Rule string

// The rules, most urgent first; Advise takes the first that fires.
const (
	RuleClosingStuck  Rule = "closing_stuck"  // in closing past p90: ask whether it is still a priority
	RuleStageP90      Rule = "stage_p90"      // in its stage longer than the team's p90
	RuleStage14d      Rule = "stage_14d"      // in its stage longer than 14 days, too few visits for a p90
	RuleIdle          Rule = "idle"           // no stage change or note for more than 14 days
	RuleMovedBack     Rule = "moved_back"     // moved back to an earlier stage recently
	RuleObjectionLoop Rule = "objection_loop" // entered objection handling again and again
	RuleRecurringLoss Rule = "recurring_loss" // the team keeps losing deals for one reason: pre-empt it
	RuleBigDeal       Rule = "big_deal"       // well above the team's typical deal
	RuleStageP75      Rule = "stage_p75"      // slower than three in four of the team's visits
	RulePaused        Rule = "paused"         // muted by /deal pause
	RuleOnTrack       Rule = "on_track"       // nothing stands out
	RuleWon           Rule = "won"            // won: follow-up and retention
	RuleLost          Rule = "lost"           // lost: what to do next time
)

// Advice is what to do next with one deal, and why.
type Advice struct {
	Rule        Rule
	Priority    int     // the rule's rank: 1 is the most urgent
	Stale       bool    // the deal needs attention: nudges list it (§9's stale deal)
	Over        float64 // days past the mark that fired, for ranking deals of one rule
	Step        Text    // the next process step
	TacticLabel Text    // what Tactic is: the stage's 5A phase, or an objection play
	Tactic      Text
	Today       Text // one concrete tactic of the stage to try today; empty when closed lost
	Reason      Text // one specific reason, with the numbers behind it
}

// NeedsAttention reports whether the advice is more than "carry on": a rule
// other than on_track, paused, won or lost fired.
func (a Advice) NeedsAttention() bool {
	switch a.Rule {
	case RuleOnTrack, RulePaused, RuleWon, RuleLost:
		return false
	}
	return true
}

// situation is what the rules look at.
type situation struct {
	d      Deal
	log    []Event
	stats  TeamStats
	now    time.Time
	p      *Playbook
	th     Threshold
	days   float64 // in the current stage
	paused bool
}

type rule struct {
	name  Rule
	stale bool
	fire  func(s *situation) (Advice, bool)
}

// rules are tried in order; the first that fires gives the advice.
var rules = []rule{
	{RuleClosingStuck, true, closingStuck},
	{RuleStageP90, true, stageStuck(true)},
	{RuleStage14d, true, stageStuck(false)},
	{RuleIdle, true, idle},
	{RuleMovedBack, false, movedBack},
	{RuleObjectionLoop, false, objectionLoop},
	{RuleRecurringLoss, false, recurringLoss},
	{RuleBigDeal, false, bigDeal},
	{RuleStageP75, false, stageSlow},
	{RulePaused, false, pausedRule},
	{RuleOnTrack, false, onTrack},
}

// Rules returns every rule name in priority order, the open-deal rules first.
func Rules() []Rule {
	out := make([]Rule, 0, len(rules)+2)
	for _, r := range rules {
		out = append(out, r.name)
	}
	return append(out, RuleWon, RuleLost)
}

// Advise picks, for deal d with its log (oldest first) and the team's
// numbers, the next step, the tactic and one reason, from the first rule that
// fires. Dates in reasons are written in now's location.
func Advise(d Deal, log []Event, stats TeamStats, now time.Time) Advice {
	switch d.Status {
	case StatusWon:
		return won(d, now)
	case StatusLost:
		return lost(d, now)
	}
	s := &situation{d: d, log: log, stats: stats, now: now, p: PlaybookFor(d.Stage),
		th: stats.Threshold(d.Stage), days: d.DaysInStage(now), paused: d.Paused(now)}
	for i, r := range rules {
		a, ok := r.fire(s)
		if !ok && i < len(rules)-1 { // the last rule, on_track, always applies
			continue
		}
		a.Rule, a.Priority, a.Stale = r.name, i+1, r.stale
		if a.Step == (Text{}) {
			a.Step = s.p.NextStep
		}
		if a.Tactic == (Text{}) {
			a.TacticLabel, a.Tactic = fiveALabel(d.Stage), s.p.FiveA
		}
		a.Today = s.p.TacticFor(d.Number + now.YearDay())
		return a
	}
	return Advice{} // not reached: rules is not empty
}

func fiveALabel(s Stage) Text {
	a := s.A()
	return Text{
		// The playbook's 5A text starts with the phase's name; the label
		// gives the buyer's state instead of repeating it.
		EN: "5A " + a.BuyerState(EN),
		ZH: "5A " + a.BuyerState(ZH),
	}
}

// closingStuck: in closing past the p90 (or the 14-day mark): ask directly.
func closingStuck(s *situation) (Advice, bool) {
	if s.paused || s.d.Stage != Closing || s.days <= s.th.P90 {
		return Advice{}, false
	}
	n := s.d.Number
	return Advice{
		Over: s.days - s.th.P90,
		Step: Text{
			EN: fmt.Sprintf("Ask the economic buyer directly whether signing this is still a priority this quarter. If it is not, close it with /deal lost #%d <reason> so your forecast stays honest; if it is, agree the signing date and who signs.", n),
			ZH: fmt.Sprintf("直接问经济决策人：这个季度签下来还是不是优先事项？如果不是，用 /deal lost #%d <原因> 把它关掉，让销售预测保持真实；如果是，就敲定签约日期和签字人。", n),
		},
		Reason: overP90Reason(s),
	}, true
}

// overP90Reason says how long the deal has been in its stage against the
// team's p90, or against the 14-day mark without enough data.
func overP90Reason(s *situation) Text {
	st, d := s.d.Stage, daysText(s.days)
	if s.th.Team {
		return Text{
			EN: fmt.Sprintf("In %s for %s; your team's median is %s and p90 is %s.", st.Name(EN), d.EN, fmtDays(s.th.Median), fmtDays(s.th.P90)),
			ZH: fmt.Sprintf("已在%s阶段停留 %s；团队的中位数是 %s 天，p90 是 %s 天。", st.Name(ZH), d.ZH, fmtDays(s.th.Median), fmtDays(s.th.P90)),
		}
	}
	return Text{
		EN: fmt.Sprintf("In %s for %s — past the %d-day mark used until your team has %d completed visits of this stage (it has %d).", st.Name(EN), d.EN, StaleDays, MinVisitsForBottleneck, s.th.Visits),
		ZH: fmt.Sprintf("已在%s阶段停留 %s，超过了 %d 天的警戒线（团队在该阶段完成的停留满 %d 次之前都用这条线，目前只有 %d 次）。", st.Name(ZH), d.ZH, StaleDays, MinVisitsForBottleneck, s.th.Visits),
	}
}

// stageStuck: longer in the stage than the team's p90 (team true) or, with
// too few visits to judge by, than 14 days (team false).
func stageStuck(team bool) func(s *situation) (Advice, bool) {
	return func(s *situation) (Advice, bool) {
		if s.paused || s.th.Team != team || s.days <= s.th.P90 {
			return Advice{}, false
		}
		return Advice{Over: s.days - s.th.P90, Step: settleStep(s), Reason: overP90Reason(s)}, true
	}
}

// settleStep names the exit criteria of the stage not yet confirmed in this
// visit: what most likely holds the deal.
func settleStep(s *situation) Text {
	st, n := s.d.Stage, s.d.Number
	missing := s.p.Unconfirmed(s.log, s.d.StageSince)
	if len(missing) == 0 {
		return Text{
			EN: fmt.Sprintf("Every exit criterion of %s is confirmed, so nothing should hold it: move it on with /deal next #%d, or ask the buyer what still stops them from taking the next step.", st.Name(EN), n),
			ZH: fmt.Sprintf("%s阶段的出阶段标准都已确认，照理不该再卡住：用 /deal next #%d 推进，或者直接问买方还有什么在阻止他们迈出下一步。", st.Name(ZH), n),
		}
	}
	l := criteriaList(missing)
	return Text{
		EN: fmt.Sprintf("Find out this week what holds it in %s and settle it. Not confirmed yet: %s (record each with /deal check #%d <criterion> once it is).", st.Name(EN), l.EN, n),
		ZH: fmt.Sprintf("本周弄清楚是什么让它卡在%s阶段，并把问题解决。尚未确认：%s（确认后用 /deal check #%d <标准> 记录）。", st.Name(ZH), l.ZH, n),
	}
}

// idle: no stage change or note for more than StaleDays.
func idle(s *situation) (Advice, bool) {
	if s.paused || s.d.LastActive.IsZero() {
		return Advice{}, false
	}
	quiet := Days(s.now.Sub(s.d.LastActive))
	if quiet <= StaleDays {
		return Advice{}, false
	}
	d, n := daysText(quiet), s.d.Number
	return Advice{
		Over: quiet - StaleDays,
		Step: Text{
			EN: fmt.Sprintf("Re-open the conversation today with a message the buyer can answer in one line — a proposed date for the next meeting, or a single question about their timeline — and log it with /deal note #%d.", n),
			ZH: fmt.Sprintf("今天就重新打开对话：发一条买方一句话就能回复的消息——提议下次会面的具体日期，或者只问一个关于他们时间表的问题——然后用 /deal note #%d 记下来。", n),
		},
		Reason: Text{
			EN: fmt.Sprintf("No stage change or note for %s (the mark is %d days).", d.EN, StaleDays),
			ZH: fmt.Sprintf("已经 %s没有阶段变化或备注（警戒线是 %d 天）。", d.ZH, StaleDays),
		},
	}, true
}

// movedBack: the current visit began with a move to an earlier stage, in the
// last MovedBackDays.
func movedBack(s *situation) (Advice, bool) {
	v := Visits(s.log)
	if len(v) < 2 {
		return Advice{}, false
	}
	cur, prev := v[len(v)-1], v[len(v)-2]
	if !cur.End.IsZero() || cur.Stage != s.d.Stage || cur.Stage.Index() >= prev.Stage.Index() ||
		Days(s.now.Sub(cur.Start)) > MovedBackDays {
		return Advice{}, false
	}
	from, to := prev.Stage, cur.Stage
	date := cur.Start.In(s.now.Location()).Format("2006-01-02")
	return Advice{
		Over: s.days,
		Step: Text{
			EN: fmt.Sprintf("Call your contact this week to learn what changed on their side — a new stakeholder, a budget cut, a competitor — then re-confirm the exit criteria of %s before you present again.", to.Name(EN)),
			ZH: fmt.Sprintf("本周给对接人打个电话，弄清楚他们那边发生了什么变化——来了新的相关方、预算被砍，还是出现了竞争对手——然后在再次推介之前，重新确认%s阶段的出阶段标准。", to.Name(ZH)),
		},
		Reason: Text{
			EN: fmt.Sprintf("Moved back from %s to %s on %s.", from.Name(EN), to.Name(EN), date),
			ZH: fmt.Sprintf("于 %s 从%s退回到%s阶段。", date, from.Name(ZH), to.Name(ZH)),
		},
	}, true
}

// objectionLoop: the deal entered objection handling ObjectionLoopEntries
// times or more and is still at presentation or later.
func objectionLoop(s *situation) (Advice, bool) {
	n := 0
	for _, v := range Visits(s.log) {
		if v.Stage == Objections {
			n++
		}
	}
	if n < ObjectionLoopEntries || s.d.Stage.Index() < Presentation.Index() {
		return Advice{}, false
	}
	play := PlaybookFor(Objections).Objections[ObjIndecision]
	return Advice{
		Over: s.days,
		Step: Text{
			EN: "Stop answering the same concern again on calls. Offer proof instead — a reference call with a customer in their industry, or a two-week pilot with success criteria agreed in writing — and agree the date they will decide.",
			ZH: "别再在电话里反复回答同一个顾虑，改为拿出证据：安排一位同行业客户做参考通话，或者做一个为期两周、成功标准书面约定的试点，并约定对方做决定的日期。",
		},
		TacticLabel: Text{EN: "Objection · " + ObjIndecision.Name(EN), ZH: "异议 · " + ObjIndecision.Name(ZH)},
		Tactic:      play,
		Reason: Text{
			EN: fmt.Sprintf("It has entered Objection handling %d times: the same concerns keep coming back.", n),
			ZH: fmt.Sprintf("它已经 %d 次进入异议处理阶段：同样的顾虑反复出现。", n),
		},
	}, true
}

// recurringLoss: from qualification to closing, when one reason with an
// objection play holds RecurringLossMin of the team's recent losses, pre-empt it.
func recurringLoss(s *situation) (Advice, bool) {
	if i := s.d.Stage.Index(); i < Qualification.Index() || i > Closing.Index() {
		return Advice{}, false
	}
	for _, rc := range s.stats.LostReasons {
		o, ok := rc.Reason.Objection()
		if !ok || o == ObjCompetitor || rc.N < RecurringLossMin {
			continue
		}
		return Advice{
			Over:        s.days,
			TacticLabel: Text{EN: "Pre-empt: " + o.Name(EN), ZH: "提前化解：" + o.Name(ZH)},
			Tactic:      PlaybookFor(Objections).Objections[o],
			Reason: Text{
				EN: fmt.Sprintf("%d of your team's last %d lost deals were lost on %s.", rc.N, s.stats.Losses, rc.Reason.Name(EN)),
				ZH: fmt.Sprintf("团队最近 %d 笔丢单中，有 %d 笔是因为%s。", s.stats.Losses, rc.N, rc.Reason.Name(ZH)),
			},
		}, true
	}
	return Advice{}, false
}

// bigDeal: from qualification to closing, at least BigDealFactor times the
// team's typical deal in the same currency.
func bigDeal(s *situation) (Advice, bool) {
	t, d := s.stats, s.d
	if i := d.Stage.Index(); i < Qualification.Index() || i > Closing.Index() {
		return Advice{}, false
	}
	if !d.HasAmount || t.TypicalN < MinDealsForTypical || t.Typical.Cents <= 0 || t.Typical.Currency != d.Amount.Currency {
		return Advice{}, false
	}
	x := float64(d.Amount.Cents) / float64(t.Typical.Cents)
	if x < BigDealFactor {
		return Advice{}, false
	}
	times := strconv.FormatFloat(math.Floor(x*10)/10, 'f', -1, 64)
	amount, typical := FormatMoney(d.Amount), FormatMoney(t.Typical)
	return Advice{
		Over: s.days,
		Step: Text{
			EN: "Map everyone who signs or can block it — economic buyer, finance, IT security, legal — and start the paper process (procurement, security review, contract terms) now, in parallel with the evaluation.",
			ZH: "把所有需要签字或可能否决的人列出来——经济决策人、财务、IT 安全、法务——并从现在起同步启动采购、安全评审和合同条款等流程，不要等评估结束。",
		},
		Reason: Text{
			EN: fmt.Sprintf("At %s it is %s× your team's typical deal of %s (the median of %d deals).", amount, times, typical, t.TypicalN),
			ZH: fmt.Sprintf("金额 %s，是团队典型交易金额 %s（%d 笔交易的中位数）的 %s 倍。", amount, typical, t.TypicalN, times),
		},
	}, true
}

// stageSlow: longer in the stage than the p75 (or the stage's early mark).
func stageSlow(s *situation) (Advice, bool) {
	if s.paused || s.days <= s.th.P75 {
		return Advice{}, false
	}
	st, d, th := s.d.Stage, daysText(s.days), s.th
	if th.Team {
		return Advice{Over: s.days - th.P75, Reason: Text{
			EN: fmt.Sprintf("In %s for %s — longer than three in four of your team's visits (median %s, p75 %s, p90 %s days).", st.Name(EN), d.EN, fmtDays(th.Median), fmtDays(th.P75), fmtDays(th.P90)),
			ZH: fmt.Sprintf("已在%s阶段停留 %s，比团队四分之三的停留都长（中位数 %s 天，p75 %s 天，p90 %s 天）。", st.Name(ZH), d.ZH, fmtDays(th.Median), fmtDays(th.P75), fmtDays(th.P90)),
		}}, true
	}
	return Advice{Over: s.days - th.P75, Reason: Text{
		EN: fmt.Sprintf("In %s for %s — past the %s-day early mark used until your team has %d completed visits of this stage (it has %d).", st.Name(EN), d.EN, fmtDays(th.P75), MinVisitsForBottleneck, th.Visits),
		ZH: fmt.Sprintf("已在%s阶段停留 %s，超过了 %s 天的提醒线（团队在该阶段完成的停留满 %d 次之前都用这条线，目前只有 %d 次）。", st.Name(ZH), d.ZH, fmtDays(th.P75), MinVisitsForBottleneck, th.Visits),
	}}, true
}

func pausedRule(s *situation) (Advice, bool) {
	if !s.paused {
		return Advice{}, false
	}
	date := s.d.PausedUntil.In(s.now.Location()).Format("2006-01-02")
	why, whyZH := "", ""
	if r := strings.TrimSpace(s.d.PauseReason); r != "" {
		why, whyZH = " ("+r+")", "（"+r+"）"
	}
	return Advice{Reason: Text{
		EN: fmt.Sprintf("Paused until %s%s: no nudges and no stale warnings until then.", date, why),
		ZH: fmt.Sprintf("已暂停提醒至 %s%s：在此之前不会发提醒，也不会标记为停滞。", date, whyZH),
	}}, true
}

func onTrack(s *situation) (Advice, bool) {
	st, d, th := s.d.Stage, daysText(s.days), s.th
	if th.Team {
		return Advice{Reason: Text{
			EN: fmt.Sprintf("In %s for %s; your team's median is %s and p75 is %s — on track.", st.Name(EN), d.EN, fmtDays(th.Median), fmtDays(th.P75)),
			ZH: fmt.Sprintf("已在%s阶段停留 %s；团队的中位数是 %s 天，p75 是 %s 天——进度正常。", st.Name(ZH), d.ZH, fmtDays(th.Median), fmtDays(th.P75)),
		}}, true
	}
	return Advice{Reason: Text{
		EN: fmt.Sprintf("In %s for %s — on track (until your team has %d completed visits of this stage, the mark is %s days).", st.Name(EN), d.EN, MinVisitsForBottleneck, fmtDays(th.P75)),
		ZH: fmt.Sprintf("已在%s阶段停留 %s，进度正常（团队在该阶段完成的停留满 %d 次之前，提醒线是 %s 天）。", st.Name(ZH), d.ZH, MinVisitsForBottleneck, fmtDays(th.P75)),
	}}, true
}

// won: the follow-up playbook.
func won(d Deal, now time.Time) Advice {
	p := PlaybookFor(Retention)
	date := d.StageSince.In(now.Location()).Format("2006-01-02")
	ago := daysText(d.DaysInStage(now))
	return Advice{
		Rule: RuleWon, Priority: len(rules) + 1,
		Step: p.NextStep, TacticLabel: fiveALabel(Retention), Tactic: p.FiveA,
		Today: p.TacticFor(d.Number + now.YearDay()),
		Reason: Text{
			EN: fmt.Sprintf("Won on %s, %s ago: the follow-up now decides whether they renew, buy more and refer you.", date, ago.EN),
			ZH: fmt.Sprintf("于 %s 赢单，已过去 %s：接下来的跟进决定了客户会不会续约、加购和为你转介绍。", date, ago.ZH),
		},
	}
}

// lost: how to reopen, and the objection play for the reason it was lost.
func lost(d Deal, now time.Time) Advice {
	date := d.StageSince.In(now.Location()).Format("2006-01-02")
	a := Advice{
		Rule: RuleLost, Priority: len(rules) + 2,
		Step: Text{
			EN: fmt.Sprintf("If their situation changes, /deal reopen #%d brings it back to %s.", d.Number, d.Stage.Name(EN)),
			ZH: fmt.Sprintf("如果客户情况有变，用 /deal reopen #%d 把它恢复到%s阶段。", d.Number, d.Stage.Name(ZH)),
		},
		Reason: Text{
			EN: fmt.Sprintf("Lost on %s (%s).", date, d.LostReason.Name(EN)),
			ZH: fmt.Sprintf("于 %s 丢单（%s）。", date, d.LostReason.Name(ZH)),
		},
	}
	if o, ok := d.LostReason.Objection(); ok {
		a.TacticLabel = Text{EN: "Next time (" + d.LostReason.Name(EN) + ")", ZH: "下次遇到（" + d.LostReason.Name(ZH) + "）"}
		a.Tactic = PlaybookFor(Objections).Objections[o]
	}
	return a
}

// fmtDays renders a number of days for a sentence: "12", "3.5", "0.4".
func fmtDays(v float64) string {
	v = max(v, 0) // a stage entered this very moment, with the clock's rounding
	if v < 10 {
		return strings.TrimSuffix(strconv.FormatFloat(v, 'f', 1, 64), ".0")
	}
	return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
}

// daysText is "12 days" / "12 天" ("1 day" in English).
func daysText(v float64) Text {
	n := fmtDays(v)
	if n == "1" {
		return Text{EN: "1 day", ZH: "1 天"}
	}
	return Text{EN: n + " days", ZH: n + " 天"}
}

// Rank orders advice for a list of deals: the most urgent rule first, then
// the deal furthest past its mark. It returns the indices of advice in that
// order; ties keep the given order.
func Rank(advice []Advice) []int {
	idx := make([]int, len(advice))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		x, y := advice[a], advice[b]
		if c := cmp.Compare(x.Priority, y.Priority); c != 0 {
			return c
		}
		return cmp.Compare(y.Over, x.Over)
	})
	return idx
}
