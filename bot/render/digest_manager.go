package render

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"salescoach/coach"
	"salescoach/coach/forecast"
)

// Money renders cents of the reporting currency in whole units: "$52,000".
func Money(cents int64, currency string) string {
	return coach.FormatMoney(coach.Money{Cents: int64(math.Round(float64(cents)/100)) * 100, Currency: currency})
}

func units(v float64, currency string) string {
	return Money(int64(math.Round(v*100)), currency)
}

// excluded says how many deals in other currencies a sum left out; "" for none.
func excluded(r Viewer, n int) string {
	if n == 0 {
		return ""
	}
	return r.Msg("digest.excluded", coach.Args{"n": n})
}

// weekCompare says how a week's count compares with the weekly average of
// the 4 weeks before, in plain words and without judging: more, fewer or as
// many.
func weekCompare(r Viewer, n, before int) string {
	avg := float64(before) / 4
	args := coach.Args{"n": perWeek(before)}
	switch {
	case before == 0:
		return r.Msg("digest.compare.none", nil)
	case math.Abs(float64(n)-avg) < 0.05:
		return r.Msg("digest.compare.same", args)
	case float64(n) > avg:
		return r.Msg("digest.compare.more", args)
	}
	return r.Msg("digest.compare.fewer", args)
}

// wonLine and lostLine say the week's wins (with their value) and losses
// apart, each against the 4 weeks before: a week of many losses is never
// "up".
func wonLine(r Viewer, rep DigestReports) string {
	wk, b := rep.Week, rep.Before
	cur := wk.Currency
	return r.Msg("digest.won_line", coach.Args{"count": countOf(r, wk.WinRate.Won, "deal"), "value": Money(wk.WonCents, cur) + excluded(r, wk.WonExcluded),
		"compare": weekCompare(r, wk.WinRate.Won, b.WinRate.Won), "per_week": Money(b.WonCents/4, cur)})
}

func lostLine(r Viewer, rep DigestReports) string {
	wk, b := rep.Week.WinRate, rep.Before.WinRate
	return r.Msg("digest.lost_line", coach.Args{"count": countOf(r, wk.Lost, "deal"), "compare": weekCompare(r, wk.Lost, b.Lost)})
}

func newPipelineLine(r Viewer, rep DigestReports) string {
	c := rep.Week.Created
	return r.Msg("digest.new_line", coach.Args{"count": countOf(r, c.Deals, "deal"), "value": Money(c.Cents, rep.Week.Currency), "excluded": excluded(r, c.Excluded)})
}

// openNowLine has the open deals and their value now; each stage's share is
// on its stage line.
func openNowLine(r Viewer, q coach.Report) string {
	var deals, ex int
	var cents float64
	for _, p := range q.Pipeline {
		deals, ex, cents = deals+p.Deals, ex+p.AmountExcluded, cents+p.Amount
	}
	return r.Msg("digest.count_value", coach.Args{"count": countOf(r, deals, "deal"), "value": units(cents, q.Currency), "excluded": excluded(r, ex)})
}

// digestStageLine sums up a stage in a digest's short line: the median time
// in it, the share of deals that move on, the losses from it over 13 weeks,
// and the deals open in it now with their value. /coach stats has the long
// form (stageLine).
func digestStageLine(r Viewer, s coach.StageStats, q coach.Report) string {
	var parts []string
	if few, ok := stageTooFew(r, s); ok {
		parts = append(parts, few)
	} else {
		parts = append(parts, r.Msg("digest.stage.median", coach.Args{"median": Days(r, *s.MedianDays), "n": s.CompletedVisits}))
	}
	if s.Conversion != nil {
		parts = append(parts, r.Msg("digest.stage.move_on", coach.Args{"pct": Pct(*s.Conversion)}))
	}
	if s.LostFrom > 0 {
		parts = append(parts, r.Msg("digest.stage.lost", coach.Args{"n": s.LostFrom}))
	}
	open, value := s.OpenNow, ""
	for _, p := range q.Pipeline {
		if p.Stage == s.Stage && p.Deals > 0 {
			open, value = p.Deals, " · "+units(p.Amount, q.Currency)
		}
	}
	parts = append(parts, r.Msg("digest.stage.open", coach.Args{"n": open, "value": value}))
	return strings.Join(parts, " · ")
}

