package coach

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Advice is the composed advice for one deal. For an open deal it always
// carries the stage's next step and its 5A tactic; the rule that fits the
// deal's situation adds one line of its own (and may sharpen the step), it
// never takes the 5A tactic away.
type Advice struct {
	Status     Status
	Step       Text // the next process step, sharpened by the situation when it has a better one
	FiveALabel Text // what the 5A tactic is: "5A “I'm convinced”"; empty when lost
	Tactic5A   Text // the stage's 5A tactic; empty only for a lost deal
	Situation  Situation
	TryToday   Text // one concrete action chosen for the situation; empty when nothing fits (paused)
	Why        Text // the one reason, with the numbers behind it, in a rep's words

	Attention bool    // the deal needs attention: /coach counts it, nudges list it when Stale
	Stale     bool    // §9's stale deal: stuck past its mark or idle
	Urgency   int     // the rule's rank: 1 is the most urgent
	Over      float64 // days past the mark that fired, for ranking deals of one rule
}

// Situation is what the rule that fired adds to the stage's advice.
type Situation struct {
	Rule  Rule // for logs and metrics only: never shown to a rep
	Label Text // the rule's name in a rep's words: "Stuck in stage"
	Text  Text // the one situation-specific line; empty when the rule only sharpens the step
}

// Rules added by the composed advice.
const (
	RuleSkipped   Rule = "skipped_qualification" // moved past qualification with its criteria unconfirmed
	RuleObjection Rule = "objection"             // in objection handling with an objection type recorded
	RuleOverdue   Rule = "overdue"               // open past its expected close date
)

// Thresholds of the composed rules.
const (
	RecurringLossMinLosses = 8   // recurring losses: at least 8 of the team's recent losses…
	RecurringLossShare     = 0.4 // …one reason at least 40 % of them…
	RecurringLossLead      = 2   // …and at least 2 losses ahead of the next reason
)

// ruleLabels are the rules' names as a rep reads them.
var ruleLabels = map[Rule]Text{
	RulePaused:        {EN: "Paused", ZH: "已暂停"},
	RuleClosingStuck:  {EN: "Stuck before signature", ZH: "迟迟签不下来"},
	RuleStageP90:      {EN: "Stuck in stage", ZH: "本阶段卡住了"},
	RuleStage14d:      {EN: "Stuck in stage", ZH: "本阶段卡住了"},
	RuleIdle:          {EN: "Gone quiet", ZH: "很久没有动静"},
	RuleOverdue:       {EN: "Past its close date", ZH: "已过预计成交日"},
	RuleObjectionLoop: {EN: "Objection keeps coming back", ZH: "异议反复出现"},
	RuleMovedBack:     {EN: "Moved back", ZH: "阶段后退了"},
	RuleBigDeal:       {EN: "Big deal", ZH: "大单"},
	RuleStageP75:      {EN: "Slower than usual", ZH: "比平时慢"},
	RuleObjection:     {EN: "Objection raised", ZH: "买方提出了异议"},
	RuleRecurringLoss: {EN: "Your team's usual loss", ZH: "团队常见的丢单原因"},
	RuleOnTrack:       {EN: "On track", ZH: "进度正常"},
	RuleWon:           {EN: "Won", ZH: "已赢单"},
	RuleLost:          {EN: "Lost", ZH: "已丢单"},
}

// Label returns the rule's name in a rep's words, in both languages.
func (r Rule) Label() Text {
	if r == RuleSkipped { // named after the stage, whatever it is called
		return Text{EN: "Skipped " + strings.ToLower(Qualification.Name(EN)), ZH: "跳过了" + Qualification.Name(ZH)}
	}
	return ruleLabels[r]
}

// lineLabels name the situation line by what it offers, so it does not
// repeat the rule's label that the why carries.
var lineLabels = map[Rule]Text{
	RuleObjectionLoop: {EN: "Objection play", ZH: "异议打法"},
	RuleObjection:     {EN: "Objection play", ZH: "异议打法"},
	RuleRecurringLoss: {EN: "Head it off", ZH: "提前防范"},
	RuleSkipped:       {EN: "Still to qualify", ZH: "尚待确认"},
	RuleLost:          {EN: "Next time", ZH: "下次"},
}

// LineLabel returns the label of the situation line: what it offers.
func (s Situation) LineLabel() Text {
	if l, ok := lineLabels[s.Rule]; ok {
		return l
	}
	return s.Label
}

// composed is what a rule adds; Advise fills in the rest.
type composed struct {
	step     Text // replaces the stage's step when set
	line     Text // the situation line
	today    Text // "try today" for this situation; a stage tactic when empty
	why      Text
	over     float64
	noToday  bool // nothing to try today (a paused deal)
	stepOnly bool // the step is final: do not add the stage's criteria to it
}

type composeRule struct {
	name      Rule
	attention bool
	stale     bool
	fire      func(s *situation) (composed, bool)
}

// composeRules are tried in order, the deal's own signals first; the first
// that fires adds its line. A team-wide pattern (recurring losses) comes after
// every signal of the deal itself.
var composeRules = []composeRule{
	{RulePaused, false, false, cPaused},
	{RuleClosingStuck, true, true, cClosingStuck},
	{RuleStageP90, true, true, cStuck(true)},
	{RuleStage14d, true, true, cStuck(false)},
	{RuleIdle, true, true, cIdle},
	{RuleOverdue, true, false, cOverdue},
	{RuleObjectionLoop, true, false, cObjectionLoop},
	{RuleMovedBack, true, false, cMovedBack},
	{RuleSkipped, true, false, cSkipped},
	{RuleBigDeal, true, false, cBigDeal},
	{RuleStageP75, true, false, cSlow},
	{RuleObjection, false, false, cObjection},
	{RuleRecurringLoss, false, false, cRecurringLoss},
	{RuleOnTrack, false, false, cOnTrack},
}

// Rules returns every rule Advise may name, most urgent first, won
// and lost last.
func Rules() []Rule {
	out := make([]Rule, 0, len(composeRules)+2)
	for _, r := range composeRules {
		out = append(out, r.name)
	}
	return append(out, RuleWon, RuleLost)
}

