package coach

import "time"

// Report holds the metrics of §9 of the spec for one team over a window
// [From, To). Its JSON is exactly the shape `salescoach report --format json`
// prints. Every ratio with a zero denominator and every percentile over no
// values is nil (null).
type Report struct {
	TeamID     string       `json:"team_id"`
	From       time.Time    `json:"from"`
	To         time.Time    `json:"to"`
	CycleDays  CycleDays    `json:"cycle_days"`
	WinRate    WinRate      `json:"win_rate"`
	Stages     []StageStats `json:"stages"`
	StaleDeals []StaleDeal  `json:"stale_deals"`
	Reps       []RepStats   `json:"reps"`
	// VelocityPerDay is pipeline velocity over the 90 days before To: open
	// deals past qualification × average won amount × win rate ÷ median won
	// cycle, in the team's reporting currency per day.
	VelocityPerDay *float64 `json:"velocity_per_day"`
	// LostReasons groups the deals lost in the window by reason, most first.
	LostReasons []LostReasonStat `json:"lost_reasons"`
	// Pipeline is the deals open at To in each open stage, in process order.
	Pipeline []PipelineStage `json:"pipeline"`
	// Slipped are the deals whose close date was moved later in the window,
	// most days pushed first.
	Slipped []SlippedDeal `json:"slipped"`

	// Currency is the team's reporting currency: the currency of by_amount
	// and of the velocity. It is not part of the JSON of §9.
	Currency string `json:"-"`

	// For the digest, not part of the JSON of §9: the value won in the
	// window (reporting currency, in cents), the deals made in the window
	// (new pipeline), each owner's visits and open deals per stage, and the
	// deals open at To past their close date.
	WonCents int64 `json:"-"`
	// WonExcluded is how many deals won in the window WonCents leaves out:
	// their amount is in another currency.
	WonExcluded int           `json:"-"`
	Created     StageTotal    `json:"-"`
	RepStages   []RepStage    `json:"-"`
	Overdue     []OverdueDeal `json:"-"`
}

// RepStage is one owner's figures in one open stage: the visits completed in
// the window and their median days, and the deals there at To.
type RepStage struct {
	User       string
	Stage      Stage
	Visits     int
	MedianDays *float64
	Open       int
}

// OverdueDeal is a deal open at the end of a window and past its close date.
type OverdueDeal struct {
	Deal        int    `json:"deal"`
	Name        string `json:"name"`
	Owner       string `json:"owner"`
	Stage       Stage  `json:"stage"`
	CloseDate   string `json:"close_date"`
	AmountCents *int64 `json:"amount_cents"`
	Currency    string `json:"currency"`
}

// CycleDays are the cycle lengths of deals closed in the window.
type CycleDays struct {
	Won  Summary `json:"won"`
	Lost Summary `json:"lost"`
}

// Summary describes a set of durations in days.
type Summary struct {
	N      int      `json:"n"`
	Median *float64 `json:"median"`
	P75    *float64 `json:"p75"`
	P90    *float64 `json:"p90"`
}

// WinRate is over the deals closed in the window.
type WinRate struct {
	Won            int      `json:"won"`
	Lost           int      `json:"lost"`
	ByCount        *float64 `json:"by_count"`
	ByAmount       *float64 `json:"by_amount"`
	AmountExcluded int      `json:"amount_excluded"` // closed deals left out of ByAmount: another currency
}

// LostReasonStat is one reason of the deals lost in a window: how many, and
// their value in the reporting currency (deals in another currency counted
// in AmountExcluded).
type LostReasonStat struct {
	Reason         LostReason `json:"reason"`
	N              int        `json:"n"`
	Amount         float64    `json:"amount"`
	AmountExcluded int        `json:"amount_excluded"`
}

// PipelineStage is the deals open in a stage at the end of a window and their
// value in the reporting currency.
type PipelineStage struct {
	Stage          Stage   `json:"stage"`
	Deals          int     `json:"deals"`
	Amount         float64 `json:"amount"`
	AmountExcluded int     `json:"amount_excluded"`
}

