package picture

import (
	"fmt"
	"math"
	"sort"
	"time"

	"salescoach/coach"
)

// Flow is a team's sales process over a window [From, To), ready to draw as
// a flowchart: a node per open stage with the deals in it at To and its
// median time, then won; an arrow for every kind of move observed in the
// window — to the next stage, skipping ahead (dashed), back (curved below),
// to lost (down into the lost bar) — labelled with how many deals made it
// and their share of the stage's moves out.
type Flow struct {
	Team       string
	From, To   time.Time
	Stages     []coach.StageStats // the open stages, in process order
	Moves      []coach.Transition
	Won, Lost  int         // deals closed won and lost in the window, as the report counts them (not moves)
	Bottleneck coach.Stage // "" when no stage rests on enough visits to say
	Loc        *time.Location
}

// FlowOf builds a team's flow from its report over the window and the moves
// observed in it.
func FlowOf(team string, rep coach.Report, moves []coach.Transition, loc *time.Location) Flow {
	return Flow{Team: team, From: rep.From, To: rep.To, Stages: rep.Stages, Moves: moves,
		Won: rep.WinRate.Won, Lost: rep.WinRate.Lost, Bottleneck: rep.Bottleneck(), Loc: loc}
}

// FlowCounts are the figures a flowchart's boxes show: the deals won and
// lost in the window, and per open stage its completed visits and the deals
// in it at the window's end.
type FlowCounts struct {
	Won, Lost int
	Visits    map[coach.Stage]int
	OpenNow   map[coach.Stage]int
}

// Counts returns what the flowchart's boxes say.
func (f Flow) Counts() FlowCounts {
	c := FlowCounts{Won: f.Won, Lost: f.Lost, Visits: map[coach.Stage]int{}, OpenNow: map[coach.Stage]int{}}
	for _, st := range f.Stages {
		c.Visits[st.Stage], c.OpenNow[st.Stage] = st.CompletedVisits, st.OpenNow
	}
	return c
}

// PNG draws the flowchart in lang.
func (f Flow) PNG(lang coach.Lang) ([]byte, error) {
	s, err := f.scene(lang)
	if err != nil {
		return nil, err
	}
	return s.render()
}

// Flowchart geometry, in pixels.
const (
	flowBoxW  = 196.0
	flowWonW  = 150.0
	flowGap   = 92.0
	flowLevel = 50.0 // between the heights of two arcs
	flowPad   = 12.0
	flowLost  = 22.0 // the lost arrow's distance from a stage box's left edge
)

// flowCol is a column of the flowchart: a stage, or won after closing.
type flowCol struct {
	stage coach.Stage
	r     rect
	// Ports: where arcs leave and arrive along the top and bottom edges,
	// filled in as the arcs are laid out.
	topOut, topIn, botOut, botIn []coach.Transition
}

