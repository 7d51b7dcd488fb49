package picture

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
	"unicode"

	"github.com/fogleman/gg"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// A scene is what a picture is made of, laid out in pixels: boxes with text,
// paths (arrows, lines, curves), free text and dots. Each picture builds one
// from its data; one renderer draws them all, and tests read the same scene
// to check what it says (describe) and that no label hides another.
type scene struct {
	W, H  float64
	boxes []*box
	paths []*path
	texts []*text
	dots  []*dot
	faces *faces
}

type rect struct{ X, Y, W, H float64 }

func (r rect) right() float64  { return r.X + r.W }
func (r rect) bottom() float64 { return r.Y + r.H }
func (r rect) cx() float64     { return r.X + r.W/2 }
func (r rect) cy() float64     { return r.Y + r.H/2 }

// overlaps reports whether r and o share any area.
func (r rect) overlaps(o rect) bool {
	return r.X < o.right() && o.X < r.right() && r.Y < o.bottom() && o.Y < r.bottom()
}

// inside reports whether r lies within o.
func (r rect) inside(o rect) bool {
	return r.X >= o.X-0.5 && r.Y >= o.Y-0.5 && r.right() <= o.right()+0.5 && r.bottom() <= o.bottom()+0.5
}

func (r rect) String() string { return fmt.Sprintf("(%.0f,%.0f %.0fx%.0f)", r.X, r.Y, r.W, r.H) }

type point struct{ X, Y float64 }

// style is how a shape or a text is painted.
type style struct {
	Fill   color.Color // nil: none
	Stroke color.Color // nil: none
	Width  float64
	Dash   []float64
	Radius float64
}

// line is a line of text.
type line struct {
	Text  string
	Size  float64
	Bold  bool
	Color color.Color
}

// box is a rectangle with lines of text inside, centred unless Left.
type box struct {
	ID    string // names the box in the description; "" keeps it out
	Kind  string
	R     rect
	Style style
	Lines []line
	Left  bool    // align text left, with Pad
	Top   bool    // start text at the top, with Pad
	Pad   float64 // inner margin
}

// path is a polyline, or a cubic Bézier curve when Curve (4 points), with an
// optional arrowhead at its end and labels.
type path struct {
	ID     string // "from -> to" in the description; "" keeps it out
	Kind   string
	Points []point
	Curve  bool
	Arrow  bool
	Style  style
	Labels []*text
}

// text is a line of free text whose top-left corner is R's; with Bg it is
// drawn on a padded background that hides what lies beneath. No text may
// overlap another or a box that names something (collisions).
type text struct {
	ID   string
	Line line
	R    rect // the ink box, padding included
	Bg   color.Color
	Pad  float64
}

// dot is a filled or hollow circle.
type dot struct {
	C      point
	Radius float64
	Style  style
}

func newScene(w, h float64) (*scene, error) {
	f, err := newFaces()
	if err != nil {
		return nil, err
	}
	return &scene{W: w, H: h, faces: f}, nil
}

// lineHeight is the distance between the baselines of two lines of size.
func lineHeight(size float64) float64 { return math.Round(size * 1.35) }

// measure returns the size of a line's ink box, without padding.
func (s *scene) measure(l line) (w, h float64) {
	return s.faces.width(l.Text, l.Size, l.Bold), lineHeight(l.Size)
}

// label adds a text whose anchor (ax, ay in 0…1 of its box) is at (x, y).
func (s *scene) label(id string, l line, x, y, ax, ay float64, bg color.Color, pad float64) *text {
	t := s.newText(id, l, x, y, ax, ay, bg, pad)
	s.texts = append(s.texts, t)
	return t
}

// newText returns a text like label's without adding it to the scene, for a
// path's labels.
func (s *scene) newText(id string, l line, x, y, ax, ay float64, bg color.Color, pad float64) *text {
	w, h := s.measure(l)
	w, h = w+2*pad, h+2*pad
	return &text{ID: id, Line: l, R: rect{x - ax*w, y - ay*h, w, h}, Bg: bg, Pad: pad}
}

