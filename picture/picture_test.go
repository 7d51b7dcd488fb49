package picture

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font/opentype"

	"salescoach/coach"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./picture -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./picture -update rewrites it after a deliberate change):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// checkPNG decodes a picture and checks it is wide enough to read and not
// blank; with PICTURE_OUT set it also writes it there, to look at.
func checkPNG(t *testing.T, name string, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s does not decode as PNG: %v", name, err)
	}
	if w := img.Bounds().Dx(); w < 800 {
		t.Errorf("%s is %d px wide, want at least 800", name, w)
	}
	if ink := inkShare(img, img.Bounds()); ink < 0.01 {
		t.Errorf("%s is blank: %.4f of its pixels are not white", name, ink)
	}
	if dir := os.Getenv("PICTURE_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return img
}

// inkShare returns the share of the pixels in r that are not near white.
func inkShare(img image.Image, r image.Rectangle) float64 {
	r = r.Intersect(img.Bounds())
	if r.Empty() {
		return 0
	}
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c, g, b, _ := img.At(x, y).RGBA()
			if c < 0xd000 || g < 0xd000 || b < 0xd000 {
				n++
			}
		}
	}
	return float64(n) / float64(r.Dx()*r.Dy())
}

// checkLayout fails on labels that overlap or leave the picture.
func checkLayout(t *testing.T, s *scene) {
	t.Helper()
	for _, c := range s.collisions() {
		t.Error(c)
	}
}

func f64(v float64) *float64 { return &v }

var (
	fixFrom = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	fixTo   = time.Date(2026, 4, 6, 0, 0, 0, 0, time.UTC)
)

// fixtureFlow is a team whose deals skip a stage, loop back twice and are
// lost at two stages.
func fixtureFlow() Flow {
	st := func(s coach.Stage, visits, open int, median float64, conv *float64) coach.StageStats {
		return coach.StageStats{Stage: s, CompletedVisits: visits, OpenNow: open, MedianDays: f64(median), P90Days: f64(median * 2), Conversion: conv}
	}
	return Flow{
		Team: "T0FIXTURE", From: fixFrom, To: fixTo,
		Stages: []coach.StageStats{
			st(coach.Prospecting, 24, 5, 3.1, f64(0.8)),
			st(coach.Contact, 20, 3, 4.5, f64(0.75)),
			st(coach.Qualification, 14, 4, 6.0, f64(0.7)),
			st(coach.Presentation, 12, 2, 8.25, nil),
			st(coach.Objections, 11, 3, 12.5, f64(0.5)),
			st(coach.Closing, 3, 1, 5.0, f64(0.6667)),
		},
		Moves: []coach.Transition{
			{From: coach.Prospecting, To: coach.Contact, Count: 18},
			{From: coach.Prospecting, To: coach.Lost, Count: 4},
			{From: coach.Contact, To: coach.Qualification, Count: 12},
			{From: coach.Contact, To: coach.Presentation, Count: 3}, // a skip
			{From: coach.Qualification, To: coach.Presentation, Count: 10},
			{From: coach.Presentation, To: coach.Objections, Count: 9},
			{From: coach.Presentation, To: coach.Qualification, Count: 2}, // a loop back
			{From: coach.Objections, To: coach.Closing, Count: 4},
			{From: coach.Objections, To: coach.Presentation, Count: 3}, // a loop back
			{From: coach.Objections, To: coach.Lost, Count: 3},
			{From: coach.Closing, To: coach.Won, Count: 3},
			{From: coach.Lost, To: coach.Contact, Count: 1}, // a reopen
		},
		Won: 3, Lost: 7,
		Bottleneck: coach.Objections,
	}
}

// TestFlowCountsDeals: the outcome boxes say how many deals were won and lost
// in the window as the report counts them, not how many moves went there (a
// deal won, reopened and won again is one win; one won and then reopened is
// not closed at all).
func TestFlowCountsDeals(t *testing.T) {
	rep := coach.Report{From: fixFrom, To: fixTo, WinRate: coach.WinRate{Won: 2, Lost: 5}}
	rep.Stages = fixtureFlow().Stages
	f := FlowOf("T0FIXTURE", rep, fixtureFlow().Moves, time.UTC)
	s, err := f.scene(coach.EN)
	if err != nil {
		t.Fatal(err)
	}
	d := s.describe()
	for _, want := range []string{`"2 deals"`, `"Lost: 5 deals`, "Arrows: moves between stages"} {
		if !strings.Contains(d, want) {
			t.Errorf("the flowchart does not say %s:\n%s", want, d)
		}
	}
	if strings.Contains(d, `"3 deals"`) || strings.Contains(d, "Lost: 7 deals") {
		t.Errorf("the flowchart counts moves as deals:\n%s", d)
	}
}

