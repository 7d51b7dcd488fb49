package picture

import (
	"fmt"
	"time"

	"salescoach/coach"
)

// Blueprint is one deal's service blueprint, ready to draw: a column per
// stay in a stage (a loop repeats a stage's column), the five lanes of a
// blueprint across them, and the lines of interaction, visibility and
// internal interaction between the lanes.
type Blueprint struct {
	Team string
	coach.DealBlueprint
	Loc *time.Location
}

// PNG draws the blueprint in lang. The lanes' text was written in a language
// when the blueprint was built (coach.Blueprint): build it in the same one.
func (b Blueprint) PNG(lang coach.Lang) ([]byte, error) {
	s, err := b.scene(lang)
	if err != nil {
		return nil, err
	}
	return s.render()
}

// Blueprint geometry, in pixels.
const (
	bpLabelW   = 210.0 // the lane names on the left
	bpGap      = 14.0  // between columns
	bpPad      = 12.0
	bpMinW     = 1600.0
	bpMaxCols  = 7    // the most recent stays; older ones are counted in the subtitle
	bpMaxLines = 6    // per cell
	bpLaneGap  = 14.0 // between two lanes
	bpLineGap  = 38.0 // between two lanes with a line of the blueprint between them
)

func (b Blueprint) scene(lang coach.Lang) (*scene, error) {
	cols := b.Columns
	hidden := 0
	if len(cols) > bpMaxCols {
		hidden = len(cols) - bpMaxCols
		cols = cols[hidden:]
	}
	n := max(len(cols), 1)
	colW := min(max((bpMinW-2*margin-bpLabelW-float64(n)*bpGap)/float64(n), 236), 420)
	w := 2*margin + bpLabelW + float64(n)*(colW+bpGap)
	s, err := newScene(w, 1000)
	if err != nil {
		return nil, err
	}
	d := b.Deal
	sub := b.summary(lang)
	switch {
	case hidden == 1:
		sub += lang.T(" The earliest stay is not shown.", "最早的 1 段停留未显示。")
	case hidden > 1:
		sub += lang.T(fmt.Sprintf(" The %d earliest stays are not shown.", hidden), fmt.Sprintf("最早的 %d 段停留未显示。", hidden))
	}
	y := s.title(lang.T(fmt.Sprintf("#%d %s: service blueprint", d.Number, d.Name), fmt.Sprintf("#%d %s：服务蓝图", d.Number, d.Name)), sub)
	y += 20
	x0 := margin + bpLabelW

	// Column headers: the stage, its dates and the time spent.
	var heads [][]line
	headH := 0.0
	for _, c := range cols {
		ls := b.headLines(s, c, colW-2*bpPad, lang)
		heads = append(heads, ls)
		h := 2 * bpPad
		for _, l := range ls {
			h += lineHeight(l.Size)
		}
		headH = max(headH, h)
	}
	for i, c := range cols {
		st := style{Fill: stageFill, Stroke: stageLine, Width: 2, Radius: 10}
		switch {
		case c.FailPoint:
			st = style{Fill: hotFill, Stroke: hotC, Width: 4, Radius: 10}
		case c.Stage == coach.Won:
			st = style{Fill: wonFill, Stroke: wonC, Width: 2, Radius: 10}
		case c.Stage == coach.Lost:
			st = style{Fill: lostFill, Stroke: lostC, Width: 2, Radius: 10}
		}
		r := rect{x0 + float64(i)*(colW+bpGap), y, colW, headH}
		s.boxes = append(s.boxes, &box{ID: colID(i, c), Kind: "stay", R: r, Style: st, Lines: heads[i], Pad: bpPad})
		if i > 0 {
			prev := r.X - bpGap
			s.paths = append(s.paths, &path{Arrow: true, Style: style{Stroke: muted, Width: 2},
				Points: []point{{prev + 1, r.cy()}, {r.X - 1, r.cy()}}})
		}
	}
	s.label("", line{Text: lang.T("Stays in time order →", "按时间顺序 →"), Size: sizeSmall, Color: muted}, margin, y+headH/2, 0, 0.5, nil, 0)
	y += headH + bpLaneGap

	// The lanes.
	for _, lane := range coach.Lanes {
		var cells [][]line
		laneH := 0.0
		for _, c := range cols {
			ls := b.cellLines(s, c.Lanes[lane], lane, colW-2*bpPad, lang)
			cells = append(cells, ls)
			h := 2 * bpPad
			for _, l := range ls {
				h += lineHeight(l.Size)
			}
			laneH = max(laneH, h)
		}
		laneH = max(laneH, 84)
		fill := white
		if lane == coach.LaneSupport || lane == coach.LaneBackstage {
			fill = paper
		}
		nameLines := []line{}
		for _, l := range s.wrap(lane.Name(lang), sizeHead, true, bpLabelW-16, 2) {
			nameLines = append(nameLines, line{Text: l, Size: sizeHead, Bold: true, Color: stageLine})
		}
		if lane == coach.LaneSupport {
			nameLines = append(nameLines, line{Text: lang.T("playbook, expected", "打法：应做事项"), Size: sizeSmall, Color: expectC})
		}
		s.boxes = append(s.boxes, &box{ID: laneKey[lane], Kind: "lane", R: rect{margin, y, bpLabelW - 12, laneH},
			Lines: nameLines, Left: true, Pad: 0})
		for i, c := range cols {
			r := rect{x0 + float64(i)*(colW+bpGap), y, colW, laneH}
			s.boxes = append(s.boxes, &box{ID: colID(i, c) + " / " + laneKey[lane], Kind: "cell", R: r,
				Style: style{Fill: fill, Stroke: rule, Width: 1, Radius: 6}, Lines: cells[i], Left: true, Top: true, Pad: bpPad})
		}
		y += laneH
		// The line under this lane, if the blueprint names one.
		if name, ok := laneLines[lane]; ok {
			ly := y + bpLineGap/2
			s.paths = append(s.paths, &path{ID: name[0], Kind: "line", Points: []point{{margin, ly}, {w - margin, ly}},
				Style: style{Stroke: stageLine, Width: 2, Dash: []float64{12, 8}}})
			s.label("line", line{Text: lang.T(name[0], name[1]), Size: sizeSmall - 2, Bold: true, Color: stageLine}, margin+8, ly, 0, 0.5, white, 3)
			y += bpLineGap
		} else {
			y += bpLaneGap
		}
	}

	items := []legendItem{
		{lang.T("fail point: the stay ran longer than 9 in 10 of the team's visits of that stage (on ≥ 10 visits)",
			"失败点：停留时间比团队该阶段九成的停留都长（至少 10 次停留）"), boxSample(hotFill, hotC, 3)},
		{lang.T("lanes show only what was logged in that stay", "各泳道只显示该段停留期间记录的内容"), nil},
	}
	y = s.legend(items, margin, y+6, w-2*margin)
	s.H = y + margin
	return s, nil
}