// wrap breaks s into lines no wider than width at size: between words, and
// between any two Chinese characters (never before closing punctuation).
// With max > 0 it keeps at most max lines and ends the last with "…".
func (s *scene) wrap(str string, size float64, bold bool, width float64, max int) []string {
	var lines []string
	for _, para := range strings.Split(str, "\n") {
		lines = append(lines, s.wrapPara(para, size, bold, width)...)
	}
	if max > 0 && len(lines) > max {
		lines = lines[:max]
		lines[max-1] = s.ellipsis(lines[max-1]+" …", size, bold, width)
	}
	return lines
}

func (s *scene) wrapPara(str string, size float64, bold bool, width float64) []string {
	var lines []string
	cur := ""
	for _, tok := range tokens(str) {
		next := cur + tok
		if cur == "" {
			next = strings.TrimLeft(tok, " ")
		}
		if cur == "" || s.faces.width(next, size, bold) <= width {
			cur = next
			continue
		}
		if r := []rune(cur); closing(tok) && len(r) > 1 && wide(r[len(r)-1]) {
			// A closing mark never starts a line: take the character before
			// it along.
			lines = append(lines, string(r[:len(r)-1]))
			cur = string(r[len(r)-1]) + tok
			continue
		}
		lines = append(lines, strings.TrimRight(cur, " "))
		cur = strings.TrimLeft(tok, " ")
	}
	if cur = strings.TrimRight(cur, " "); cur != "" || len(lines) == 0 {
		lines = append(lines, cur)
	}
	// A word longer than the line is cut.
	for i, l := range lines {
		if s.faces.width(l, size, bold) > width {
			lines[i] = s.ellipsis(l, size, bold, width)
		}
	}
	return lines
}

// ellipsis shortens str to fit width, ending it with "…".
func (s *scene) ellipsis(str string, size float64, bold bool, width float64) string {
	if s.faces.width(str, size, bold) <= width {
		return str
	}
	r := []rune(strings.TrimSuffix(str, " …"))
	for len(r) > 0 {
		r = r[:len(r)-1]
		c := strings.TrimRight(string(r), " ") + "…"
		if s.faces.width(c, size, bold) <= width {
			return c
		}
	}
	return "…"
}

// tokens splits text into the pieces a line may break between: a Latin word
// with the spaces before it, or one Chinese character.
func tokens(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	prevSpace := false
	for _, r := range s {
		switch {
		case wide(r):
			flush()
			out = append(out, string(r))
			prevSpace = false
		case r == ' ':
			if !prevSpace {
				flush()
			}
			b.WriteRune(r)
			prevSpace = true
		default:
			b.WriteRune(r)
			prevSpace = false
		}
	}
	flush()
	return out
}

// wide reports whether r is a CJK character or punctuation, after which a line
// may break.
func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// closing reports whether tok is a Chinese punctuation mark that must not
// start a line.
func closing(tok string) bool {
	return len([]rune(tok)) == 1 && strings.ContainsAny(tok, "，。、；：！？）》」』】")
}

