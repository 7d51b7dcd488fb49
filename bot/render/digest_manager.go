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
	return r.T(fmt.Sprintf(" (%d in other currencies left out)", n), fmt.Sprintf("（另有 %d 笔其他币种未计入）", n))
}

// weekCompare says how a week's count compares with the weekly average of
// the 4 weeks before, in plain words and without judging: more, fewer or as
// many.
func weekCompare(r Viewer, n, before int) (string, string) {
	avg := float64(before) / 4
	switch {
	case before == 0:
		return "none in the 4 weeks before", "此前 4 周没有"
	case math.Abs(float64(n)-avg) < 0.05:
		return fmt.Sprintf("as many as the %s a week of the 4 weeks before", perWeek(before)), fmt.Sprintf("与此前 4 周的每周 %s 笔持平", perWeek(before))
	case float64(n) > avg:
		return fmt.Sprintf("more than the %s a week of the 4 weeks before", perWeek(before)), fmt.Sprintf("多于此前 4 周的每周 %s 笔", perWeek(before))
	}
	return fmt.Sprintf("fewer than the %s a week of the 4 weeks before", perWeek(before)), fmt.Sprintf("少于此前 4 周的每周 %s 笔", perWeek(before))
}

// wonLine and lostLine say the week's wins (with their value) and losses
// apart, each against the 4 weeks before: a week of many losses is never
// "up".
func wonLine(r Viewer, rep DigestReports) string {
	wk, b := rep.Week, rep.Before
	cur := wk.Currency
	en, zh := weekCompare(r, wk.WinRate.Won, b.WinRate.Won)
	value := Money(wk.WonCents, cur)
	perWeekValue := Money(b.WonCents/4, cur)
	return r.T(fmt.Sprintf("%s, %s — %s; %s a week then", Quantity(wk.WinRate.Won, "deal", "deals"), value, en, perWeekValue),
		fmt.Sprintf("%d 笔，%s——%s；当时每周 %s", wk.WinRate.Won, value, zh, perWeekValue))
}

func lostLine(r Viewer, rep DigestReports) string {
	wk, b := rep.Week.WinRate, rep.Before.WinRate
	en, zh := weekCompare(r, wk.Lost, b.Lost)
	return r.T(fmt.Sprintf("%s — %s", Quantity(wk.Lost, "deal", "deals"), en), fmt.Sprintf("%d 笔——%s", wk.Lost, zh))
}

func newPipelineLine(r Viewer, rep DigestReports) string {
	c := rep.Week.Created
	return r.T(fmt.Sprintf("%s added, %s%s", Quantity(c.Deals, "deal", "deals"), Money(c.Cents, rep.Week.Currency), excluded(r, c.Excluded)),
		fmt.Sprintf("新增 %d 笔，%s%s", c.Deals, Money(c.Cents, rep.Week.Currency), excluded(r, c.Excluded)))
}

// pipelineLines has the open deals and their value per stage now.
func pipelineLines(r Viewer, rep DigestReports) []Line {
	q := rep.Quarter
	var lines []Line
	var deals, ex int
	var cents float64
	for _, p := range q.Pipeline {
		deals, ex, cents = deals+p.Deals, ex+p.AmountExcluded, cents+p.Amount
		if p.Deals == 0 {
			continue
		}
		lines = append(lines, L(p.Stage.Name(r.Lang()), r.T(fmt.Sprintf("%s · %s", Quantity(p.Deals, "deal", "deals"), units(p.Amount, q.Currency)),
			fmt.Sprintf("%d 笔 · %s", p.Deals, units(p.Amount, q.Currency)))))
	}
	lines = append(lines, L(r.Msg("digest.open_in_all", nil), r.T(fmt.Sprintf("%s · %s%s", Quantity(deals, "deal", "deals"), units(cents, q.Currency), excluded(r, ex)),
		fmt.Sprintf("%d 笔 · %s%s", deals, units(cents, q.Currency), excluded(r, ex)))))
	return lines
}