// laneKey names a lane in the description.
var laneKey = map[coach.Lane]string{
	coach.LaneEvidence: "evidence", coach.LaneCustomer: "customer", coach.LaneFrontstage: "frontstage",
	coach.LaneBackstage: "backstage", coach.LaneSupport: "support",
}

// laneLines are the lines drawn under a lane.
var laneLines = map[coach.Lane][2]string{
	coach.LaneCustomer:   {"line of interaction", "互动线"},
	coach.LaneFrontstage: {"line of visibility", "可视线"},
	coach.LaneBackstage:  {"line of internal interaction", "内部互动线"},
}

func colID(i int, c coach.BlueprintColumn) string {
	return fmt.Sprintf("%d %s#%d", i+1, c.Stage, c.Visit)
}

// summary is the subtitle: the deal's amount, owner and state.
func (b Blueprint) summary(lang coach.Lang) string {
	d := b.Deal
	var parts []string
	if d.HasAmount {
		parts = append(parts, coach.FormatMoney(d.Amount))
	}
	if d.OwnerID != "" {
		parts = append(parts, lang.T("owner @", "负责人 @")+d.OwnerID)
	}
	switch d.Status {
	case coach.StatusWon:
		parts = append(parts, lang.T("won ", "赢单于 ")+date(d.StageSince, b.Loc))
	case coach.StatusLost:
		parts = append(parts, lang.T("lost ", "丢单于 ")+date(d.StageSince, b.Loc))
	default:
		parts = append(parts, lang.T("open, in ", "进行中：")+d.Stage.Name(lang))
	}
	parts = append(parts, lang.T("as of ", "截至 ")+date(b.Now, b.Loc))
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += lang.T(", ", "，")
		}
		out += p
	}
	return out + lang.T(". Each column is one stay in a stage; a stage the deal came back to has a column per stay.",
		"。每一列是在一个阶段的一段停留；商机回到过的阶段，每段停留各占一列。")
}

