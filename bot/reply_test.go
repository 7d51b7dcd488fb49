package bot

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"
)

func blockTexts(t *testing.T, blocks []slack.Block) []string {
	t.Helper()
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	var bs []struct {
		Type string `json:"type"`
		Text struct {
			Text string `json:"text"`
		} `json:"text"`
		Elements []struct {
			Text string `json:"text"`
		} `json:"elements"`
	}
	json.Unmarshal(raw, &bs)
	var out []string
	for _, b := range bs {
		out = append(out, b.Text.Text)
		for _, e := range b.Elements {
			out = append(out, e.Text)
		}
	}
	return out
}

func TestReplyWithinMessageLimits(t *testing.T) {
	long := strings.Repeat("长文本 ", 1500) // 6,000 characters, 15,000 bytes
	tests := []struct {
		name    string
		reply   Reply
		blocks  int
		dropped string
	}{
		{"FewSections", Reply{Text: "ok", Sections: make([]Section, 3), Actions: []Action{{ID: "a", Label: "A"}}, Note: "n"}, 6, ""},
		{"ExactlyFits", Reply{Text: "ok", Sections: make([]Section, 49)}, 50, ""},
		{"TooManySections", Reply{Text: "ok", Sections: make([]Section, 80), Actions: []Action{{ID: "a", Label: "A"}}, Note: "n"}, 50, "+34 …"},
		{"LongText", Reply{Text: long, Sections: []Section{{Title: long, Lines: []Line{L(long, long)}}}, Note: long}, 3, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := range tt.reply.Sections {
				if tt.reply.Sections[i].Title == "" {
					tt.reply.Sections[i].Title = fmt.Sprintf("section %d", i)
				}
			}
			blocks := tt.reply.Blocks()
			if len(blocks) != tt.blocks {
				t.Errorf("%d blocks, want %d", len(blocks), tt.blocks)
			}
			texts := blockTexts(t, blocks)
			for _, s := range texts {
				if utf8.RuneCountInString(s) > maxSectionText || len(s) > maxSectionText {
					t.Errorf("a text of %d bytes, Slack allows %d characters", len(s), maxSectionText)
				}
				if !utf8.ValidString(s) {
					t.Error("a cut split a character")
				}
			}
			joined := strings.Join(texts, "\n")
			if tt.dropped != "" && !strings.Contains(joined, tt.dropped) {
				t.Errorf("no note %q saying sections were left out", tt.dropped)
			}
			if tt.name == "LongText" && !strings.Contains(joined, "…") {
				t.Error("a cut text is not marked")
			}
			if m := tt.reply.Message(); len(m.Text) > maxSectionText {
				t.Errorf("fallback text of %d bytes", len(m.Text))
			}
		})
	}
}

func TestUserTextEscapedForMrkdwn(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Acme <!channel> & Sons", "Acme &lt;!channel&gt; &amp; Sons"},
		{"<https://evil.example|click me>", "&lt;https://evil.example|click me&gt;"},
		{"ask <@U0123ABC|bob> & <@W99>", "ask <@U0123ABC|bob> &amp; <@W99>"},
		{"already &amp; escaped", "already &amp;amp; escaped"},
		{"华为 *bold* _it_", "华为 *bold* _it_"},
	}
	for _, tt := range tests {
		if got := escapeMrkdwn(tt.in); got != tt.want {
			t.Errorf("escapeMrkdwn(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
