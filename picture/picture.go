// Package picture draws Sales Coach's pictures of the sales process as PNG,
// in English or Chinese: the team's process flowchart, one deal's service
// blueprint and the trend of the won sales cycle. It lays out each picture
// itself — the process is a known sequence of six stages, so no general
// graph layout is needed — and rasterises it in pure Go (fogleman/gg and
// golang.org/x/image) with an embedded CJK font. It does no I/O.
package picture

import (
	"fmt"
	"image/color"
	"math"
	"strings"
	"time"

	"salescoach/coach"
)

// The palette.
var (
	ink       = color.RGBA{0x1a, 0x20, 0x2c, 0xff} // text
	muted     = color.RGBA{0x5a, 0x65, 0x75, 0xff} // secondary text
	faint     = color.RGBA{0x8a, 0x94, 0xa3, 0xff} // "nothing logged", grid
	rule      = color.RGBA{0xcb, 0xd2, 0xd9, 0xff} // lines, borders
	paper     = color.RGBA{0xf7, 0xf9, 0xfb, 0xff} // light fill
	white     = color.RGBA{0xff, 0xff, 0xff, 0xff}
	stageFill = color.RGBA{0xe6, 0xf0, 0xfa, 0xff}
	stageLine = color.RGBA{0x3b, 0x6e, 0xa8, 0xff}
	forwardC  = color.RGBA{0x4a, 0x55, 0x68, 0xff}
	skipC     = color.RGBA{0x2b, 0x6c, 0xb0, 0xff}
	backC     = color.RGBA{0x80, 0x5a, 0xd5, 0xff}
	lostC     = color.RGBA{0xc5, 0x30, 0x30, 0xff}
	lostFill  = color.RGBA{0xfd, 0xec, 0xec, 0xff}
	wonC      = color.RGBA{0x2f, 0x85, 0x5a, 0xff}
	wonFill   = color.RGBA{0xe3, 0xf5, 0xea, 0xff}
	hotC      = color.RGBA{0xc0, 0x56, 0x21, 0xff} // bottleneck, fail point
	hotFill   = color.RGBA{0xfe, 0xf0, 0xd9, 0xff}
	expectC   = color.RGBA{0x4c, 0x6a, 0x92, 0xff} // the playbook's expected step
)

// Text sizes, in pixels: the pictures are about 1,600–2,000 pixels wide, so
// Slack's image viewer shows them at half size or more and these stay legible.
const (
	sizeTitle = 34.0
	sizeSub   = 20.0
	sizeHead  = 23.0
	sizeBody  = 20.0
	sizeLabel = 19.0
	sizeSmall = 18.0
	margin    = 48.0
)

// fmtDays renders days for a picture: "0.4", "3.5", "12".
func fmtDays(v float64) string {
	switch {
	case v < 10:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0")
	default:
		return fmt.Sprintf("%.0f", math.Round(v))
	}
}

// daysUnit renders "3.5 d" / "3.5 天".
func daysUnit(v float64, lang coach.Lang) string {
	return lang.T(fmtDays(v)+" d", fmtDays(v)+" 天")
}

// pct renders a ratio as a whole percentage.
func pct(v float64) string { return fmt.Sprintf("%.0f%%", math.Round(100*v)) }

// date renders a day in loc (UTC when nil).
func date(t time.Time, loc *time.Location) string { return t.In(locOr(loc)).Format("2006-01-02") }

func locOr(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// title adds the picture's title and subtitle at the top and returns the y
// below them.
func (s *scene) title(title, sub string) float64 {
	y := margin - 8
	s.label("title", line{Text: title, Size: sizeTitle, Bold: true}, margin, y, 0, 0, nil, 0)
	y += lineHeight(sizeTitle)
	for _, l := range s.wrap(sub, sizeSub, false, s.W-2*margin, 2) {
		s.label("subtitle", line{Text: l, Size: sizeSub, Color: muted}, margin, y, 0, 0, nil, 0)
		y += lineHeight(sizeSub)
	}
	return y
}

// legendItem is one entry of a legend: a sample drawn by sample in a 44×20
// cell at (x, y), then its text; with no sample, the text alone.
type legendItem struct {
	text   string
	sample func(s *scene, x, y float64)
}

// legend lays the items out in rows from (x, y) within width; it returns the
// y below them.
func (s *scene) legend(items []legendItem, x, y, width float64) float64 {
	const cell, gap = 44.0, 30.0
	h := lineHeight(sizeSmall)
	cx := x
	for _, it := range items {
		lead := 0.0 // room for the sample
		if it.sample != nil {
			lead = cell + 8
		}
		w := lead + s.faces.width(it.text, sizeSmall, false)
		if cx > x && cx+w > x+width {
			cx, y = x, y+h+8
		}
		if it.sample != nil {
			it.sample(s, cx, y+h/2)
		}
		s.label("legend", line{Text: it.text, Size: sizeSmall, Color: muted}, cx+lead, y, 0, 0, nil, 0)
		cx += w + gap
	}
	return y + h
}

func lineSample(c color.Color, width float64, dash []float64, arrow bool) func(s *scene, x, y float64) {
	return func(s *scene, x, y float64) {
		s.paths = append(s.paths, &path{Points: []point{{x, y}, {x + 44, y}}, Arrow: arrow,
			Style: style{Stroke: c, Width: width, Dash: dash}})
	}
}

func boxSample(fill, stroke color.Color, width float64) func(s *scene, x, y float64) {
	return func(s *scene, x, y float64) {
		s.boxes = append(s.boxes, &box{R: rect{x + 4, y - 10, 36, 20},
			Style: style{Fill: fill, Stroke: stroke, Width: width, Radius: 4}})
	}
}