// Advise returns the advice for deal d, from its log (oldest first), the
// team's numbers and now; dates are written in now's location.
func Advise(d Deal, log []Event, stats TeamStats, now time.Time) Advice {
	switch d.Status {
	case StatusWon:
		return composeWon(d, log, now)
	case StatusLost:
		return composeLost(d, now)
	}
	s := &situation{d: d, log: log, stats: stats, now: now, p: PlaybookFor(d.Stage),
		th: stats.Threshold(d.Stage), days: d.DaysInStage(now), paused: d.Paused(now)}
	for i, r := range composeRules {
		c, ok := r.fire(s)
		if !ok {
			continue
		}
		out := Advice{
			Status: StatusOpen, Step: c.step,
			FiveALabel: fiveALabel(d.Stage), Tactic5A: s.p.FiveA,
			Situation: Situation{Rule: r.name, Label: r.name.Label(), Text: c.line},
			Why:       c.why,
			Attention: r.attention, Stale: r.stale, Urgency: i + 1, Over: c.over,
		}
		if out.Step == (Text{}) {
			out.Step = stageStep(s)
		}
		if !c.noToday {
			out.TryToday = pickToday(s, c.today, out.Step, out.Tactic5A, out.Situation.Text)
		}
		return out
	}
	panic("coach: on_track always fires")
}

// stageStep is the stage's next step for where the deal is in the stage: the
// step of the first exit criterion not yet confirmed in this visit once one
// is, the move on once all are; Presentation's step before the demo until
// the demo is logged.
func stageStep(s *situation) Text {
	p, n := s.p, s.d.Number
	done := Confirmed(s.log, s.d.Stage, s.d.StageSince)
	if len(done) == 0 {
		if p.BeforeStep != (Text{}) && !demoLogged(s.log, s.d.StageSince) {
			return p.BeforeStep
		}
		return p.NextStep
	}
	for _, c := range p.ExitCriteria {
		if !done[c.Key] && c.Step != (Text{}) {
			return c.Step
		}
	}
	if s.d.Stage == Closing {
		return Text{
			EN: fmt.Sprintf("Every exit criterion of %s is confirmed: once it is signed, record it with %s #%d and hold the kick-off within 3 working days.", Closing.Name(EN), CommandText("deal won"), n),
			ZH: fmt.Sprintf("%s阶段的出阶段标准都已确认：签约后用 %s #%d 记录赢单，并在 3 个工作日内开启动会。", Closing.Name(ZH), CommandText("deal won"), n),
		}
	}
	next := s.d.Stage.Next()
	return Text{
		EN: fmt.Sprintf("Every exit criterion of %s is confirmed: move it on with %s #%d and start %s today.", s.d.Stage.Name(EN), CommandText("deal next"), n, next.Name(EN)),
		ZH: fmt.Sprintf("%s阶段的出阶段标准都已确认：用 %s #%d 推进，今天就开始%s阶段的工作。", s.d.Stage.Name(ZH), CommandText("deal next"), n, next.Name(ZH)),
	}
}

// demoWords in a note mean the demo took place.
var demoWords = []string{"demo", "demoed", "presented", "presentation", "演示", "展示"}

// demoLogged reports whether the visit since since has a note about the demo
// or a confirmed Presentation criterion: the demo happened.
func demoLogged(log []Event, since time.Time) bool {
	for _, e := range Live(log) {
		if e.At.Before(since) {
			continue
		}
		if e.Kind == EvCheck && e.Fields.Stage == Presentation {
			return true
		}
		if e.Kind == EvNote {
			t := strings.ToLower(e.Text)
			for _, w := range demoWords {
				if strings.Contains(t, w) {
					return true
				}
			}
		}
	}
	return false
}

// pickToday returns want when it is set and differs from the other lines,
// otherwise the first of the stage's tactics, from one chosen by the deal's
// number, that repeats none of them.
func pickToday(s *situation, want Text, others ...Text) Text {
	if want != (Text{}) && !repeats(want, others) {
		return want
	}
	ts := s.p.Tactics
	for i := range ts {
		t := ts[(s.d.Number+i)%len(ts)]
		if !repeats(t, others) {
			return t
		}
	}
	return Text{}
}

func repeats(t Text, others []Text) bool {
	for _, o := range others {
		if o != (Text{}) && (o.EN == t.EN || o.ZH == t.ZH) {
			return true
		}
	}
	return false
}

// lowerFirst lowercases the first letter of an English sentence that is to
// follow a dash.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || !unicode.IsUpper(r) {
		return s
	}
	// "Within 48 hours" reads fine lowercased; an acronym ("NPS") does not.
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// capFirst capitalises the first letter of s.
func capFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// DateText is a date as a reply writes it: "16 Dec" (with the year when it
// is not now's) and "12月16日" ("2027年1月5日").
func DateText(t, now time.Time) Text {
	t = t.In(now.Location())
	if t.Year() != now.Year() {
		return Text{EN: t.Format("2 Jan 2006"), ZH: fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())}
	}
	return Text{EN: t.Format("2 Jan"), ZH: fmt.Sprintf("%d月%d日", t.Month(), t.Day())}
}

// agoText is "today", "yesterday" or "12 days ago".
func agoText(t, now time.Time) Text {
	loc := now.Location()
	a, b := t.In(loc), now
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, loc)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, loc)
	n := int(math.Round(db.Sub(da).Hours() / 24))
	switch {
	case n <= 0:
		return Text{EN: "today", ZH: "今天"}
	case n == 1:
		return Text{EN: "yesterday", ZH: "昨天"}
	}
	return Text{EN: fmt.Sprintf("%d days ago", n), ZH: fmt.Sprintf("%d 天前", n)}
}

// DaysText is a stay as a rep reads it: "12 days" / "12 天", rounded to
// whole days, "less than a day" for a fresh one.
func DaysText(v float64) Text { return daysWord(v) }

func daysWord(v float64) Text {
	if v < 1 {
		return Text{EN: "less than a day", ZH: "不到一天"}
	}
	n := int(math.Round(v))
	if n == 1 {
		return Text{EN: "1 day", ZH: "1 天"}
	}
	return Text{EN: fmt.Sprintf("%d days", n), ZH: fmt.Sprintf("%d 天", n)}
}

// typical says what the team usually takes in a stage: "your team usually
// takes 5 days there" (the median).
func typical(th Threshold) Text {
	d := daysWord(th.Median)
	return Text{EN: "your team usually takes " + d.EN, ZH: "团队通常只要 " + d.ZH}
}