func (f Flow) scene(lang coach.Lang) (*scene, error) {
	n := len(coach.OpenStages)
	w := 2*margin + float64(n)*(flowBoxW+flowGap) + flowWonW
	s, err := newScene(w, 1000)
	if err != nil {
		return nil, err
	}
	stats := map[coach.Stage]coach.StageStats{}
	for _, st := range coach.OpenStages {
		stats[st] = coach.StageStats{Stage: st}
	}
	for _, st := range f.Stages {
		stats[st.Stage] = st
	}
	out := map[coach.Stage]int{} // moves out of each stage
	var forward, skips, backs, lost []coach.Transition
	reopened := map[coach.Stage]int{}
	// The outcome boxes count deals as the report does (a deal won twice in
	// the window, or reopened since, is not two wins); the arrows count moves.
	won, lostN, moved := f.Won, f.Lost, 0
	for _, m := range f.Moves {
		if m.Count <= 0 {
			continue
		}
		moved += m.Count
		switch m.Kind() {
		case coach.MoveForward:
			forward = append(forward, m)
		case coach.MoveSkip:
			skips = append(skips, m)
		case coach.MoveBack:
			backs = append(backs, m)
		case coach.MoveLost:
			lost = append(lost, m)
		case coach.MoveReopen:
			reopened[m.From] += m.Count
			continue
		default:
			continue
		}
		out[m.From] += m.Count
	}
	maxCount := 1
	for _, m := range f.Moves {
		maxCount = max(maxCount, m.Count)
	}
	days := int(math.Round(f.To.Sub(f.From).Hours() / 24))
	span := lang.T(fmt.Sprintf("%d days", days), fmt.Sprintf("%d 天", days))
	if days%7 == 0 {
		span = lang.T(fmt.Sprintf("%d weeks", days/7), fmt.Sprintf("%d 周", days/7))
	}
	sub := lang.T(
		fmt.Sprintf("%s to %s (%s). Arrows: moves between stages in this window (share of the stage's moves out).", date(f.From, f.Loc), date(f.To, f.Loc), span),
		fmt.Sprintf("%s 至 %s（%s）。箭头：本期内阶段之间的移动次数（占该阶段流出的比例）", date(f.From, f.Loc), date(f.To, f.Loc), span))
	if moved == 0 {
		sub += lang.T(" No deal changed stage in this window.", "本期内没有商机变更阶段。")
	}
	y := s.title(lang.T("Sales process: "+f.Team, "销售流程："+f.Team), sub)

	// Stage nodes: all as tall as the tallest.
	var nodes [][]line
	boxH := 0.0
	for _, st := range coach.OpenStages {
		ls := f.stageLines(s, stats[st], st == f.Bottleneck, lang)
		nodes = append(nodes, ls)
		h := 2 * flowPad
		for _, l := range ls {
			h += lineHeight(l.Size)
		}
		boxH = max(boxH, h)
	}
	wonLines := []line{{Text: coach.Won.Name(lang), Size: sizeHead, Bold: true, Color: wonC},
		{Text: lang.T(fmt.Sprintf("%d deals", won), fmt.Sprintf("%d 笔", won)), Size: sizeBody}}
	if r := reopened[coach.Won]; r > 0 {
		wonLines = append(wonLines, line{Text: lang.T(fmt.Sprintf("%d reopened", r), fmt.Sprintf("%d 笔重新打开", r)), Size: sizeSmall, Color: muted})
	}

	skipLevels := levels(skips)
	backLevels := levels(backs)
	top := y + 40 + float64(maxLevel(skipLevels))*flowLevel
	if len(skipLevels) > 0 {
		top += 16
	}
	cols := make([]*flowCol, n+1)
	for i, st := range coach.OpenStages {
		x := margin + float64(i)*(flowBoxW+flowGap)
		cols[i] = &flowCol{stage: st, r: rect{x, top, flowBoxW, boxH}}
		hot := st == f.Bottleneck
		bs := style{Fill: stageFill, Stroke: stageLine, Width: 2, Radius: 12}
		if hot {
			bs = style{Fill: hotFill, Stroke: hotC, Width: 4, Radius: 12}
		}
		s.boxes = append(s.boxes, &box{ID: string(st), Kind: "stage", R: cols[i].r, Style: bs, Lines: nodes[i], Pad: flowPad})
	}
	wonR := rect{margin + float64(n)*(flowBoxW+flowGap), top, flowWonW, boxH}
	cols[n] = &flowCol{stage: coach.Won, r: wonR}
	s.boxes = append(s.boxes, &box{ID: "won", Kind: "outcome", R: wonR,
		Style: style{Fill: wonFill, Stroke: wonC, Width: 2, Radius: 12}, Lines: wonLines, Pad: flowPad})
	col := func(st coach.Stage) *flowCol { return cols[column(st)] }

	edge := func(m coach.Transition) (string, style) {
		width := 2 + 5*math.Sqrt(float64(m.Count)/float64(maxCount))
		id := fmt.Sprintf("%s -> %s", m.From, m.To)
		switch m.Kind() {
		case coach.MoveSkip:
			return id, style{Stroke: skipC, Width: width, Dash: []float64{10, 7}}
		case coach.MoveBack:
			return id, style{Stroke: backC, Width: width}
		case coach.MoveLost:
			return id, style{Stroke: lostC, Width: width}
		}
		c := forwardC
		if m.To == coach.Won {
			c = wonC
		}
		return id, style{Stroke: c, Width: width}
	}
	share := func(m coach.Transition) string {
		if out[m.From] == 0 {
			return ""
		}
		return pct(float64(m.Count) / float64(out[m.From]))
	}

	// Forward moves: straight arrows between neighbours, the count above and
	// the share below.
	for _, m := range forward {
		a, b := col(m.From).r, col(m.To).r
		id, st := edge(m)
		p := &path{ID: id, Kind: string(m.Kind()), Arrow: true, Style: st,
			Points: []point{{a.right() + 2, a.cy()}, {b.X - 2, a.cy()}}}
		mid := (a.right() + b.X) / 2
		p.Labels = append(p.Labels,
			s.newText("", line{Text: fmt.Sprint(m.Count), Size: sizeLabel, Bold: true, Color: st.Stroke}, mid, a.cy()-st.Width/2-3, 0.5, 1, nil, 0),
			s.newText("", line{Text: share(m), Size: sizeSmall, Color: muted}, mid, a.cy()+st.Width/2+3, 0.5, 0, nil, 0))
		s.paths = append(s.paths, p)
	}

	// Skips arc over the row, moves back under it; the longer the move, the
	// higher (or lower) its arc, so labels at the apexes never meet.
	for _, m := range skips {
		col(m.From).topOut = append(col(m.From).topOut, m)
		col(m.To).topIn = append(col(m.To).topIn, m)
	}
	for _, m := range backs {
		col(m.From).botOut = append(col(m.From).botOut, m)
		col(m.To).botIn = append(col(m.To).botIn, m)
	}
	arc := func(m coach.Transition, up bool) {
		from, to := col(m.From), col(m.To)
		var x1, x2, base, apex float64
		if up {
			x1, x2 = port(from.r, from.topOut, m, +1), port(to.r, to.topIn, m, -1)
			base = top
			apex = top - 40 - float64(skipLevels[m]-1)*flowLevel
		} else {
			x1, x2 = port(from.r, from.botOut, m, -1), port(to.r, to.botIn, m, +1)
			base = top + boxH
			apex = base + 40 + float64(backLevels[m]-1)*flowLevel
		}
		c := base + (apex-base)/0.75 // a cubic with both handles at c peaks at apex
		id, st := edge(m)
		p := &path{ID: id, Kind: string(m.Kind()), Curve: true, Arrow: true, Style: st,
			Points: []point{{x1, base}, {x1, c}, {x2, c}, {x2, base}}}
		lbl := fmt.Sprintf("%d (%s)", m.Count, share(m))
		p.Labels = append(p.Labels, s.newText("", line{Text: lbl, Size: sizeLabel, Bold: true, Color: st.Stroke},
			(x1+x2)/2, apex, 0.5, 0.5, white, 3))
		s.paths = append(s.paths, p)
	}
	for _, m := range skips {
		arc(m, true)
	}
	for _, m := range backs {
		arc(m, false)
	}

	// Lost: an arrow down from every stage that lost deals into one bar.
	y = top + boxH + 30
	if len(backLevels) > 0 {
		y = top + boxH + 40 + float64(maxLevel(backLevels)-1)*flowLevel + 40
	}
	lostTop := y + lineHeight(sizeLabel) + 20
	lostR := rect{cols[0].r.X, lostTop, cols[n-1].r.right() - cols[0].r.X, 60}
	lostText := lang.T(fmt.Sprintf("Lost: %d deals", lostN), fmt.Sprintf("丢单：%d 笔", lostN))
	if r := reopened[coach.Lost]; r > 0 {
		lostText += lang.T(fmt.Sprintf(", %d reopened", r), fmt.Sprintf("，%d 笔重新打开", r))
	}
	s.boxes = append(s.boxes, &box{ID: "lost", Kind: "outcome", R: lostR,
		Style: style{Fill: lostFill, Stroke: lostC, Width: 2, Radius: 12},
		Lines: []line{{Text: lostText, Size: sizeHead, Bold: true, Color: lostC}}, Pad: flowPad})
	for _, m := range lost {
		from := col(m.From).r
		x := from.X + flowLost
		id, st := edge(m)
		p := &path{ID: id, Kind: string(m.Kind()), Arrow: true, Style: st,
			Points: []point{{x, from.bottom() + 2}, {x, lostTop - 2}}}
		p.Labels = append(p.Labels, s.newText("", line{Text: fmt.Sprintf("%d (%s)", m.Count, share(m)), Size: sizeLabel, Bold: true, Color: lostC},
			x+st.Width/2+6, lostTop-6, 0, 1, white, 2))
		s.paths = append(s.paths, p)
	}

	y = lostR.bottom() + 28
	items := []legendItem{
		{lang.T("to the next stage", "进入下一阶段"), lineSample(forwardC, 3, nil, true)},
		{lang.T("skipped ahead", "跳过阶段"), lineSample(skipC, 3, []float64{10, 7}, true)},
		{lang.T("moved back (below)", "退回前面的阶段（下方）"), lineSample(backC, 3, nil, true)},
		{lang.T("lost", "丢单"), lineSample(lostC, 3, nil, true)},
		{lang.T(fmt.Sprintf("bottleneck: longest median time, on ≥ %d visits", coach.MinVisitsForBottleneck),
			fmt.Sprintf("瓶颈：停留中位时间最长（至少 %d 次停留）", coach.MinVisitsForBottleneck)), boxSample(hotFill, hotC, 3)},
		{lang.T("conversion: of the deals that first entered the stage in this window, the share that moved on rather than being lost",
			"转化率：本期首次进入该阶段的商机中，推进到后面阶段（而不是丢单）的比例"), nil},
		{lang.T(fmt.Sprintf("medians on fewer than %d visits are too few to say", coach.MinValuesForMedian),
			fmt.Sprintf("停留少于 %d 次时不给中位数", coach.MinValuesForMedian)), nil},
	}
	y = s.legend(items, margin, y, s.W-2*margin)
	s.H = y + margin
	return s, nil
}