// ForecastLines says the forecast of the next days and how accurate the
// forecast was in the last months (nil: not known).
func ForecastLines(r Viewer, f *forecast.Forecast, acc *forecast.Summary) []Line {
	if f == nil {
		return nil
	}
	if f.TooLittle {
		return []Line{T(r.Msg("forecast.too_little", coach.Args{"deals": forecast.MinDeals, "wins": forecast.MinWins, "days": f.Days}))}
	}
	lines := []Line{
		L(r.Msg("digest.wins", nil), r.Msg("forecast.wins", coach.Args{"expected": fmt.Sprintf("%.1f", f.ExpectedWon), "open": len(f.Deals),
			"low": fmt.Sprintf("%.0f", f.WonInterval.P10), "high": fmt.Sprintf("%.0f", f.WonInterval.P90)})),
		L(r.Msg("digest.value", nil), r.Msg("forecast.value", coach.Args{"expected": units(f.ExpectedWonAmount, f.Currency), "low": units(f.AmountInterval.P10, f.Currency),
			"high": units(f.AmountInterval.P90, f.Currency), "excluded": excluded(r, f.AmountExcluded)})),
	}
	if line := AccuracyLine(r, acc); line != "" {
		lines = append(lines, L(r.Msg("digest.accuracy", nil), line))
	}
	return lines
}

// AccuracyLine says in one line how the forecast fared on the team's last
// months (its backtest); "" when nothing could be scored.
func AccuracyLine(r Viewer, acc *forecast.Summary) string {
	if acc == nil || acc.Months == 0 {
		return ""
	}
	better := r.Msg("digest.better_than", nil)
	if acc.Brier >= acc.BrierBase {
		better = r.Msg("digest.no_better_than", nil)
	}
	months := r.Msg("forecast.months", coach.Args{"n": acc.Months})
	if acc.Months == 1 {
		months = r.Msg("forecast.months.one", nil)
	}
	return r.Msg("forecast.accuracy", coach.Args{"months": months, "better": better, "brier": fmt.Sprintf("%.2f", acc.Brier),
		"base": fmt.Sprintf("%.2f", acc.BrierBase), "inside": acc.WonInside, "amount_inside": acc.AmountInside, "of": acc.Months})
}

// slippedText says how many deals pushed their close date this week.
func slippedText(r Viewer, n int) string {
	if n == 1 {
		return r.Msg("digest.slipped_count.one", nil)
	}
	return r.Msg("digest.slipped_count", coach.Args{"n": n})
}

// maxDatesNamed is how many slipped or overdue deals the digest names
// before it counts the rest.
const maxDatesNamed = 3

// closeDateLines lists the deals whose close date slipped this week and
// those that went overdue this week, by name when names are on.
func closeDateLines(r Viewer, rep DigestReports, names bool) []Line {
	wk := rep.Week
	var lines []Line
	newly := 0
	var overdue []coach.OverdueDeal
	for _, o := range wk.Overdue {
		if day, ok := coach.ParseDay(o.CloseDate); ok && !day.Before(coach.DayOf(wk.From.In(r.Caller.Loc))) {
			newly++
			overdue = append(overdue, o)
		}
	}
	lines = append(lines, L(r.Msg("digest.slipped", nil), slippedText(r, len(wk.Slipped))))
	if names {
		for i, s := range wk.Slipped {
			if i == maxDatesNamed {
				lines = append(lines, moreDates(r, len(wk.Slipped)-i))
				break
			}
			lines = append(lines, T(r.Msg("digest.slipped_deal", coach.Args{"n": s.Deal, "name": coach.NameText(s.Name), "owner": s.Owner, "from": s.From, "to": s.To, "days": s.DaysPushed})))
		}
	}
	lines = append(lines, L(r.Msg("digest.overdue", nil), r.Msg("digest.overdue_count", coach.Args{"new": newly, "all": len(wk.Overdue)})))
	if names {
		for i, o := range overdue {
			if i == maxDatesNamed {
				lines = append(lines, moreDates(r, len(overdue)-i))
				break
			}
			value := ""
			if o.AmountCents != nil {
				value = " · " + coach.FormatMoney(coach.Money{Cents: *o.AmountCents, Currency: o.Currency})
			}
			lines = append(lines, T(fmt.Sprintf("   #%d %s%s · <@%s> · %s · %s", o.Deal, coach.NameText(o.Name), value, o.Owner, o.Stage.Name(r.Lang()), o.CloseDate)))
		}
	}
	return lines
}

