package coach

import "time"

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

// Rule names the rule behind a piece of advice. It is for logs and metrics
// only: a rep reads its Label.
type Rule string

// The rules (see composeRules for their order).
const (
	RuleClosingStuck  Rule = "closing_stuck"  // in closing past p90: ask whether it is still a priority
	RuleStageP90      Rule = "stage_p90"      // in its stage longer than the team's p90
	RuleStage14d      Rule = "stage_14d"      // in its stage longer than 14 days, too few visits for a p90
	RuleIdle          Rule = "idle"           // no stage change or note for more than 14 days
	RuleMovedBack     Rule = "moved_back"     // moved back to an earlier stage recently
	RuleObjectionLoop Rule = "objection_loop" // in objection handling again and again
	RuleRecurringLoss Rule = "recurring_loss" // the team keeps losing deals for one reason: head it off
	RuleBigDeal       Rule = "big_deal"       // well above the team's typical deal
	RuleStageP75      Rule = "stage_p75"      // slower than three in four of the team's visits
	RulePaused        Rule = "paused"         // muted by /deal pause
	RuleOnTrack       Rule = "on_track"       // nothing stands out
	RuleWon           Rule = "won"            // won: follow-up and retention
	RuleLost          Rule = "lost"           // lost: the loss review and next time
)

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

func fiveALabel(s Stage) Text {
	a := s.A()
	return Text{
		// The playbook's 5A text starts with the phase's name; the label
		// gives the buyer's state instead of repeating it.
		EN: "5A " + a.BuyerState(EN),
		ZH: "5A " + a.BuyerState(ZH),
	}
}

// bigDealTimes returns how many times the team's typical deal d is, with ok
// false unless d is from qualification to closing, in the typical deal's
// currency, and at least BigDealFactor times a typical deal resting on
// MinDealsForTypical deals.
func bigDealTimes(d Deal, t TeamStats) (float64, bool) {
	if i := d.Stage.Index(); i < Qualification.Index() || i > Closing.Index() {
		return 0, false
	}
	if !d.HasAmount || t.TypicalN < MinDealsForTypical || t.Typical.Cents <= 0 || t.Typical.Currency != d.Amount.Currency {
		return 0, false
	}
	x := float64(d.Amount.Cents) / float64(t.Typical.Cents)
	return x, x >= BigDealFactor
}