// stageLines is the text of a stage's node.
func (f Flow) stageLines(s *scene, st coach.StageStats, hot bool, lang coach.Lang) []line {
	var ls []line
	titleColor := stageLine
	if hot {
		titleColor = hotC
	}
	for _, t := range s.wrap(st.Stage.Name(lang), sizeHead, true, flowBoxW-2*flowPad, 2) {
		ls = append(ls, line{Text: t, Size: sizeHead, Bold: true, Color: titleColor})
	}
	ls = append(ls, line{Text: lang.T(fmt.Sprintf("%d open now", st.OpenNow), fmt.Sprintf("当前 %d 笔", st.OpenNow)), Size: sizeBody})
	med := lang.T("median: too few", "中位：样本太少")
	if st.MedianDays != nil && st.CompletedVisits >= coach.MinValuesForMedian {
		med = lang.T("median ", "中位 ") + daysUnit(*st.MedianDays, lang)
	}
	if st.CompletedVisits == 0 {
		med = lang.T("median: no visits", "中位：无停留")
	}
	ls = append(ls,
		line{Text: med, Size: sizeBody},
		line{Text: lang.T(fmt.Sprintf("%d visits", st.CompletedVisits), fmt.Sprintf("%d 次停留", st.CompletedVisits)), Size: sizeSmall, Color: muted})
	if st.Conversion != nil {
		ls = append(ls, line{Text: lang.T("conversion ", "转化率 ") + pct(*st.Conversion), Size: sizeSmall, Color: muted})
	}
	if hot {
		ls = append(ls, line{Text: lang.T("⚠ bottleneck", "⚠ 瓶颈"), Size: sizeBody, Bold: true, Color: hotC})
	}
	return ls
}