// ForecastLines says the forecast of the next days and how accurate the
// forecast was in the last months (nil: not known).
func ForecastLines(r Viewer, f *forecast.Forecast, acc *forecast.Summary) []Line {
	if f == nil {
		return nil
	}
	if f.TooLittle {
		return []Line{T(r.T(fmt.Sprintf("Too little history to forecast: it needs %d past deals, %d of them won within %d days.", forecast.MinDeals, forecast.MinWins, f.Days),
			fmt.Sprintf("历史数据太少，暂不预测：至少需要 %d 笔过去的商机，其中 %d 笔在 %d 天内赢单。", forecast.MinDeals, forecast.MinWins, f.Days)))}
	}
	lines := []Line{
		L(r.Msg("digest.wins", nil), r.T(fmt.Sprintf("%.1f expected of %d open deals (80%%: %.0f–%.0f)", f.ExpectedWon, len(f.Deals), f.WonInterval.P10, f.WonInterval.P90),
			fmt.Sprintf("%d 笔进行中商机预计赢单 %.1f 笔（80%%：%.0f–%.0f）", len(f.Deals), f.ExpectedWon, f.WonInterval.P10, f.WonInterval.P90))),
		L(r.Msg("digest.value", nil), r.T(fmt.Sprintf("%s expected (80%%: %s–%s)%s", units(f.ExpectedWonAmount, f.Currency), units(f.AmountInterval.P10, f.Currency), units(f.AmountInterval.P90, f.Currency), excluded(r, f.AmountExcluded)),
			fmt.Sprintf("预计 %s（80%%：%s–%s）%s", units(f.ExpectedWonAmount, f.Currency), units(f.AmountInterval.P10, f.Currency), units(f.AmountInterval.P90, f.Currency), excluded(r, f.AmountExcluded)))),
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
	return r.T(fmt.Sprintf("over the last %s, %s guessing the team's usual rate (Brier %.2f against %.2f); the actual wins fell in the 80%% range %d of %d times",
		Quantity(acc.Months, "month", "months"), better, acc.Brier, acc.BrierBase, acc.WonInside, acc.Months),
		fmt.Sprintf("过去 %d 个月%s按团队平均比例猜测（Brier %.2f 对 %.2f）；实际赢单数 %d 次中有 %d 次落在 80%% 区间内",
			acc.Months, better, acc.Brier, acc.BrierBase, acc.Months, acc.WonInside))
}

// maxDatesNamed is how many slipped or overdue deals the digest names.
const maxDatesNamed = 6

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
	lines = append(lines, L(r.Msg("digest.slipped", nil), r.T(fmt.Sprintf("%s pushed %s close date later this week", Quantity(len(wk.Slipped), "deal", "deals"), Plural(len(wk.Slipped), "its", "their")),
		fmt.Sprintf("本周有 %d 笔商机推迟了预计成交日期", len(wk.Slipped)))))
	if names {
		for i, s := range wk.Slipped {
			if i == maxDatesNamed {
				break
			}
			lines = append(lines, T(r.T(fmt.Sprintf("   #%d %s · <@%s> · %s → %s (+%d days)", s.Deal, coach.NameText(s.Name), s.Owner, s.From, s.To, s.DaysPushed),
				fmt.Sprintf("   #%d %s · <@%s> · %s → %s（推迟 %d 天）", s.Deal, coach.NameText(s.Name), s.Owner, s.From, s.To, s.DaysPushed))))
		}
	}
	lines = append(lines, L(r.Msg("digest.overdue", nil), r.T(fmt.Sprintf("%d went past their close date this week, %d open past it in all", newly, len(wk.Overdue)),
		fmt.Sprintf("本周有 %d 笔超过预计成交日期，目前共 %d 笔逾期未关闭", newly, len(wk.Overdue)))))
	if names {
		for i, o := range overdue {
			if i == maxDatesNamed {
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

// lostReasonLines has the commonest lost reasons over 90 days with their value.
func lostReasonLines(r Viewer, q coach.Report) []Line {
	if len(q.LostReasons) == 0 {
		return []Line{T(r.Msg("digest.no_deal_lost_in", nil))}
	}
	var lines []Line
	for i, lr := range q.LostReasons {
		if i == 5 {
			break
		}
		lines = append(lines, L(lr.Reason.Name(r.Lang()), r.T(fmt.Sprintf("%s · %s%s", Quantity(lr.N, "deal", "deals"), units(lr.Amount, q.Currency), excluded(r, lr.AmountExcluded)),
			fmt.Sprintf("%d 笔 · %s%s", lr.N, units(lr.Amount, q.Currency), excluded(r, lr.AmountExcluded)))))
	}
	return lines
}

// dropOutLine names the stage most deals are lost from, beside the
// bottleneck by time.
func dropOutLine(r Viewer, q coach.Report) string {
	s, n := q.DropOut()
	if s == "" {
		return r.T(fmt.Sprintf("watch — no stage has lost %d deals yet.", coach.MinDropOut), fmt.Sprintf("继续观察——还没有哪个阶段丢单达到 %d 笔。", coach.MinDropOut))
	}
	return r.T(fmt.Sprintf("%s — %s lost straight from it.", s.Name(r.Lang()), Quantity(n, "deal", "deals")),
		fmt.Sprintf("%s——有 %d 笔商机直接在这里丢单。", s.Name(r.Lang()), n))
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