func cPaused(s *situation) (composed, bool) {
	if !s.paused {
		return composed{}, false
	}
	date := DateText(s.d.PausedUntil, s.now)
	why, whyZH := "", ""
	if r := strings.TrimSpace(s.d.PauseReason); r != "" {
		why, whyZH = " ("+r+")", "（"+r+"）"
	}
	step := stageStep(s)
	return composed{
		step: Text{
			EN: fmt.Sprintf("Paused until %s%s — on that day, %s", date.EN, why, lowerFirst(step.EN)),
			ZH: fmt.Sprintf("暂停至%s%s——到那天，%s", date.ZH, whyZH, step.ZH),
		},
		why: Text{
			EN: fmt.Sprintf("You paused it, so it gets no nudges and is not counted as needing attention until %s; %s #%d off lifts the pause.", date.EN, CommandText("deal pause"), s.d.Number),
			ZH: fmt.Sprintf("您暂停了这笔商机：%s之前不会收到提醒，也不算作需要关注；用 %s #%d off 可以取消暂停。", date.ZH, CommandText("deal pause"), s.d.Number),
		},
		noToday: true,
	}, true
}

// stuckWhy says how long the deal has been in its stage against the team's
// p90, or against two weeks without enough team data.
func stuckWhy(s *situation) Text {
	st, d := s.d.Stage, daysWord(s.days)
	if s.th.Team {
		ty := typical(s.th)
		return Text{
			EN: fmt.Sprintf("In %s for %s — longer than 9 in 10 of your team's past visits (%s).", st.Name(EN), d.EN, ty.EN),
			ZH: fmt.Sprintf("已在%s阶段停留 %s，比团队以往九成的停留都长（%s）。", st.Name(ZH), d.ZH, ty.ZH),
		}
	}
	return Text{
		EN: fmt.Sprintf("In %s for %s — more than two weeks without moving on.", st.Name(EN), d.EN),
		ZH: fmt.Sprintf("已在%s阶段停留 %s，两周多没有推进。", st.Name(ZH), d.ZH),
	}
}

func cClosingStuck(s *situation) (composed, bool) {
	if s.d.Stage != Closing || s.days <= s.th.P90 {
		return composed{}, false
	}
	n := s.d.Number
	return composed{
		over: s.days - s.th.P90,
		step: Text{
			EN: fmt.Sprintf("Ask the economic buyer directly whether signing this is still a priority this quarter. If it is not, close it with %s #%d <reason> so your forecast stays honest; if it is, agree the signing date and who signs.", CommandText("deal lost"), n),
			ZH: fmt.Sprintf("直接问决策人：这个季度签下来还是不是优先事项？如果不是，用 %s #%d <原因> 关掉它，让销售预测保持真实；如果是，就敲定签约日期和签字人。", CommandText("deal lost"), n),
		},
		today: Text{
			EN: "List what procurement, legal and security still need from you, with a date for each, and send the list to your champion to check.",
			ZH: "列出采购、法务和安全审核还需要你提供的东西，每项写上日期，发给内线核对。",
		},
		why: stuckWhy(s),
	}, true
}

func cStuck(team bool) func(s *situation) (composed, bool) {
	return func(s *situation) (composed, bool) {
		if s.th.Team != team || s.days <= s.th.P90 {
			return composed{}, false
		}
		st, n := s.d.Stage, s.d.Number
		c := composed{over: s.days - s.th.P90, why: stuckWhy(s),
			today: Text{
				EN: "Ask your champion one question today: \"What would have to happen for this to move forward next week?\" and note the answer.",
				ZH: "今天只问内线一个问题：“要让这件事下周往前走，需要发生什么？”并把回答记在备注里。",
			}}
		if st.Index() <= Contact.Index() {
			// No two-way contact yet, so no champion to ask.
			c.today = Text{
				EN: "Send one short message today that offers a 20-minute call on a named day and time, and try a second person at the account if the first has not answered.",
				ZH: "今天发一条简短的消息，提议在某个具体日期和时间通 20 分钟电话；如果第一位联系人一直没回复，换这家客户的另一位联系人试试。",
			}
		}
		missing := s.p.Unconfirmed(s.log, s.d.StageSince)
		if len(missing) == 0 {
			c.step = Text{
				EN: fmt.Sprintf("Every exit criterion of %s is confirmed, so nothing should hold it: move it on with %s #%d, or ask the buyer what still stops them from taking the next step.", st.Name(EN), CommandText("deal next"), n),
				ZH: fmt.Sprintf("%s阶段的出阶段标准都已确认，照理不该再卡住：用 %s #%d 推进，或者直接问买方还有什么在阻止他们迈出下一步。", st.Name(ZH), CommandText("deal next"), n),
			}
			return c, true
		}
		l := criteriaList(missing)
		c.step = Text{
			EN: fmt.Sprintf("Find out this week what holds it in %s and settle it. Not confirmed yet: %s (record each with %s #%d <criterion> once it is).", st.Name(EN), l.EN, CommandText("deal check"), n),
			ZH: fmt.Sprintf("本周弄清楚是什么让它卡在%s阶段，并把问题解决。尚未确认：%s（确认后用 %s #%d <标准> 记录）。", st.Name(ZH), l.ZH, CommandText("deal check"), n),
		}
		return c, true
	}
}

func cIdle(s *situation) (composed, bool) {
	if s.d.LastActive.IsZero() {
		return composed{}, false
	}
	quiet := Days(s.now.Sub(s.d.LastActive))
	if quiet <= StaleDays {
		return composed{}, false
	}
	d, n := daysWord(quiet), s.d.Number
	return composed{
		over: quiet - StaleDays,
		step: Text{
			EN: fmt.Sprintf("Re-open the conversation with a message the buyer can answer in one line — a proposed date for the next meeting, or a single question about their timeline — and log it with %s #%d.", CommandText("deal note"), n),
			ZH: fmt.Sprintf("重新打开对话：发一条买方一句话就能回复的消息——提议下次会面的具体日期，或者只问一个关于他们时间表的问题——然后用 %s #%d 记下来。", CommandText("deal note"), n),
		},
		today: Text{
			EN: "Look up one piece of news at the account (a hire, a press release, a results call) and open your message with it.",
			ZH: "查一条这家客户的最新动态（新人到岗、新闻稿、业绩发布），用它作为消息的开头。",
		},
		why: Text{
			EN: fmt.Sprintf("Nothing logged for %s: no stage change and no note since %s.", d.EN, DateText(s.d.LastActive, s.now).EN),
			ZH: fmt.Sprintf("已经 %s没有任何记录：自%s以来没有阶段变化，也没有备注。", d.ZH, DateText(s.d.LastActive, s.now).ZH),
		},
	}, true
}