func TestFlow(t *testing.T) {
	for _, lang := range []coach.Lang{coach.EN, coach.ZH} {
		t.Run(string(lang), func(t *testing.T) {
			f := fixtureFlow()
			s, err := f.scene(lang)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "flow-"+string(lang)+".golden", s.describe())
			checkLayout(t, s)
			b, err := f.PNG(lang)
			if err != nil {
				t.Fatal(err)
			}
			checkPNG(t, "flow-"+string(lang)+".png", b)
		})
	}
}

func TestFlowWithoutMoves(t *testing.T) {
	f := Flow{Team: "T0EMPTY", From: fixFrom, To: fixTo}
	s, err := f.scene(coach.EN)
	if err != nil {
		t.Fatal(err)
	}
	if d := s.describe(); !strings.Contains(d, "No deal changed stage") || strings.Contains(d, "path ") {
		t.Errorf("an empty window should say so and draw no arrows:\n%s", d)
	}
	checkLayout(t, s)
	b, err := f.PNG(coach.EN)
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, "flow-empty.png", b)
}

// TestFlowWindow names the window in weeks when it is whole weeks (/coach
// flow) and in days otherwise (the digest's 90 days).
func TestFlowWindow(t *testing.T) {
	for _, tt := range []struct {
		days int
		want string
	}{{91, "(13 weeks)"}, {28, "(4 weeks)"}, {90, "(90 days)"}} {
		f := Flow{Team: "T0FIXTURE", From: fixTo.AddDate(0, 0, -tt.days), To: fixTo}
		s, err := f.scene(coach.EN)
		if err != nil {
			t.Fatal(err)
		}
		if d := s.describe(); !strings.Contains(d, tt.want) {
			t.Errorf("%d days: the subtitle does not say %s:\n%s", tt.days, tt.want, d)
		}
	}
}

// TestChineseRenders draws 中文 in a node and finds the ink of real glyphs
// inside it: the embedded font has both characters, each leaves ink in the
// box, and they differ (a missing glyph would draw the same empty box twice).
func TestChineseRenders(t *testing.T) {
	fs, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	draw := func(text string) (image.Image, rect) {
		s, err := newScene(900, 300)
		if err != nil {
			t.Fatal(err)
		}
		b := &box{ID: "node", R: rect{300, 100, 300, 100}, Style: style{Fill: stageFill, Stroke: stageLine, Width: 2, Radius: 12},
			Lines: []line{{Text: text, Size: 60, Bold: true}}}
		s.boxes = append(s.boxes, b)
		png, err := s.render()
		if err != nil {
			t.Fatal(err)
		}
		return checkPNG(t, "cjk-"+text+".png", png), b.R
	}
	var imgs []image.Image
	for _, ch := range []string{"中", "文"} {
		for _, f := range []struct {
			name string
			font *opentype.Font
		}{{"regular", fs.regular}, {"bold", fs.bold}} {
			if i, err := f.font.GlyphIndex(nil, []rune(ch)[0]); err != nil || i == 0 {
				t.Errorf("the %s font has no glyph for %s", f.name, ch)
			}
		}
		img, r := draw(ch)
		inner := image.Rect(int(r.X)+6, int(r.Y)+6, int(r.right())-6, int(r.bottom())-6)
		if ink := inkShare(img, inner); ink < 0.02 {
			t.Errorf("%s left %.3f ink inside its node, want at least 0.02", ch, ink)
		}
		imgs = append(imgs, img)
	}
	same := true
	b := imgs[0].Bounds()
	for y := b.Min.Y; y < b.Max.Y && same; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if imgs[0].At(x, y) != imgs[1].At(x, y) {
				same = false
				break
			}
		}
	}
	if same {
		t.Error("中 and 文 drew the same pixels: the font fell back to a placeholder glyph")
	}
	img, r := draw("中文")
	if ink := inkShare(img, image.Rect(int(r.X)+6, int(r.Y)+6, int(r.right())-6, int(r.bottom())-6)); ink < 0.04 {
		t.Errorf("中文 left %.3f ink inside its node", ink)
	}
}

