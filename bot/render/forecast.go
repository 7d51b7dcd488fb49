package render

import (
	"fmt"
	"strings"

	"salescoach/coach"
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
		return Reply{Text: r.Msg("forecast.too_little.reply", coach.Args{"days": f.Days, "deals": forecast.MinDeals, "wins": forecast.MinWins})}
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
			return Reply{Text: r.Msg("forecast.no_deals", nil)}
		}
		var expected float64
		for _, d := range deals {
			expected += d.PWin
		}
		return Reply{
			Text:     r.Msg(pick(len(deals) == 1, "forecast.yours.one", "forecast.yours"), coach.Args{"n": len(deals), "days": f.Days, "expected": fmt.Sprintf("%.1f", expected)}),
			Sections: forecastDealSections(r, deals, false),
			Note:     note,
		}
	}
	sections := []Section{{Title: r.Msg("forecast.the_team", nil), Lines: ForecastLines(r, &f, acc)}}
	if len(deals) > 0 {
		sections = append(sections, forecastDealSections(r, deals, true)...)
	}
	return Reply{
		Text:     r.Msg("forecast.team", coach.Args{"days": f.Days, "at": DateOf(r, f.At), "learned": f.LearnedFrom}),
		Sections: sections,
		Note:     note,
	}
}

// forecastDealSections lists the deals most likely to close first, up to
// ForecastDealsShown, and counts the rest.
func forecastDealSections(r Viewer, deals []forecast.DealForecast, owners bool) []Section {
	var lines []Line
	for i, d := range deals {
		if i == ForecastDealsShown {
			n := len(deals) - i
			lines = append(lines, T(r.Msg(pick(n == 1, "forecast.more.one", "forecast.more"), coach.Args{"n": n})))
			break
		}
		parts := []string{fmt.Sprintf("#%d %s", d.Deal, d.Name)}
		if d.Money != nil {
			parts = append(parts, Money(d.Money.Cents, d.Money.Currency))
		}
		parts = append(parts, d.Stage.Name(r.Lang()))
		if owners {
			parts = append(parts, "<@"+d.Owner+">")
		}
		parts = append(parts, r.Msg("forecast.p_win", coach.Args{"pct": fmt.Sprintf("%.0f", 100*d.PWin)}))
		if d.ExpectedClose != nil {
			parts = append(parts, r.Msg("forecast.likely_close", coach.Args{"date": *d.ExpectedClose}))
		}
		if d.CloseDate != nil {
			parts = append(parts, r.Msg("forecast.close_date", coach.Args{"date": *d.CloseDate}))
		}
		lines = append(lines, T(strings.Join(parts, " · ")))
	}
	return Chunk(r.Msg("forecast.most_likely_to_close", nil), lines)
}