// cOverdue: open past its expected close date. A push without news is a
// qualification problem, one after a real event a deal risk: the step asks which.
func cOverdue(s *situation) (composed, bool) {
	if !s.d.Overdue(s.now) {
		return composed{}, false
	}
	n, late := s.d.Number, s.d.DaysOverdue(s.now)
	date := DateText(s.d.CloseDate, s.now)
	c := composed{
		over: float64(late),
		step: Text{
			EN: fmt.Sprintf("Call your champion this week: the date passed without a signature — was it a real event (a reorganisation, a budget freeze) or nothing new? Agree a new date with its reason and set it with %s #%d <date>; if nothing changed, re-check the timeline and who decides.", CommandText("deal due"), n),
			ZH: fmt.Sprintf("本周给内线打个电话：日期已过却还没签约——是发生了真实的事件（组织调整、预算冻结），还是什么都没变？约定一个有理由的新日期，用 %s #%d <日期> 更新；如果什么都没变，就重新确认时间表和决策人。", CommandText("deal due"), n),
		},
		today: Text{
			EN: "Write the one question for that call: \"What has to happen on your side before you can sign, and by when?\"",
			ZH: "先写好那通电话要问的一个问题：“你们那边签约之前还需要完成什么，最晚什么时候？”",
		},
		why: Text{
			EN: fmt.Sprintf("Its expected close date was %s, %s ago.", date.EN, daysWord(float64(late)).EN),
			ZH: fmt.Sprintf("预计成交日期是%s，已经过去 %s。", date.ZH, daysWord(float64(late)).ZH),
		},
	}
	if s.d.Slips > 0 {
		c.why.EN += fmt.Sprintf(" The date has already been pushed %s.", timesText(s.d.Slips))
		c.why.ZH += fmt.Sprintf("这个日期已经推迟过 %d 次。", s.d.Slips)
	}
	return c, true
}

// timesText is "once", "twice", "3 times".
func timesText(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return fmt.Sprintf("%d times", n)
}

// objectionEntries counts the visits of Objection handling in a log that
// began with a move (a reopen returning the deal there does not count).
func objectionEntries(log []Event) int {
	n := 0
	for _, v := range Visits(log) {
		if v.Stage == Objections && v.Event.Kind != EvReopen {
			n++
		}
	}
	return n
}

// objectionPlay is the play for a recorded objection type.
func objectionPlay(o Objection) Text { return PlaybookFor(Objections).Objections[o] }

func cObjectionLoop(s *situation) (composed, bool) {
	if s.d.Stage != Objections {
		return composed{}, false
	}
	n := objectionEntries(s.log)
	if n < ObjectionLoopEntries {
		return composed{}, false
	}
	c := composed{
		over: s.days,
		why: Text{
			EN: fmt.Sprintf("It is in Objection handling for the %s time: the same concerns keep coming back.", ordinal(n)),
			ZH: fmt.Sprintf("这已是第 %d 次进入%s阶段：同样的顾虑反复出现。", n, Objections.Name(ZH)),
		},
		today: Text{
			EN: "Ask your contact: \"If we settle this, is anything else stopping you from going ahead?\" and write down every answer.",
			ZH: "问对接人：“如果这个问题解决了，还有什么会让你们没法往下推进？”把每个回答都记下来。",
		},
	}
	o, ok := RecordedObjection(s.log, time.Time{})
	if !ok {
		c.line = Text{
			EN: fmt.Sprintf("Name the objection so the play fits it: %s #%d objection:price (or timing, authority, need, trust, indecision, competitor) and what they said.", CommandText("deal note"), s.d.Number),
			ZH: fmt.Sprintf("先给异议归类，才能用对打法：%s #%d objection:price（或 timing、authority、need、trust、indecision、competitor），再写上对方的原话。", CommandText("deal note"), s.d.Number),
		}
		return c, true
	}
	c.line = objectionPlay(o)
	c.step = loopStep(o)
	return c, true
}

// loopStep is the next step for an objection that keeps coming back: stop
// answering it the same way on calls, and change what is on the table the
// way its type calls for (COACHING.md's plays by type).
func loopStep(o Objection) Text {
	switch o {
	case ObjPrice:
		return Text{
			EN: "Stop defending the price on calls: put the cost of their problem, in their own numbers, next to the price, and offer a smaller first phase rather than a discount; agree the date they will decide.",
			ZH: "别再在电话里为价格辩护：把对方问题的代价（用他们自己的数字）和价格放在一起看，提出先做一个范围更小的第一期，而不是打折；并约定对方做决定的日期。",
		}
	case ObjTiming:
		return Text{
			EN: "Stop accepting \"not now\": work out with your contact what each month of waiting costs them, and agree a decision date with its reason.",
			ZH: "别再接受“现在不是时候”：和对接人一起算清每多等一个月要付出什么代价，并约定一个有理由的决定日期。",
		}
	case ObjAuthority:
		return Text{
			EN: "Stop answering for someone who is not in the room: ask your champion to bring the decision-maker to a 20-minute call this week, and send the champion a one-page case to forward.",
			ZH: "别再替不在场的人回答问题：请内线本周安排决策人参加一个 20 分钟的电话，并给内线一页可以直接转发的方案说明。",
		}
	case ObjNeed:
		return Text{
			EN: "Stop pitching: go back to discovery and ask what happens if they change nothing this year; if no one can name a cost, say so and agree whether to pause.",
			ZH: "别再推销：回到需求挖掘，问对方如果今年什么都不改变会怎样；如果没人说得出代价，就直说，并商定是否先暂停。",
		}
	case ObjIndecision:
		return Text{
			EN: "Stop adding options: give one firm recommendation, limit what is left to evaluate to one question, and take the risk off the table (a pilot, a way out) so deciding feels safe.",
			ZH: "别再增加选项：给出一个明确的推荐方案，把剩下要评估的限定在一个问题上，并消除风险（试点、退出条款），让对方敢于做决定。",
		}
	}
	// Trust, risk, a competitor: proof from outside, not another answer.
	return Text{
		EN: fmt.Sprintf("Stop answering the %s concern again on calls: bring proof instead (a reference call with a customer in their industry, or a two-week pilot with success criteria in writing) and agree the date they will decide.", strings.ToLower(o.Name(EN))),
		ZH: fmt.Sprintf("别再在电话里反复解释%s方面的顾虑，改为拿出证据（安排一位同行业客户做参考通话，或者做一个两周的试点并书面约定成功标准），并约定对方做决定的日期。", o.Name(ZH)),
	}
}