// fixtureDeal is a deal that skipped a stage, looped back from objections,
// stayed too long in presentation and was lost.
func fixtureDeal(lang coach.Lang) Blueprint {
	t0 := time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC)
	at := func(days float64) time.Time { return t0.Add(time.Duration(days * 24 * float64(time.Hour))) }
	id := int64(0)
	ev := func(days float64, kind coach.EventKind, entry coach.Stage, text string, f coach.Fields) coach.Event {
		id++
		return coach.Event{ID: id, DealID: 1, Kind: kind, Entry: entry, Text: text, Fields: f, ActorID: "U1", At: at(days)}
	}
	cents := int64(4_500_000)
	events := []coach.Event{
		ev(0, coach.EvCreate, coach.Contact, "", coach.Fields{Name: "Acme Corp", Owner: "U1", Currency: "USD"}),
		ev(1, coach.EvNote, "", "First call with Dana (Head of Ops): 3 people re-key orders by hand every day", coach.Fields{}),
		ev(2, coach.EvCheck, "", "", coach.Fields{Criterion: "meeting", Stage: coach.Contact}),
		ev(3, coach.EvMove, coach.Presentation, "", coach.Fields{}), // skips qualification
		ev(4, coach.EvNote, "", "Demo for Dana and two team leads; sent the recap and a draft action plan", coach.Fields{}),
		ev(5, coach.EvEdit, "", "", coach.Fields{AmountCents: &cents, Currency: "USD"}),
		ev(19, coach.EvMove, coach.Objections, "", coach.Fields{}),
		ev(20, coach.EvNote, "", "CFO says the price is above budget; prepared a phased quote internally", coach.Fields{}),
		ev(24, coach.EvMove, coach.Presentation, "", coach.Fields{}), // loops back
		ev(26, coach.EvNote, "", "客户要求再做一次演示，重点讲报表", coach.Fields{}),
		ev(30, coach.EvMove, coach.Objections, "", coach.Fields{}),
		ev(33, coach.EvLost, coach.Lost, "chose a cheaper tool", coach.Fields{}),
	}
	events[len(events)-1].Reason = coach.ReasonPrice
	p90 := 9.5
	rep := &coach.Report{Stages: []coach.StageStats{
		{Stage: coach.Contact, CompletedVisits: 15, P90Days: f64(6)},
		{Stage: coach.Presentation, CompletedVisits: 14, P90Days: &p90},
		{Stage: coach.Objections, CompletedVisits: 4, P90Days: f64(3)}, // too few visits to judge by
	}}
	d := coach.Deal{ID: 1, Number: 12, Name: "Acme Corp", OwnerID: "U1", HasAmount: true,
		Amount: coach.Money{Cents: cents, Currency: "USD"}, Status: coach.StatusLost, Stage: coach.Objections, StageSince: at(33)}
	return Blueprint{Team: "T0FIXTURE", DealBlueprint: coach.Blueprint(d, events, rep, at(40), lang)}
}

func TestBlueprint(t *testing.T) {
	for _, lang := range []coach.Lang{coach.EN, coach.ZH} {
		t.Run(string(lang), func(t *testing.T) {
			b := fixtureDeal(lang)
			s, err := b.scene(lang)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "blueprint-"+string(lang)+".golden", s.describe())
			checkLayout(t, s)
			png, err := b.PNG(lang)
			if err != nil {
				t.Fatal(err)
			}
			checkPNG(t, "blueprint-"+string(lang)+".png", png)
		})
	}
}

// TestBlueprintLongDeal draws the latest stays of a deal with more than fit
// and says how many earlier ones are left out.
func TestBlueprintLongDeal(t *testing.T) {
	for _, tt := range []struct {
		extra int
		want  string
	}{
		{2, "The earliest stay is not shown."},
		{4, "The 3 earliest stays are not shown."},
	} {
		t.Run(fmt.Sprint(tt.extra), func(t *testing.T) {
			b := fixtureDeal(coach.EN)
			b.Columns = append(b.Columns[:len(b.Columns):len(b.Columns)], b.Columns[:tt.extra]...)
			s, err := b.scene(coach.EN)
			if err != nil {
				t.Fatal(err)
			}
			var sub, stays []string
			for _, x := range s.texts {
				if x.ID == "subtitle" {
					sub = append(sub, x.Line.Text)
				}
			}
			for _, x := range s.boxes {
				if x.Kind == "stay" {
					stays = append(stays, x.ID)
				}
			}
			if got := strings.Join(sub, " "); !strings.Contains(got, tt.want) {
				t.Errorf("subtitle %q does not say %q", got, tt.want)
			}
			if len(stays) != bpMaxCols {
				t.Errorf("drew %d stays, want the latest %d: %v", len(stays), bpMaxCols, stays)
			}
			checkLayout(t, s)
		})
	}
}

