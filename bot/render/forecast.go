package render

import (
	"fmt"
	"strings"

	"salescoach/coach/forecast"
)

// ForecastDealsShown is how many deals /coach forecast lists, most likely
// first; the rest are counted.
const ForecastDealsShown = 10

// ForecastReply renders /coach forecast. With owner "" it is the team's
// forecast for a manager: the expected wins and won amount with their 80 %
// intervals, the deals most likely to close and how accurate the forecast
// has been. With an owner it holds that rep's own deals only, and no figure
// of the team's.
func ForecastReply(r Viewer, f forecast.Forecast, acc *forecast.Summary, owner string) Reply {
	if f.TooLittle {
		return Reply{Text: r.T(fmt.Sprintf("Too little history to forecast the next %d days: it needs %d past deals, %d of them won within %d days. Until then, /coach stats shows where deals wait.", f.Days, forecast.MinDeals, forecast.MinWins, f.Days),
			fmt.Sprintf("历史数据太少，暂不预测未来 %d 天：至少需要 %d 笔过去的商机，其中 %d 笔在 %d 天内赢单。在此之前，/coach stats 可以看出商机卡在哪里。", f.Days, forecast.MinDeals, forecast.MinWins, f.Days))}
	}
	deals := f.Deals
	if owner != "" {
		deals = nil
		for _, d := range f.Deals {
			if d.Owner == owner {
				deals = append(deals, d)
			}
		}
	}
	note := r.Msg("forecast.each_chance_is_learned", nil)
	if owner != "" {
		if len(deals) == 0 {
			return Reply{Text: r.T("You have no open deals to forecast. /deal add starts one.", "您没有可预测的进行中商机。用 /deal add 新建一笔。")}
		}
		var expected float64
		for _, d := range deals {
			expected += d.PWin
		}
		return Reply{
			Text: r.T(fmt.Sprintf("Your %s over the next %d days: %.1f wins expected.", Quantity(len(deals), "open deal", "open deals"), f.Days, expected),
				fmt.Sprintf("未来 %d 天，您的 %d 笔进行中商机预计赢单 %.1f 笔。", f.Days, len(deals), expected)),
			Sections: forecastDealSections(r, deals, f.Currency, false),
			Note:     note,
		}
	}
	sections := []Section{{Title: r.Msg("forecast.the_team", nil), Lines: ForecastLines(r, &f, acc)}}
	if len(deals) > 0 {
		sections = append(sections, forecastDealSections(r, deals, f.Currency, true)...)
	}
	return Reply{
		Text: r.T(fmt.Sprintf("Forecast of the next %d days, as of %s, learned from %d of the team's past deals.", f.Days, DateOf(r, f.At), f.LearnedFrom),
			fmt.Sprintf("未来 %d 天的预测（截至 %s），依据团队过去 %d 笔商机。", f.Days, DateOf(r, f.At), f.LearnedFrom)),
		Sections: sections,
		Note:     note,
	}
}

// forecastDealSections lists the deals most likely to close first, up to
// ForecastDealsShown, and counts the rest.
func forecastDealSections(r Viewer, deals []forecast.DealForecast, currency string, owners bool) []Section {
	var lines []Line
	for i, d := range deals {
		if i == ForecastDealsShown {
			n := len(deals) - i
			lines = append(lines, T(r.T(fmt.Sprintf("and %s, less likely — /deal list shows them", Quantity(n, "more open deal", "more open deals")),
				fmt.Sprintf("另有 %d 笔可能性较低的进行中商机——/deal list 可查看", n))))
			break
		}
		parts := []string{fmt.Sprintf("#%d %s", d.Deal, d.Name)}
		if d.Amount > 0 {
			parts = append(parts, units(d.Amount, currency))
		}
		parts = append(parts, d.Stage.Name(r.Lang()))
		if owners {
			parts = append(parts, "<@"+d.Owner+">")
		}
		parts = append(parts, r.T(fmt.Sprintf("%.0f%% to win", 100*d.PWin), fmt.Sprintf("赢单概率 %.0f%%", 100*d.PWin)))
		if d.ExpectedClose != nil {
			parts = append(parts, r.T("likely close "+*d.ExpectedClose, "预测成交 "+*d.ExpectedClose))
		}
		if d.CloseDate != nil {
			parts = append(parts, r.T("close date "+*d.CloseDate, "预计成交日期 "+*d.CloseDate))
		}
		lines = append(lines, T(strings.Join(parts, " · ")))
	}
	return Chunk(r.Msg("forecast.most_likely_to_close", nil), lines)
}