func ordinal(n int) string {
	switch n {
	case 2:
		return "second"
	case 3:
		return "third"
	case 4:
		return "fourth"
	case 5:
		return "fifth"
	}
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

func cMovedBack(s *situation) (composed, bool) {
	v := Visits(s.log)
	if len(v) < 2 {
		return composed{}, false
	}
	cur, prev := v[len(v)-1], v[len(v)-2]
	if !cur.End.IsZero() || cur.Stage != s.d.Stage || cur.Event.Kind == EvReopen ||
		cur.Stage.Index() >= prev.Stage.Index() || Days(s.now.Sub(cur.Start)) > MovedBackDays {
		return composed{}, false
	}
	from, to := prev.Stage, cur.Stage
	date := DateText(cur.Start, s.now)
	return composed{
		over: s.days,
		step: Text{
			EN: fmt.Sprintf("Call your contact this week to learn what changed on their side — a new stakeholder, a budget cut, a competitor — then re-confirm the exit criteria of %s before you present again.", to.Name(EN)),
			ZH: fmt.Sprintf("本周给对接人打个电话，弄清楚他们那边发生了什么变化——来了新的相关方、预算被砍，还是出现了竞争对手——然后在再次推介之前，重新确认%s阶段的出阶段标准。", to.Name(ZH)),
		},
		today: Text{
			EN: "Redraw the buyer's side of the deal: who is new, who has left, who now signs, and which of them you have not met yet.",
			ZH: "重新画一遍买方的人员图：谁是新来的、谁离开了、现在谁签字，其中哪些人你还没见过。",
		},
		why: Text{
			EN: fmt.Sprintf("Moved back from %s to %s on %s.", from.Name(EN), to.Name(EN), date.EN),
			ZH: fmt.Sprintf("%s从%s退回到%s阶段。", date.ZH, from.Name(ZH), to.Name(ZH)),
		},
	}, true
}

// qualifyingKeys are the criteria a skip past Qualification leaves open.
var qualifyingKeys = []string{"need", "budget", "authority", "timeline"}

func cSkipped(s *situation) (composed, bool) {
	i := s.d.Stage.Index()
	if i <= Qualification.Index() || i > Closing.Index() {
		return composed{}, false
	}
	// A skip is a move from before qualification to past it; a deal created
	// in a later stage may have been qualified before it was tracked.
	vs, from := Visits(s.log), Stage("")
	for k, v := range vs {
		if v.Stage == Qualification {
			return composed{}, false // it went through qualification
		}
		if k > 0 && vs[k-1].Stage.Index() < Qualification.Index() && v.Stage.Index() > Qualification.Index() {
			from = vs[k-1].Stage
		}
	}
	if from == "" {
		return composed{}, false
	}
	done := Confirmed(s.log, Qualification, time.Time{})
	var missing []Criterion
	q := PlaybookFor(Qualification)
	for _, k := range qualifyingKeys {
		if c, ok := q.Criterion(k); ok && !done[k] {
			missing = append(missing, c)
		}
	}
	if len(missing) == 0 {
		return composed{}, false
	}
	l, n := criteriaList(missing), s.d.Number
	return composed{
		over: s.days,
		line: Text{
			EN: fmt.Sprintf("%s %s never confirmed; a deal that skipped %s often stalls later on exactly these.", capFirst(l.EN), plural(len(missing), "was", "were"), Qualification.Name(EN)),
			ZH: fmt.Sprintf("%s从未确认；跳过%s的商机，后面往往恰恰卡在这几项上。", l.ZH, Qualification.Name(ZH)),
		},
		today: Text{
			EN: fmt.Sprintf("Ask your contact how their last purchase of a similar size was approved (who signed, which steps, how many weeks) and record what you learn with %s #%d.", CommandText("deal check"), n),
			ZH: fmt.Sprintf("问对接人上一次金额相近的采购是怎么批下来的（谁签字、走哪些环节、花了几周），把了解到的用 %s #%d 记录下来。", CommandText("deal check"), n),
		},
		why: Text{
			EN: fmt.Sprintf("It moved from %s to a later stage without passing %s.", from.Name(EN), Qualification.Name(EN)),
			ZH: fmt.Sprintf("它从%s直接跳到了后面的阶段，没有经过%s。", from.Name(ZH), Qualification.Name(ZH)),
		},
	}, true
}

func cBigDeal(s *situation) (composed, bool) {
	x, ok := bigDealTimes(s.d, s.stats)
	if !ok {
		return composed{}, false
	}
	times := Text{EN: strconv.FormatFloat(math.Floor(x*10)/10, 'f', -1, 64)}
	times.ZH = times.EN + " 倍"
	if x >= 100 { // a typo in the amount, as often as not: no nine-digit factor
		times = Text{EN: "over 100", ZH: "100 多倍"}
	}
	amount, typ := FormatMoney(s.d.Amount), FormatMoney(s.stats.Typical)
	return composed{
		over: s.days,
		step: Text{
			EN: "Map everyone who signs or can block it — economic buyer, finance, IT security, legal — and start the paper process (procurement, security review, contract terms) now, in parallel with the evaluation.",
			ZH: "把所有需要签字或可能否决的人列出来——决策人、财务、IT 安全、法务——并从现在起同步启动采购、安全评审和合同条款等流程，不要等评估结束。",
		},
		today: Text{
			EN: "Ask your champion to introduce you to one more person on their side this week, in finance or IT security, so the deal does not hang on one contact.",
			ZH: "请内线本周再引荐一位对方的同事（财务或 IT 安全），别让这单只系在一个对接人身上。",
		},
		why: Text{
			EN: fmt.Sprintf("At %s it is %s× your team's typical deal of %s (the middle of its last %d deals).", amount, times.EN, typ, s.stats.TypicalN),
			ZH: fmt.Sprintf("金额 %s，是团队典型商机金额 %s（最近 %d 笔商机的中位数）的 %s。", amount, typ, s.stats.TypicalN, times.ZH),
		},
	}, true
}

func cSlow(s *situation) (composed, bool) {
	if s.days <= s.th.P75 {
		return composed{}, false
	}
	st, d := s.d.Stage, daysWord(s.days)
	c := composed{over: s.days - s.th.P75}
	if s.th.Team {
		ty := typical(s.th)
		c.why = Text{
			EN: fmt.Sprintf("In %s for %s — longer than 3 in 4 of your team's past visits (%s).", st.Name(EN), d.EN, ty.EN),
			ZH: fmt.Sprintf("已在%s阶段停留 %s，比团队以往四分之三的停留都长（%s）。", st.Name(ZH), d.ZH, ty.ZH),
		}
		return c, true
	}
	c.why = Text{
		EN: fmt.Sprintf("In %s for %s — a stay there usually takes about %s.", st.Name(EN), d.EN, daysWord(s.th.P75).EN),
		ZH: fmt.Sprintf("已在%s阶段停留 %s，这个阶段一般 %s左右就该推进。", st.Name(ZH), d.ZH, daysWord(s.th.P75).ZH),
	}
	return c, true
}

func cObjection(s *situation) (composed, bool) {
	if s.d.Stage != Objections {
		return composed{}, false
	}
	o, ok := RecordedObjection(s.log, s.d.StageSince)
	if !ok {
		return composed{}, false
	}
	return composed{
		line: objectionPlay(o),
		why: Text{
			EN: fmt.Sprintf("You recorded a %s objection on this deal.", strings.ToLower(o.Name(EN))),
			ZH: fmt.Sprintf("您为这笔商机记录了%s方面的异议。", o.Name(ZH)),
		},
	}, true
}

// Recurring returns the lost reason that recurs in the team's recent losses:
// at least RecurringLossMinLosses losses, the reason at least
// RecurringLossShare of them and RecurringLossLead ahead of the next one.
func (t TeamStats) Recurring() (ReasonCount, bool) {
	if t.Losses < RecurringLossMinLosses || len(t.LostReasons) == 0 {
		return ReasonCount{}, false
	}
	rs := slices.Clone(t.LostReasons)
	slices.SortStableFunc(rs, func(a, b ReasonCount) int { return cmp.Compare(b.N, a.N) })
	top := rs[0]
	if float64(top.N) < RecurringLossShare*float64(t.Losses) || top.Reason == ReasonOther {
		return ReasonCount{}, false
	}
	if len(rs) > 1 && top.N-rs[1].N < RecurringLossLead {
		return ReasonCount{}, false
	}
	return top, true
}

// preempt is, per lost reason, the stages where it is best headed off and
// what to do there, before the objection comes up.
var preempt = map[LostReason]struct {
	stages []Stage
	text   Text
}{
	ReasonPrice: {[]Stage{Qualification, Presentation}, Text{
		EN: "Confirm the budget range before the proposal: ask what they expect to spend and who approves it, and show the value in their own numbers before any price.",
		ZH: "报价之前先确认预算范围：问清对方打算花多少、由谁审批，并且先用对方自己的数字讲清价值，再谈价格。",
	}},
	ReasonTiming: {[]Stage{Qualification, Closing}, Text{
		EN: "Tie the deal to a date the buyer owns: ask what happens if it is not live by then, and write that reason into the mutual action plan.",
		ZH: "把这单和买方自己在意的日期绑在一起：问清到那天还没上线会怎样，并把这个理由写进共同行动计划。",
	}},
	ReasonAuthority: {[]Stage{Qualification, Presentation}, Text{
		EN: "Meet the economic buyer before the demo, not after it: ask your champion for 30 minutes with them and for the way their last purchase of this size was approved.",
		ZH: "在演示之前、而不是之后见到决策人：请内线安排 30 分钟，并问清上一次同等金额的采购是怎么批下来的。",
	}},
	ReasonNeed: {[]Stage{Qualification, Presentation}, Text{
		EN: "Get the pain in the buyer's own numbers before you demo: if they cannot say what it costs them per quarter, the deal is not ready for a presentation.",
		ZH: "演示之前先拿到用买方自己的数字衡量的痛点：如果对方说不出这个问题每季度让他们损失多少，这单还不到演示的时候。",
	}},
	ReasonTrust: {[]Stage{Presentation, Objections}, Text{
		EN: "Offer proof before they ask for it: line up a reference customer in their industry now and propose a time-boxed pilot with success criteria in writing.",
		ZH: "在对方开口之前就拿出证据：现在就约好一位同行业的参考客户，并提议一个限定时长、书面约定成功标准的试点。",
	}},
	ReasonNoDecision: {[]Stage{Presentation, Closing}, Text{
		EN: "Agree the decision date, not only the next meeting: put it in the mutual action plan with the people who decide, and recommend one option instead of three.",
		ZH: "约定的不只是下次会议，而是做决定的日期：把它和拍板的人一起写进共同行动计划，并且只推荐一个方案，而不是三个。",
	}},
	ReasonCompetitor: {[]Stage{Qualification, Presentation}, Text{
		EN: "Ask who else they are looking at, doing nothing included, and build the demo on the decision criteria where you win — never by criticising the rival.",
		ZH: "问清对方还在看哪些选择（包括什么都不做），围绕你占优的决策标准来设计演示，绝不贬低对手。",
	}},
}

// HeadOff returns the team's recurring lost reason (see Recurring) and what
// to do about it in stage s before it comes up, with ok false when no reason
// recurs or s is not a stage where it is headed off.
func (t TeamStats) HeadOff(s Stage) (ReasonCount, Text, bool) {
	rc, ok := t.Recurring()
	if !ok {
		return ReasonCount{}, Text{}, false
	}
	pe, ok := preempt[rc.Reason]
	if !ok || !slices.Contains(pe.stages, s) {
		return ReasonCount{}, Text{}, false
	}
	return rc, pe.text, true
}

func cRecurringLoss(s *situation) (composed, bool) {
	rc, text, ok := s.stats.HeadOff(s.d.Stage)
	if !ok {
		return composed{}, false
	}
	return composed{
		line: text,
		why: Text{
			EN: fmt.Sprintf("%d of your team's last %d lost deals were lost on %s.", rc.N, s.stats.Losses, rc.Reason.Name(EN)),
			ZH: fmt.Sprintf("团队最近 %d 笔丢单中，有 %d 笔是因为%s。", s.stats.Losses, rc.N, rc.Reason.Name(ZH)),
		},
	}, true
}

func cOnTrack(s *situation) (composed, bool) {
	st, d, th := s.d.Stage, daysWord(s.days), s.th
	if th.Team {
		ty := typical(th)
		return composed{why: Text{
			EN: fmt.Sprintf("In %s for %s; %s there — on track.", st.Name(EN), d.EN, ty.EN),
			ZH: fmt.Sprintf("已在%s阶段停留 %s；%s——进度正常。", st.Name(ZH), d.ZH, ty.ZH),
		}}, true
	}
	return composed{why: Text{
		EN: fmt.Sprintf("In %s for %s — on track.", st.Name(EN), d.EN),
		ZH: fmt.Sprintf("已在%s阶段停留 %s，进度正常。", st.Name(ZH), d.ZH),
	}}, true
}

// composeWon follows the retention checks confirmed since the win and the
// days since it: kick-off, hand-off, first-value review, NPS, advocacy.
func composeWon(d Deal, log []Event, now time.Time) Advice {
	p := PlaybookFor(Retention)
	days := d.DaysInStage(now)
	done := Confirmed(log, Retention, d.StageSince)
	c := Advice{
		Status: StatusWon, FiveALabel: fiveALabel(Retention), Tactic5A: p.FiveA,
		Situation: Situation{Rule: RuleWon, Label: RuleWon.Label()},
		Urgency:   len(composeRules) + 1,
	}
	// due is the day from which a check is worth doing.
	due := map[string]float64{"kickoff": 0, "handoff": 0, "first-value": 14, "nps": 30, "advocacy": 30}
	var next *Criterion
	for i := range p.ExitCriteria {
		cr := &p.ExitCriteria[i]
		if !done[cr.Key] {
			next = cr
			break
		}
	}
	ago := agoText(d.StageSince, now)
	var state Text
	switch {
	case next == nil:
		c.Step = Text{
			EN: fmt.Sprintf("Every follow-up check is done: two months before the renewal, book a 30-minute review of results and next year's goals with the economic buyer (%s #%d with the date).", CommandText("deal note"), d.Number),
			ZH: fmt.Sprintf("跟进检查都已完成：续约日前两个月，约决策人开 30 分钟复盘会，回顾成果、讨论明年目标（用 %s #%d 记下日期）。", CommandText("deal note"), d.Number),
		}
		state = Text{EN: "every follow-up check is confirmed", ZH: "跟进检查全部确认"}
	case days < due[next.Key]:
		at := DateText(d.StageSince.Add(time.Duration(due[next.Key]*24)*time.Hour), now)
		c.Step = Text{
			EN: fmt.Sprintf("From %s: %s", at.EN, lowerFirst(next.Step.EN)),
			ZH: fmt.Sprintf("从%s起：%s", at.ZH, next.Step.ZH),
		}
		state = nextState(p, done)
	case next.Key == "kickoff" && days > 7:
		c.Step = Text{
			EN: fmt.Sprintf("No kick-off is recorded %s after the win: if it took place, confirm it with %s #%d kickoff; if not, book it this week with the customer's project owner.", daysWord(days).EN, CommandText("deal check"), d.Number),
			ZH: fmt.Sprintf("赢单已经 %s，还没有启动会的记录：如果已经开过，用 %s #%d kickoff 确认；如果没开，本周就和客户的项目负责人约好。", daysWord(days).ZH, CommandText("deal check"), d.Number),
		}
		state = nextState(p, done)
	default:
		c.Step = next.Step
		state = nextState(p, done)
	}
	c.Why = Text{
		EN: fmt.Sprintf("Won %s; %s. What happens now decides whether they renew, buy more and refer you.", ago.EN, state.EN),
		ZH: fmt.Sprintf("%s赢单；%s。接下来的跟进决定了客户会不会续约、增购和转介绍。", ago.ZH, state.ZH),
	}
	s := &situation{d: d, p: p}
	c.TryToday = pickToday(s, wonToday(next), c.Step, c.Tactic5A)
	return c
}

// nextState names the follow-up checks confirmed so far.
func nextState(p *Playbook, done map[string]bool) Text {
	var got []Criterion
	for _, c := range p.ExitCriteria {
		if done[c.Key] {
			got = append(got, c)
		}
	}
	if len(got) == 0 {
		return Text{EN: "no follow-up check is confirmed yet", ZH: "还没有确认任何跟进检查"}
	}
	l := criteriaList(got)
	return Text{EN: "confirmed so far: " + l.EN, ZH: "已确认：" + l.ZH}
}

// wonToday is what to try today in the follow-up phase the deal is in.
func wonToday(next *Criterion) Text {
	if next == nil {
		return Text{}
	}
	switch next.Key {
	case "kickoff", "handoff":
		return Text{
			EN: "Write the hand-off note for customer success today: the business case, the champion, the success metric agreed in the sale and the first-value date.",
			ZH: "今天就写好交给客户成功团队的交接说明：商业论证、内线、销售中约定的成功指标和首次见效日期。",
		}
	}
	return Text{}
}

// revisit is, per lost reason, when it is worth looking at the account again.
var revisit = map[LostReason]struct {
	months int
	why    Text
}{
	ReasonPrice:      {6, Text{EN: "about when a new budget cycle starts", ZH: "大约是新预算周期开始的时候"}},
	ReasonTiming:     {3, Text{EN: "a quarter on, when the timing may suit them better", ZH: "一个季度后，时机可能更合适"}},
	ReasonNoDecision: {3, Text{EN: "a quarter on, when the problem has often grown", ZH: "一个季度后，问题往往更严重了"}},
	ReasonCompetitor: {11, Text{EN: "about a month before a one-year contract with the rival would renew", ZH: "大约是与对手的一年期合同续约前一个月"}},
	ReasonAuthority:  {3, Text{EN: "a quarter on, when the decision-maker or the org chart may have changed", ZH: "一个季度后，决策人或组织架构可能已有变动"}},
}

// lostPlay is, per lost reason, what to do differently next time.
var lostPlay = map[LostReason]Text{
	ReasonCompetitor: {
		EN: fmt.Sprintf("Ask in %s who else they are evaluating, doing nothing included, and win on their decision criteria rather than on features.", Qualification.Name(EN)),
		ZH: fmt.Sprintf("在%s阶段就问清对方还在评估谁（包括什么都不做），靠对方的决策标准取胜，而不是比功能。", Qualification.Name(ZH)),
	},
	ReasonOther: {
		EN: fmt.Sprintf("Write the real reason in a note (%s) in one sentence, so the team's loss numbers show what actually happens and the next deal can head it off.", CommandText("deal note")),
		ZH: fmt.Sprintf("用一句话把真实原因写进备注（%s），让团队的丢单数据反映真实情况，下一单才能提前防范。", CommandText("deal note")),
	},
}

func composeLost(d Deal, now time.Time) Advice {
	n := d.Number
	c := Advice{
		Status:    StatusLost,
		Situation: Situation{Rule: RuleLost, Label: RuleLost.Label()},
		Urgency:   len(composeRules) + 2,
	}
	step := Text{
		EN: fmt.Sprintf("Within a week, hold a 15-minute loss review with your contact: what would have changed their mind, who decided, and when to talk again; log it with %s #%d.", CommandText("deal note"), n),
		ZH: fmt.Sprintf("一周内和对接人做一次 15 分钟的丢单复盘：什么能改变他们的决定、最后是谁拍板、什么时候可以再聊；用 %s #%d 记下来。", CommandText("deal note"), n),
	}
	if rv, ok := revisit[d.LostReason]; ok {
		at := DateText(d.StageSince.AddDate(0, rv.months, 0), now)
		step.EN += fmt.Sprintf(" Put a revisit in your calendar for %s (%s), or for the date they give you in the review; %s #%d brings it back.", at.EN, rv.why.EN, CommandText("deal reopen"), n)
		step.ZH += fmt.Sprintf("在日历上记下%s再联系（%s），如果复盘时对方给了日期，就按对方的日期；届时用 %s #%d 重新打开。", at.ZH, rv.why.ZH, CommandText("deal reopen"), n)
	}
	c.Step = step
	if o, ok := d.LostReason.Objection(); ok && o != ObjCompetitor {
		c.Situation.Text = objectionPlay(o)
	} else if t, ok := lostPlay[d.LostReason]; ok {
		c.Situation.Text = t
	} else {
		c.Situation.Text = lostPlay[ReasonOther]
	}
	c.Why = Text{
		EN: fmt.Sprintf("Lost %s — reason: %s.", agoText(d.StageSince, now).EN, d.LostReason.Name(EN)),
		ZH: fmt.Sprintf("%s丢单，原因：%s。", agoText(d.StageSince, now).ZH, d.LostReason.Name(ZH)),
	}
	return c
}

// Line is one labelled line of composed advice.
type Line struct {
	Label, Text string
}

// Lines returns the advice in the order every reply shows it: the next step,
// the 5A tactic, the situation's line, what to try today, and why — the one
// place for the reason, labelled with the situation.
func (c Advice) Lines(l Lang) []Line {
	out := []Line{{l.T("Next step", "下一步"), c.Step.In(l)}}
	if c.Tactic5A != (Text{}) {
		out = append(out, Line{c.FiveALabel.In(l), c.Tactic5A.In(l)})
	}
	if c.Situation.Text != (Text{}) {
		out = append(out, Line{c.Situation.LineLabel().In(l), c.Situation.Text.In(l)})
	}
	if c.TryToday != (Text{}) {
		out = append(out, Line{l.T("Try today", "今天试试"), c.TryToday.In(l)})
	}
	return append(out, c.WhyLine(l))
}

// WhyLine is the reason labelled with the situation: "Why · Stuck in stage".
func (c Advice) WhyLine(l Lang) Line {
	return Line{l.T("Why", "原因") + " · " + c.Situation.Label.In(l), c.Why.In(l)}
}

// PlainText renders the advice as plain text, one "Label: text" a line
// (Chinese with a full-width colon).
func (c Advice) PlainText(l Lang) string {
	var b strings.Builder
	for _, ln := range c.Lines(l) {
		b.WriteString(ln.Label + l.T(": ", "：") + ln.Text + "\n")
	}
	return b.String()
}

// severity weighs the rules for ranking a rep's deals: stuck deals first,
// then deals that went quiet or back, then slow ones; a rule that does not
// call for attention weighs nothing.
var severity = map[Rule]float64{
	RuleClosingStuck: 4, RuleStageP90: 3.5, RuleStage14d: 3.5, RuleIdle: 3, RuleOverdue: 3,
	RuleObjectionLoop: 2, RuleMovedBack: 2, RuleSkipped: 2, RuleBigDeal: 2, RuleStageP75: 1,
}

// maxValueWeight caps how much a deal's value can lift it.
const maxValueWeight = 4

// Rank orders a rep's deals for /coach by urgency and value together: each
// deal that needs attention scores its rule's severity times a value weight
// (1 for a deal at or below the middle amount of the deals given, in its
// currency, rising with the logarithm of how many times larger it is, at
// most 4), so a large deal that is only slow ranks above a small one that is
// stuck. Deals that need no attention follow, longest in their stage first.
// It returns indices into deals; ties keep the given order.
func Rank(deals []Deal, cs []Advice, now time.Time) []int {
	mid := medianAmounts(deals)
	score := make([]float64, len(deals))
	for i, d := range deals {
		if !cs[i].Attention {
			continue
		}
		w := 1.0
		if m := mid[d.Amount.Currency]; d.HasAmount && m > 0 && d.Amount.Cents > m {
			w = min(maxValueWeight, 1+math.Log(float64(d.Amount.Cents)/float64(m)))
		}
		score[i] = severity[cs[i].Situation.Rule] * w
	}
	idx := make([]int, len(deals))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		if c := cmp.Compare(score[b], score[a]); c != 0 {
			return c
		}
		if c := cmp.Compare(cs[b].Over, cs[a].Over); c != 0 && score[a] > 0 {
			return c
		}
		return cmp.Compare(deals[b].DaysInStage(now), deals[a].DaysInStage(now))
	})
	return idx
}