func moreDates(r Viewer, n int) Line {
	return T(r.Msg("digest.more_dates", coach.Args{"n": n}))
}

// maxReasonsNamed is how many lost reasons the digest names before it sums
// up the rest.
const maxReasonsNamed = 3

// lostReasonLines has the commonest lost reasons of the window with their value.
func lostReasonLines(r Viewer, q coach.Report) []Line {
	if len(q.LostReasons) == 0 {
		return []Line{T(r.Msg("digest.no_deal_lost_in", coach.Args{"weeks": coach.PeriodWeeks}))}
	}
	var lines []Line
	for i, lr := range q.LostReasons {
		// The rest are summed up, unless the rest is one reason: it is named.
		if i == maxReasonsNamed && len(q.LostReasons) > maxReasonsNamed+1 {
			var n, ex int
			var amount float64
			for _, o := range q.LostReasons[i:] {
				n, ex, amount = n+o.N, ex+o.AmountExcluded, amount+o.Amount
			}
			others := len(q.LostReasons) - i
			lines = append(lines, L(r.Msg("digest.other_reasons", coach.Args{"n": others}),
				r.Msg("digest.count_value", coach.Args{"count": countOf(r, n, "deal"), "value": units(amount, q.Currency), "excluded": excluded(r, ex)})))
			break
		}
		lines = append(lines, L(lr.Reason.Name(r.Lang()), r.Msg("digest.count_value", coach.Args{"count": countOf(r, lr.N, "deal"), "value": units(lr.Amount, q.Currency), "excluded": excluded(r, lr.AmountExcluded)})))
	}
	return lines
}

// dropOutLine names the stage most deals are lost from, beside the
// bottleneck by time.
func dropOutLine(r Viewer, q coach.Report) string {
	s, n := q.DropOut()
	if s == "" {
		return r.Msg("digest.drop_out.none", coach.Args{"n": coach.MinDropOut})
	}
	return r.Msg("digest.drop_out", coach.Args{"stage": s.Name(r.Lang()), "count": countOf(r, n, "deal"), "n": n})
}

// focusByUser maps each rep to their coaching focus, in the reader's words.
func focusByUser(r Viewer, q coach.Report) map[string]string {
	out := map[string]string{}
	for _, f := range coach.CoachingFocus(q) {
		out[f.User] = f.Text(r.Lang())
	}
	return out
}

// staleTitle names a stale deal with its amount and close date.
func staleTitle(r Viewer, d coach.StaleDeal) string {
	parts := []string{fmt.Sprintf("#%d %s", d.Deal, coach.NameText(d.Name))}
	if d.Amount != nil {
		parts = append(parts, coach.FormatMoney(*d.Amount))
	}
	if d.CloseDate != "" {
		parts = append(parts, r.Msg("digest.close", nil)+d.CloseDate)
	}
	return strings.Join(parts, " · ")
}

// sortedStale returns stale deals longest in their stage first.
func sortedStale(q coach.Report) []coach.StaleDeal {
	stale := slices.Clone(q.StaleDeals)
	slices.SortFunc(stale, func(a, b coach.StaleDeal) int {
		return cmp.Or(cmp.Compare(b.DaysInStage, a.DaysInStage), cmp.Compare(a.Deal, b.Deal))
	})
	return stale
}
