package render

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
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