// headLines is the text of a column's header.
func (b Blueprint) headLines(s *scene, c coach.BlueprintColumn, width float64, lang coach.Lang) []line {
	name := c.Stage.Name(lang)
	color := stageLine
	switch {
	case c.FailPoint:
		color = hotC
	case c.Stage == coach.Won:
		color = wonC
	case c.Stage == coach.Lost:
		color = lostC
	}
	var ls []line
	for _, t := range s.wrap(name, sizeHead, true, width, 2) {
		ls = append(ls, line{Text: t, Size: sizeHead, Bold: true, Color: color})
	}
	switch {
	case c.Reopened:
		ls = append(ls, line{Text: lang.T("reopened", "重新打开"), Size: sizeSmall, Bold: true, Color: muted})
	case c.Visit > 1:
		ls = append(ls, line{Text: lang.T(fmt.Sprintf("back: stay %d", c.Visit), fmt.Sprintf("回到此阶段：第 %d 次停留", c.Visit)), Size: sizeSmall, Bold: true, Color: backC})
	}
	var span string
	switch {
	case !c.End.IsZero():
		span = date(c.Start, b.Loc) + lang.T(" to ", " 至 ") + date(c.End, b.Loc)
	case c.Stage.IsOpen():
		span = date(c.Start, b.Loc) + lang.T(" to now", " 至今")
	default: // closed, and still so
		span = lang.T("since ", "自 ") + date(c.Start, b.Loc) + lang.T("", " 起")
	}
	ls = append(ls, line{Text: span, Size: sizeSmall, Color: muted})
	// The stay and the p90 it is judged by, with a decimal when whole days
	// would show a fail point as long as its limit.
	stay, limit := fmtDays(c.Days), ""
	if c.P90 != nil {
		limit = fmtDays(*c.P90)
		if stay == limit {
			stay, limit = fmt.Sprintf("%.1f", c.Days), fmt.Sprintf("%.1f", *c.P90)
		}
	}
	unit := lang.T(" d", " 天")
	if c.Stage.IsOpen() || c.Stage == coach.Won {
		days := stay + unit
		if c.End.IsZero() {
			days = lang.T(days+" so far", "至今 "+days)
		}
		ls = append(ls, line{Text: days, Size: sizeBody, Bold: c.FailPoint})
	}
	if c.P90 != nil {
		p90 := line{Text: lang.T("9 in 10 within "+limit+unit, "九成在 "+limit+unit+"内"), Size: sizeSmall, Color: muted}
		if c.FailPoint {
			p90.Color = hotC
		}
		ls = append(ls, p90)
	}
	if c.FailPoint {
		ls = append(ls, line{Text: lang.T("⚠ fail point", "⚠ 失败点"), Size: sizeSmall, Bold: true, Color: hotC})
	}
	return ls
}

// cellLines is the text of one lane in one column: the items logged, or
// "nothing logged"; expected items are marked as the playbook's.
func (b Blueprint) cellLines(s *scene, items []coach.BlueprintItem, lane coach.Lane, width float64, lang coach.Lang) []line {
	var ls []line
	logged := 0
	bullet := s.faces.width("• ", sizeSmall, false)
	for _, it := range items {
		if it.Expected {
			continue
		}
		logged++
		for i, w := range s.wrap(it.Text, sizeSmall, false, width-bullet, 3) {
			prefix := "   "
			if i == 0 {
				prefix = "• "
			}
			ls = append(ls, line{Text: prefix + w, Size: sizeSmall})
		}
	}
	switch {
	case logged == 0 && lane != coach.LaneSupport:
		ls = append(ls, line{Text: lang.T("nothing logged", "无记录"), Size: sizeSmall, Color: faint})
	case len(items) == 0:
		ls = append(ls, line{Text: "—", Size: sizeSmall, Color: faint})
	}
	for _, it := range items {
		if !it.Expected {
			continue
		}
		ls = append(ls, line{Text: lang.T("Expected next step:", "应做的下一步："), Size: sizeSmall, Bold: true, Color: expectC})
		for _, w := range s.wrap(it.Text, sizeSmall, false, width, 4) {
			ls = append(ls, line{Text: w, Size: sizeSmall, Color: expectC})
		}
	}
	if len(ls) > bpMaxLines+2 {
		more := len(ls) - (bpMaxLines + 1)
		ls = append(ls[:bpMaxLines+1], line{Text: lang.T(fmt.Sprintf("+%d more lines", more), fmt.Sprintf("另有 %d 行", more)), Size: sizeSmall, Color: faint})
	}
	return ls
}
