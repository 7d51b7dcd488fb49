package picture

import (
	"fmt"
	"math"
	"time"

	"salescoach/coach"
)

// Trend is the won sales cycle week by week: for each week the median cycle
// of the deals won in it with their number, and the median over the four
// weeks ending with it, which is steadier to judge by.
type Trend struct {
	Team  string
	Weeks []coach.WeekCycle // oldest first
	Loc   *time.Location
}

// PNG draws the trend in lang.
func (t Trend) PNG(lang coach.Lang) ([]byte, error) {
	s, err := t.scene(lang)
	if err != nil {
		return nil, err
	}
	return s.render()
}

// Trend geometry, in pixels.
const (
	trendW     = 1600.0
	trendPlotH = 520.0
	trendAxisW = 80.0 // the y axis labels
)

func (t Trend) scene(lang coach.Lang) (*scene, error) {
	s, err := newScene(trendW, 1000)
	if err != nil {
		return nil, err
	}
	var to time.Time
	if n := len(t.Weeks); n > 0 {
		to = t.Weeks[n-1].End
	}
	sub := lang.T(
		fmt.Sprintf("Median days from first contact to won, week by week, for the %d weeks to %s. n: deals won that week. Hollow dots rest on fewer than %d deals; the line is the median of the last 4 weeks.",
			len(t.Weeks), date(to, t.Loc), coach.MinValuesForMedian),
		fmt.Sprintf("截至 %s 的 %d 周里，每周从初次接触到赢单的中位天数。n：当周赢单数。空心点表示不足 %d 单；折线是最近 4 周的中位数。",
			date(to, t.Loc), len(t.Weeks), coach.MinValuesForMedian))
	y := s.title(lang.T("Won sales cycle: "+t.Team, "赢单销售周期："+t.Team), sub)

	plot := rect{margin + trendAxisW, y + 64, trendW - 2*margin - trendAxisW, trendPlotH}
	top := 0.0
	any := false
	for _, w := range t.Weeks {
		if w.Median != nil {
			top, any = math.Max(top, *w.Median), true
		}
		if w.Rolling != nil {
			top, any = math.Max(top, *w.Rolling), true
		}
	}
	step := niceStep(top * 1.15 / 5)
	ymax := math.Max(step*math.Ceil(top*1.15/step), step)
	yOf := func(v float64) float64 { return plot.bottom() - v/ymax*plot.H }

	// Axes and grid.
	for v := 0.0; v <= ymax+step/2; v += step {
		gy := yOf(v)
		c := rule
		if v == 0 {
			c = muted
		}
		s.paths = append(s.paths, &path{Points: []point{{plot.X, gy}, {plot.right(), gy}}, Style: style{Stroke: c, Width: 1}})
		s.label("", line{Text: fmtDays(v), Size: sizeSmall, Color: muted}, plot.X-12, gy, 1, 0.5, nil, 0)
	}
	s.label("axis", line{Text: lang.T("days", "天"), Size: sizeSmall, Bold: true, Color: muted}, plot.X-12, plot.Y-18, 1, 1, nil, 0)

	n := max(len(t.Weeks), 1)
	slot := plot.W / float64(n)
	xOf := func(i int) float64 { return plot.X + slot*(float64(i)+0.5) }
	var rolling []point
	var prev *point
	for i, w := range t.Weeks {
		x := xOf(i)
		day := w.Start.In(locOr(t.Loc))
		label := day.Format("Jan 2")
		if lang == coach.ZH {
			label = fmt.Sprintf("%d月%d日", day.Month(), day.Day())
		}
		s.label("week", line{Text: label, Size: sizeSmall}, x, plot.bottom()+10, 0.5, 0, nil, 0)
		s.label("n", line{Text: fmt.Sprintf("n %d", w.N), Size: sizeSmall, Bold: w.N >= coach.MinValuesForMedian, Color: muted},
			x, plot.bottom()+10+lineHeight(sizeSmall), 0.5, 0, nil, 0)
		if w.Rolling != nil {
			rolling = append(rolling, point{x, yOf(*w.Rolling)})
		}
		if w.Median == nil {
			prev = nil
			continue
		}
		p := point{x, yOf(*w.Median)}
		if prev != nil {
			s.paths = append(s.paths, &path{Points: []point{*prev, p}, Style: style{Stroke: skipC, Width: 2}})
		}
		prev = &p
		st := style{Fill: skipC, Stroke: skipC, Width: 3}
		if w.N < coach.MinValuesForMedian {
			st.Fill = white
		}
		s.dots = append(s.dots, &dot{C: p, Radius: 8, Style: st})
		// A week below both its neighbours has its line rising on either
		// side: its label goes under the dot, clear of the line.
		ly, ay := p.Y-14, 1.0
		if t.valley(i) && p.Y+14+lineHeight(sizeSmall) < plot.bottom() {
			ly, ay = p.Y+14, 0
		}
		s.label("median", line{Text: daysUnit(*w.Median, lang), Size: sizeSmall, Bold: true, Color: skipC}, x, ly, 0.5, ay, white, 2)
	}
	for i := 1; i < len(rolling); i++ {
		s.paths = append(s.paths, &path{Points: []point{rolling[i-1], rolling[i]}, Style: style{Stroke: hotC, Width: 4}})
	}
	if !any {
		s.label("empty", line{Text: lang.T("No deal was won in these weeks.", "这几周没有赢单。"), Size: sizeBody, Color: muted},
			plot.cx(), plot.cy(), 0.5, 0.5, white, 6)
	}

	y = plot.bottom() + 10 + 2*lineHeight(sizeSmall) + 30
	items := []legendItem{
		{lang.T(fmt.Sprintf("weekly median, %d or more deals", coach.MinValuesForMedian), fmt.Sprintf("每周中位数（至少 %d 单）", coach.MinValuesForMedian)),
			dotSample(style{Fill: skipC, Stroke: skipC, Width: 3})},
		{lang.T(fmt.Sprintf("weekly median, fewer than %d deals", coach.MinValuesForMedian), fmt.Sprintf("每周中位数（不足 %d 单）", coach.MinValuesForMedian)),
			dotSample(style{Fill: white, Stroke: skipC, Width: 3})},
		{lang.T("median of the last 4 weeks", "最近 4 周的中位数"), lineSample(hotC, 4, nil, false)},
	}
	y = s.legend(items, margin, y, trendW-2*margin)
	s.H = y + margin
	return s, nil
}

// valley reports whether the line rises on both sides of week i's median:
// a neighbouring week with a median joins it, and each such one is higher.
func (t Trend) valley(i int) bool {
	m := t.Weeks[i].Median
	joined := func(j int) bool { return j >= 0 && j < len(t.Weeks) && t.Weeks[j].Median != nil }
	rises := func(j int) bool { return !joined(j) || *t.Weeks[j].Median > *m }
	return m != nil && (joined(i-1) || joined(i+1)) && rises(i-1) && rises(i+1)
}

func dotSample(st style) func(s *scene, x, y float64) {
	return func(s *scene, x, y float64) {
		s.dots = append(s.dots, &dot{C: point{x + 22, y}, Radius: 8, Style: st})
	}
}

// niceStep rounds a raw axis step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}