// medianAmounts returns the median amount of the deals with one, per currency.
func medianAmounts(deals []Deal) map[string]int64 {
	by := map[string][]int64{}
	for _, d := range deals {
		if d.HasAmount && d.Amount.Cents > 0 {
			by[d.Amount.Currency] = append(by[d.Amount.Currency], d.Amount.Cents)
		}
	}
	out := make(map[string]int64, len(by))
	for cur, xs := range by {
		slices.Sort(xs)
		out[cur] = xs[len(xs)/2]
		if len(xs)%2 == 0 {
			out[cur] = (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
		}
	}
	return out
}

// Shortlist is what /coach shows of a rep's deals: the first ones in Rank's
// order, and how many of the rest need attention and how many do not.
type Shortlist struct {
	Shown         []int // indices into the deals given, in order
	Attention     int   // how many of all the deals need attention
	LeftAttention int   // of those, how many are not shown
	LeftOther     int   // deals not shown that need no attention
}

// Shorten ranks deals with Rank and keeps the first limit.
func Shorten(deals []Deal, cs []Advice, limit int, now time.Time) Shortlist {
	order := Rank(deals, cs, now)
	var s Shortlist
	for _, c := range cs {
		if c.Attention {
			s.Attention++
		}
	}
	s.Shown = order[:min(limit, len(order))]
	for _, i := range order[len(s.Shown):] {
		if cs[i].Attention {
			s.LeftAttention++
		} else {
			s.LeftOther++
		}
	}
	return s
}

// WeeklyHabit returns the week's habit for the morning nudge: the playbooks'
// habits in turn, one per ISO week of now; empty when there are none.
func WeeklyHabit(now time.Time) Text {
	var hs []Text
	for _, s := range ProcessStages {
		hs = append(hs, PlaybookFor(s).Habits...)
	}
	if len(hs) == 0 {
		return Text{}
	}
	y, w := now.ISOWeek()
	return hs[(y*53+w)%len(hs)]
}

// CoachFor decides whether c may see rep's ranked deals with /coach @rep:
// their own always, another rep's only as a manager (before a 1:1). It
// returns an EForbidden error, one friendly line, otherwise.
func CoachFor(c Caller, rep string) error {
	if rep == c.UserID || c.Manager {
		return nil
	}
	return Fail(EForbidden, "coach.rep_forbidden", nil)
}
