package picture

import (
	"testing"

	"salescoach/coach"
)

// The benchmarks measure one picture each, drawn and encoded as PNG; the
// digest draws a flowchart and a trend per team. Run them with
// go test ./picture -run '^$' -bench . -benchmem.

func BenchmarkFlow(b *testing.B) {
	f := fixtureFlow()
	for b.Loop() {
		if _, err := f.PNG(coach.EN); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBlueprint(b *testing.B) {
	bp := fixtureDeal(coach.ZH)
	for b.Loop() {
		if _, err := bp.PNG(coach.ZH); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTrend(b *testing.B) {
	t := fixtureTrend()
	for b.Loop() {
		if _, err := t.PNG(coach.EN); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDigestPictures is what one team's weekly digest draws.
func BenchmarkDigestPictures(b *testing.B) {
	f, t := fixtureFlow(), fixtureTrend()
	for b.Loop() {
		if _, err := f.PNG(coach.EN); err != nil {
			b.Fatal(err)
		}
		if _, err := t.PNG(coach.EN); err != nil {
			b.Fatal(err)
		}
	}
}