// SlippedDeal is a deal whose close date moved later in a window: from the
// date before its first slip in the window to the one after its last.
type SlippedDeal struct {
	Deal       int    `json:"deal"`
	Name       string `json:"name"`
	Owner      string `json:"owner"`
	Slips      int    `json:"slips"`
	DaysPushed int    `json:"days_pushed"`
	From       string `json:"from"` // 2026-03-01
	To         string `json:"to"`
}

// StageStats are one open stage's figures.
type StageStats struct {
	Stage           Stage    `json:"stage"`
	CompletedVisits int      `json:"completed_visits"`
	MedianDays      *float64 `json:"median_days"`
	P75Days         *float64 `json:"p75_days"`
	P90Days         *float64 `json:"p90_days"`
	OpenNow         int      `json:"open_now"`
	Entered         int      `json:"entered"`
	Advanced        int      `json:"advanced"`
	Lost            int      `json:"lost"`
	Pending         int      `json:"pending"`
	Conversion      *float64 `json:"conversion"`
	LostFrom        int      `json:"lost_from"`
}

// StaleDeal is an open deal that needs attention, and the rule that said so.
type StaleDeal struct {
	Deal        int     `json:"deal"`
	Name        string  `json:"name"`
	Owner       string  `json:"owner"`
	Stage       Stage   `json:"stage"`
	DaysInStage float64 `json:"days_in_stage"`
	Rule        string  `json:"rule"` // StaleStageP90, StaleStage14d or StaleIdle
	DaysIdle    float64 `json:"days_idle,omitempty"`
	// For the digest, not part of the JSON of §9.
	Amount    *Money `json:"-"` // nil when the deal has none
	CloseDate string `json:"-"` // 2026-12-20; "" when none
}

// Stale-deal rules (§9).
const (
	StaleStageP90 = "stage_p90" // longer in its stage than the stage's p90 (on ≥ 10 visits)
	StaleStage14d = "stage_14d" // longer than 14 days in its stage (fewer than 10 visits to judge by)
	StaleIdle     = "idle"      // no stage change or note for more than 14 days
)

// RepStats are one owner's figures.
type RepStats struct {
	User               string   `json:"user"`
	Won                int      `json:"won"`
	Lost               int      `json:"lost"`
	MedianWonCycleDays *float64 `json:"median_won_cycle_days"`
	Open               int      `json:"open"`
}

// PeriodWeeks is the window of every surface that shows the team's recent
// figures: /coach stats, /coach flow, salescoach report and the digest's
// stages and reps read the same 13 weeks (91 days) for the same words, and
// each prints its window. The stale rule and velocity keep the 90 days §9
// names them by.
const PeriodWeeks = 13

// PeriodStart returns the start of the window of weeks that ends at to, in
// to's calendar (a day across a daylight-saving change is still a day).
func PeriodStart(to time.Time, weeks int) time.Time { return to.AddDate(0, 0, -7*weeks) }

// MinVisitsForBottleneck is how many completed visits a stage needs before it
// can be named the bottleneck or judged by its own p90.
const MinVisitsForBottleneck = 10

// MinValuesForMedian is how many values a median needs before Slack shows it;
// below, it says "too few to say".
const MinValuesForMedian = 5

// Stage returns the figures of stage s, or nil.
func (r *Report) Stage(s Stage) *StageStats {
	for i := range r.Stages {
		if r.Stages[i].Stage == s {
			return &r.Stages[i]
		}
	}
	return nil
}

// Bottleneck returns the open stage with the highest median time in stage
// among stages with at least MinVisitsForBottleneck completed visits, or ""
// ("watch") when no stage has enough.
func (r *Report) Bottleneck() Stage {
	var best Stage
	var bestMedian float64
	for _, s := range r.Stages {
		if s.CompletedVisits < MinVisitsForBottleneck || s.MedianDays == nil {
			continue
		}
		if best == "" || *s.MedianDays > bestMedian {
			best, bestMedian = s.Stage, *s.MedianDays
		}
	}
	return best
}