// levels gives each arc a height, 1 the lowest: arcs that share a column
// get different heights, and an arc sits above every arc that
// lies within it, so arcs nest and their labels, at the apexes, never meet.
func levels(moves []coach.Transition) map[coach.Transition]int {
	span := func(m coach.Transition) (int, int) {
		a, b := column(m.From), column(m.To)
		return min(a, b), max(a, b)
	}
	sorted := append([]coach.Transition(nil), moves...)
	sort.SliceStable(sorted, func(i, j int) bool {
		ai, bi := span(sorted[i])
		aj, bj := span(sorted[j])
		if bi-ai != bj-aj {
			return bi-ai < bj-aj
		}
		return ai < aj
	})
	out := map[coach.Transition]int{}
	var placed []coach.Transition
	for _, m := range sorted {
		a, b := span(m)
		used := map[int]bool{}
		floor := 1
		for _, o := range placed {
			oa, ob := span(o)
			if oa <= b && a <= ob { // sharing a column counts: the lines would meet there
				used[out[o]] = true
			}
			if a <= oa && ob <= b {
				floor = max(floor, out[o]+1)
			}
		}
		l := floor
		for used[l] {
			l++
		}
		out[m] = l
		placed = append(placed, m)
	}
	return out
}

// column is a stage's column in the flowchart: won comes after closing.
func column(s coach.Stage) int {
	if s == coach.Won {
		return len(coach.OpenStages)
	}
	return s.Index()
}

// maxLevel returns the highest level in ls, 0 with none.
func maxLevel(ls map[coach.Transition]int) int {
	top := 0
	for _, l := range ls {
		top = max(top, l)
	}
	return top
}

// port returns where move m meets a box's edge among the moves that share
// that edge: in the box's right half (dir +1) or left half (dir -1), longer
// moves nearer the middle, so arcs nest instead of crossing.
func port(r rect, moves []coach.Transition, m coach.Transition, dir float64) float64 {
	sorted := append([]coach.Transition(nil), moves...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Span() > sorted[j].Span() })
	k := 0
	for i, o := range sorted {
		if o == m {
			k = i
		}
	}
	inner, outer := 16.0, r.W/2-flowLost-14 // keep clear of the centre and the lost arrow
	step := 0.0
	if len(sorted) > 1 {
		step = math.Min(26, (outer-inner)/float64(len(sorted)-1))
	}
	return r.cx() + dir*(inner+float64(k)*step)
}