// TestBlueprintFailPointReadsLonger: a stay past its p90 never reads as long
// as it; whole days that would say so give way to a decimal.
func TestBlueprintFailPointReadsLonger(t *testing.T) {
	b := fixtureDeal(coach.EN)
	c := &b.Columns[1] // the first stay in presentation, a fail point
	c.Days, c.P90 = 14.2, f64(13.8)
	s, err := b.scene(coach.EN)
	if err != nil {
		t.Fatal(err)
	}
	d := s.describe()
	if !strings.Contains(d, `"14.2 d" / "9 in 10 within 13.8 d" / "⚠ fail point"`) {
		t.Errorf("the fail point should read 14.2 d against 13.8 d:\n%s", d)
	}
}

// fixtureTrend is twelve weeks of won deals: some weeks with none, some with
// too few for a median to mean much.
func fixtureTrend() Trend {
	ns := []int{0, 2, 6, 5, 0, 1, 7, 5, 3, 8, 6, 4}
	medians := []float64{0, 41, 38.5, 44, 0, 29, 36, 39.25, 52, 35, 33.5, 31}
	var weeks []coach.WeekCycle
	start := fixTo.AddDate(0, 0, -7*len(ns))
	rn := 0
	for i, n := range ns {
		w := coach.WeekCycle{Start: start.AddDate(0, 0, 7*i), End: start.AddDate(0, 0, 7*(i+1)), N: n}
		if n > 0 {
			w.Median = f64(medians[i])
		}
		rn += n
		if i >= 4 {
			rn -= ns[i-4]
		}
		w.RollingN = rn
		if rn > 0 {
			w.Rolling = f64(37 - float64(i)/2)
		}
		weeks = append(weeks, w)
	}
	return Trend{Team: "T0FIXTURE", Weeks: weeks}
}

func TestTrend(t *testing.T) {
	for _, lang := range []coach.Lang{coach.EN, coach.ZH} {
		t.Run(string(lang), func(t *testing.T) {
			tr := fixtureTrend()
			s, err := tr.scene(lang)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "trend-"+string(lang)+".golden", s.describe())
			checkLayout(t, s)
			png, err := tr.PNG(lang)
			if err != nil {
				t.Fatal(err)
			}
			checkPNG(t, "trend-"+string(lang)+".png", png)
		})
	}
	t.Run("ValleyLabelsBelow", func(t *testing.T) {
		s, err := fixtureTrend().scene(coach.EN)
		if err != nil {
			t.Fatal(err)
		}
		var labels []*text
		for _, x := range s.texts {
			if x.ID == "median" {
				labels = append(labels, x)
			}
		}
		// The fixture's weeks with a median, one label and dot each, in
		// order: the line rises on both sides of 38.5 (41, 44), of 29 (no
		// median before it, 36) and of the last week's 31 (33.5).
		want := []string{"above", "below", "above", "below", "above", "above", "above", "above", "above", "below"}
		if len(labels) != len(want) {
			t.Fatalf("%d median labels, want %d", len(labels), len(want))
		}
		for i, l := range labels {
			got := "above"
			if l.R.Y > s.dots[i].C.Y {
				got = "below"
			}
			if got != want[i] {
				t.Errorf("label %d (%s) is %s its dot, want %s", i, l.Line.Text, got, want[i])
			}
		}
	})
	t.Run("NoWins", func(t *testing.T) {
		tr := fixtureTrend()
		for i := range tr.Weeks {
			tr.Weeks[i].N, tr.Weeks[i].Median, tr.Weeks[i].RollingN, tr.Weeks[i].Rolling = 0, nil, 0, nil
		}
		s, err := tr.scene(coach.EN)
		if err != nil {
			t.Fatal(err)
		}
		if d := s.describe(); !strings.Contains(d, "No deal was won") || strings.Contains(d, "text median") {
			t.Errorf("weeks without wins should say so and draw no medians:\n%s", d)
		}
		checkLayout(t, s)
	})
}