// render draws the scene and encodes it as PNG.
func (s *scene) render() ([]byte, error) {
	dc := gg.NewContext(int(math.Ceil(s.W)), int(math.Ceil(s.H)))
	dc.SetColor(color.White)
	dc.Clear()
	dc.SetLineJoinRound()
	for _, b := range s.boxes {
		s.drawBox(dc, b)
	}
	for _, p := range s.paths {
		drawPath(dc, p)
	}
	for _, d := range s.dots {
		dc.DrawCircle(d.C.X, d.C.Y, d.Radius)
		paint(dc, d.Style)
	}
	for _, p := range s.paths {
		for _, t := range p.Labels {
			s.drawText(dc, t)
		}
	}
	for _, t := range s.texts {
		s.drawText(dc, t)
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, dc.Image()); err != nil {
		return nil, fmt.Errorf("encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// paint fills and strokes the current path.
func paint(dc *gg.Context, st style) {
	if st.Fill != nil {
		dc.SetColor(st.Fill)
		if st.Stroke != nil {
			dc.FillPreserve()
		} else {
			dc.Fill()
		}
	}
	if st.Stroke != nil {
		dc.SetColor(st.Stroke)
		dc.SetLineWidth(st.Width)
		dc.SetDash(st.Dash...)
		dc.Stroke()
		dc.SetDash()
	}
	dc.ClearPath()
}

func (s *scene) drawBox(dc *gg.Context, b *box) {
	if b.Style.Radius > 0 {
		dc.DrawRoundedRectangle(b.R.X, b.R.Y, b.R.W, b.R.H, b.Style.Radius)
	} else {
		dc.DrawRectangle(b.R.X, b.R.Y, b.R.W, b.R.H)
	}
	paint(dc, b.Style)
	if len(b.Lines) == 0 {
		return
	}
	total := 0.0
	for _, l := range b.Lines {
		total += lineHeight(l.Size)
	}
	y := b.R.cy() - total/2
	if b.Top {
		y = b.R.Y + b.Pad
	}
	for _, l := range b.Lines {
		w, h := s.measure(l)
		x := b.R.cx() - w/2
		if b.Left {
			x = b.R.X + b.Pad
		}
		s.drawLine(dc, l, x, y, h)
		y += h
	}
}

func (s *scene) drawText(dc *gg.Context, t *text) {
	if t.Bg != nil {
		dc.DrawRoundedRectangle(t.R.X, t.R.Y, t.R.W, t.R.H, 4)
		dc.SetColor(t.Bg)
		dc.Fill()
	}
	s.drawLine(dc, t.Line, t.R.X+t.Pad, t.R.Y+t.Pad, t.R.H-2*t.Pad)
}

// drawLine draws l with the top of its line box at (x, y): the baseline sits
// where the font's ascent and descent centre the glyphs in the line height.
func (s *scene) drawLine(dc *gg.Context, l line, x, y, h float64) {
	face := s.faces.face(l.Size, l.Bold)
	m := face.Metrics()
	ascent, descent := float64(m.Ascent)/64, float64(m.Descent)/64
	baseline := y + (h-(ascent+descent))/2 + ascent
	c := l.Color
	if c == nil {
		c = ink
	}
	d := font.Drawer{
		Dst:  dc.Image().(*image.RGBA),
		Src:  image.NewUniform(c),
		Face: face,
		Dot:  fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(baseline * 64)},
	}
	d.DrawString(l.Text)
}

func drawPath(dc *gg.Context, p *path) {
	pts := p.Points
	if len(pts) < 2 {
		return
	}
	end := pts[len(pts)-1]
	from := pts[len(pts)-2] // the direction the arrow points along
	head := 0.0
	if p.Arrow {
		head = 9 + 1.8*p.Style.Width
	}
	// Stop the shaft short of the tip so a thick line does not blunt the head.
	shaftEnd := end
	if head > 0 {
		dx, dy := end.X-from.X, end.Y-from.Y
		if n := math.Hypot(dx, dy); n > 0 {
			shaftEnd = point{end.X - dx/n*head*0.6, end.Y - dy/n*head*0.6}
		}
	}
	dc.MoveTo(pts[0].X, pts[0].Y)
	if p.Curve && len(pts) == 4 {
		dc.CubicTo(pts[1].X, pts[1].Y, pts[2].X, pts[2].Y, shaftEnd.X, shaftEnd.Y)
	} else {
		for _, q := range pts[1 : len(pts)-1] {
			dc.LineTo(q.X, q.Y)
		}
		dc.LineTo(shaftEnd.X, shaftEnd.Y)
	}
	st := p.Style
	st.Fill = nil
	paint(dc, st)
	if head > 0 {
		dx, dy := end.X-from.X, end.Y-from.Y
		n := math.Hypot(dx, dy)
		if n == 0 {
			return
		}
		ux, uy := dx/n, dy/n
		w := head * 0.55
		dc.MoveTo(end.X, end.Y)
		dc.LineTo(end.X-ux*head-uy*w, end.Y-uy*head+ux*w)
		dc.LineTo(end.X-ux*head+uy*w, end.Y-uy*head-ux*w)
		dc.ClosePath()
		paint(dc, style{Fill: p.Style.Stroke})
	}
}

// bezier returns the point at t of the cubic curve p.
func bezier(p []point, t float64) point {
	u := 1 - t
	a, b, c, d := u*u*u, 3*u*u*t, 3*u*t*t, t*t*t
	return point{
		a*p[0].X + b*p[1].X + c*p[2].X + d*p[3].X,
		a*p[0].Y + b*p[1].Y + c*p[2].Y + d*p[3].Y,
	}
}

// describe lists what the scene says, for golden tests: the boxes with their
// text, the paths with their labels, the free text. Geometry is left out.
func (s *scene) describe() string {
	var b strings.Builder
	for _, x := range s.boxes {
		if x.ID == "" {
			continue
		}
		var ls []string
		for _, l := range x.Lines {
			ls = append(ls, fmt.Sprintf("%q", l.Text))
		}
		fmt.Fprintf(&b, "box %s %s: %s\n", x.Kind, x.ID, strings.Join(ls, " / "))
	}
	for _, p := range s.paths {
		if p.ID == "" {
			continue
		}
		lbl := ""
		for _, t := range p.Labels {
			lbl += fmt.Sprintf(" %q", t.Line.Text)
		}
		dash := ""
		if len(p.Style.Dash) > 0 {
			dash = " dashed"
		}
		fmt.Fprintf(&b, "path %s %s%s%s\n", p.Kind, p.ID, dash, lbl)
	}
	for _, t := range s.texts {
		if t.ID == "" {
			continue
		}
		fmt.Fprintf(&b, "text %s: %q\n", t.ID, t.Line.Text)
	}
	return b.String()
}

// collisions returns the pairs of solid texts that overlap each other or a
// box they do not belong to, and anything that leaves the canvas.
func (s *scene) collisions() []string {
	var out []string
	canvas := rect{0, 0, s.W, s.H}
	var labels []*text
	labels = append(labels, s.texts...)
	for _, p := range s.paths {
		labels = append(labels, p.Labels...)
	}
	for i, a := range labels {
		if !a.R.inside(canvas) {
			out = append(out, fmt.Sprintf("%q %v leaves the canvas", a.Line.Text, a.R))
		}
		for _, b := range labels[i+1:] {
			if a.R.overlaps(b.R) {
				out = append(out, fmt.Sprintf("%q %v overlaps %q %v", a.Line.Text, a.R, b.Line.Text, b.R))
			}
		}
		for _, b := range s.boxes {
			if b.ID != "" && a.R.overlaps(b.R) {
				out = append(out, fmt.Sprintf("%q %v overlaps box %s %v", a.Line.Text, a.R, b.ID, b.R))
			}
		}
	}
	for i, a := range s.boxes {
		if !a.R.inside(canvas) {
			out = append(out, fmt.Sprintf("box %s %v leaves the canvas", a.ID, a.R))
		}
		if a.ID == "" {
			continue
		}
		for _, b := range s.boxes[i+1:] {
			if b.ID != "" && a.R.overlaps(b.R) {
				out = append(out, fmt.Sprintf("box %s %v overlaps box %s %v", a.ID, a.R, b.ID, b.R))
			}
		}
		// Text must fit inside its box.
		need := 0.0
		for _, l := range a.Lines {
			w, h := s.measure(l)
			need += h
			if w > a.R.W-2*a.Pad+0.5 {
				out = append(out, fmt.Sprintf("%q is wider than box %s", l.Text, a.ID))
			}
		}
		if need > a.R.H+0.5 {
			out = append(out, fmt.Sprintf("the text of box %s is taller than the box", a.ID))
		}
	}
	return out
}
