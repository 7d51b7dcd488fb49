package coach

import (
	"strings"
	"testing"
	"time"
)

func TestDescribe(t *testing.T) {
	cents := func(c int64) *int64 { return &c }
	until := time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		e        Event
		what, zh string
		done     string
	}{
		{Event{Kind: EvEdit, Fields: Fields{AmountCents: cents(1500000), Currency: "USD",
			Prev: &Fields{AmountCents: cents(1000000), Currency: "USD"}}},
			"the amount change from $10,000 to $15,000", "金额从 $10,000 改为 $15,000", "Amount set to $15,000"},
		{Event{Kind: EvEdit, Fields: Fields{AmountCents: cents(1500000), Currency: "USD"}},
			"the amount change to $15,000", "金额改为 $15,000", "Amount set to $15,000"},
		{Event{Kind: EvEdit, Fields: Fields{Name: "Globex Ltd"}}, "the rename to Globex Ltd", "改名为 Globex Ltd", "Renamed: Globex Ltd"},
		{Event{Kind: EvMove, Entry: Presentation}, "the move to Presentation", "移到" + Presentation.Name(ZH), "Moved to Presentation"},
		{Event{Kind: EvLost, Entry: Lost, Reason: ReasonPrice}, "marking it lost (" + ReasonPrice.Name(EN) + ")", "", ""},
		{Event{Kind: EvNote, Text: "see [the deck](https://acme.io/d)"}, "the note “see the deck (https://acme.io/d)”", "", ""},
		{Event{Kind: EvPause, Fields: Fields{Until: &until}, Text: "budget"}, "the pause until 2026-12-10", "", "Paused until 2026-12-10: budget"},
		{Event{Kind: EvAssign, Fields: Fields{Owner: "U2"}}, "handing it to <@U2>", "", ""},
	}
	for _, tt := range tests {
		got := Describe(tt.e, EN)
		if got.What != tt.what || (tt.done != "" && got.Done != tt.done) {
			t.Errorf("Describe(%s) = %+v; want %q, %q", tt.e.Kind, got, tt.what, tt.done)
		}
		zh := Describe(tt.e, ZH).What
		if tt.zh != "" && zh != tt.zh {
			t.Errorf("Describe(%s) in Chinese = %q; want %q", tt.e.Kind, zh, tt.zh)
		}
		if tt.e.Kind != EvNote && strings.Contains(zh, "the ") {
			t.Errorf("Describe(%s) in Chinese = %q: English left in it", tt.e.Kind, zh)
		}
	}
}
