package render

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"salescoach/coach"
)

// TestWireMatchesMessage holds the hand-encoded slash-command answer equal to
// slack-go's encoding of the same reply.
func TestWireMatchesMessage(t *testing.T) {
	var many []Section
	for i := 0; i < 60; i++ {
		many = append(many, Section{Lines: []Line{T("deal & <co>")}})
	}
	replies := map[string]Reply{
		"Plain":   {Text: "Added #1 Acme & Sons <EU>"},
		"Full":    {Text: "x", Sections: []Section{{Title: "T", Lines: []Line{L("Next", "call <@U1> & co"), T("two")}}}, Note: "note *", Public: true, Actions: []Action{{ID: "next", Label: "Next stage", Value: "1:2", Style: "primary"}, {ID: "won", Label: "Won", Value: "1:2"}}},
		"TooMany": {Text: "list", Sections: many, Note: strings.Repeat("n", 4000)},
	}
	for name, r := range replies {
		t.Run(name, func(t *testing.T) {
			var got, want map[string]any
			if err := json.Unmarshal(r.Wire(), &got); err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(r.Message())
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"response_type", "text", "blocks"} {
				if !reflect.DeepEqual(got[k], want[k]) {
					t.Errorf("%s:\n got %v\nwant %v", k, got[k], want[k])
				}
			}
		})
	}
}

// TestNamesMentionNoOne renders a deal named with Slack's mentions wherever a
// deal name reaches a channel or a person: the nudge, the App Home and a
// shared line show the name as text, and the terminal shows it as typed.
func TestNamesMentionNoOne(t *testing.T) {
	const name = "<!channel> Acme <@U0BOSS> & <#C1|x>"
	const shown = "#1 &lt;!channel&gt; Acme &lt;@U0BOSS&gt; &amp; &lt;#C1|x&gt;"
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	v := Viewer{Caller: coach.Caller{TeamID: "T1", UserID: "UREP", Lang: coach.EN, Currency: "USD", Loc: time.UTC}, Now: now}
	d := coach.Deal{ID: 1, Number: 1, TeamID: "T1", Name: name, OwnerID: "UREP", Stage: coach.Closing, StageSince: now.AddDate(0, 0, -30), CreatedAt: now.AddDate(0, 0, -40)}
	advice := []coach.Advice{{}}
	share := Reply{Text: "<@UREP> shared " + DealTitle(d) + ".", Public: true}
	home, _ := json.Marshal(HomeView(v, Home{Deals: []coach.Deal{d}, Advice: advice, Total: 1}))
	out := map[string]string{"home": unescapeJSON(string(home))}
	for what, r := range map[string]Reply{"nudge": NudgeReply(v, []coach.Deal{d}, advice), "share": share} {
		b, _ := json.Marshal(r.Message())
		out[what] = unescapeJSON(string(b))
		if plain := r.PlainText(); !strings.Contains(plain, "#1 "+name) {
			t.Errorf("%s in a terminal lacks the name as typed:\n%s", what, plain)
		}
	}
	for what, s := range out {
		if !strings.Contains(s, shown) {
			t.Errorf("%s does not show the name as text:\n%s", what, s)
		}
		for _, live := range []string{"<!channel>", "<@U0BOSS>", "<#C1|x>", "\uFDD0"} {
			if strings.Contains(s, live) {
				t.Errorf("%s carries %q:\n%s", what, live, s)
			}
		}
	}
	if !strings.Contains(out["share"], "<@UREP> shared") {
		t.Errorf("the bot's own mention is gone: %s", out["share"])
	}
}

func unescapeJSON(s string) string {
	return strings.NewReplacer(`\u0026`, "&", `\u003c`, "<", `\u003e`, ">").Replace(s)
}
