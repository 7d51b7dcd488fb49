package render

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"salescoach/coach"
)

// Reply is what the bot answers. The same reply renders as Block Kit for Slack
// and as plain text for the console.
type Reply struct {
	Text     string    // what happened, in one line; also Slack's notification text
	Sections []Section // the body
	Actions  []Action  // buttons, shown in Slack only
	Note     string    // small print at the end
	Public   bool      // post in the channel instead of to the requester only
	Failed   bool      // the reply reports an error; nothing changed
	Silent   bool      // nothing to post: the answer is a modal, Slack gets an empty 200
	// Saved says the reply follows a change that was saved: when it cannot
	// be shown where the person acted, they are still told (Text says what).
	Saved bool
}

// Section is a block of the body: an optional bold title and lines.
type Section struct {
	Title string
	Lines []Line
}

// Line is a line of a section, with an optional bold label before its text.
type Line struct {
	Label string
	Text  string
}

// Action is a button.
type Action struct {
	ID    string // action_id
	Label string
	Value string
	Style string // "primary", "danger" or ""
}

// L returns a labelled line.
func L(label, text string) Line { return Line{Label: label, Text: text} }

// T returns an unlabelled line.
func T(text string) Line { return Line{Text: text} }

// Fail returns a reply reporting a user error.
func Fail(msg string) Reply { return Reply{Text: msg, Failed: true} }

// Slack limits (https://api.slack.com/reference/block-kit/blocks).
const (
	maxBlocksMessage = 50
	MaxSectionText   = 3000
)

var mention = regexp.MustCompile(`<@[UW][A-Z0-9]+(\|[^<>]*)?>`)

// slackRef matches what escapeMrkdwn keeps: user mentions and channel links
// (<#C123>).
var slackRef = regexp.MustCompile(`<(@[UW]|#[CGD])[A-Z0-9]+(\|[^<>]*)?>`)

// EscapeMrkdwn escapes &, < and > in text for Slack, keeping user mentions
// (<@U123>) and channel links (<#C123>) working and making the links a note
// keeps ([label](url)) clickable: coach.ToSlack.
func EscapeMrkdwn(s string) string { return coach.ToSlack(s) }

// The replacers are built once: building one costs far more than using it.
var (
	slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", coach.NameText("<"), "&lt;")
)

func escapeAll(s string) string { return slackEscaper.Replace(s) }

// PlainMentions renders <@U123|bob> as @bob, <@U123> as @U123 and <#C123>
// as #C123, and a note's links as "label (url)".
func PlainMentions(s string) string {
	// Mentions first: a deal name's "<" (NameText) is not one until ToPlain.
	return coach.ToPlain(slackRef.ReplaceAllStringFunc(s, func(m string) string {
		sigil, inner := m[1:2], m[2:len(m)-1]
		if i := strings.IndexByte(inner, '|'); i >= 0 {
			return sigil + inner[i+1:]
		}
		return sigil + inner
	}))
}

// Truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// PlainText renders the reply for a terminal.
func (r Reply) PlainText() string {
	var b strings.Builder
	b.WriteString(PlainMentions(r.Text))
	for _, s := range r.Sections {
		b.WriteString("\n")
		if s.Title != "" {
			b.WriteString("\n" + PlainMentions(s.Title))
		}
		for _, l := range s.Lines {
			b.WriteString("\n")
			if l.Label != "" {
				b.WriteString(PlainMentions(l.Label) + colon(l.Label))
			}
			b.WriteString(PlainMentions(l.Text))
		}
	}
	if r.Note != "" {
		b.WriteString("\n\n" + PlainMentions(r.Note))
	}
	return b.String()
}

// colon is what follows a label: a full-width colon after Chinese (and no
// space), ": " otherwise.
func colon(label string) string {
	r, _ := utf8.DecodeLastRuneInString(label)
	if unicode.Is(unicode.Han, r) || strings.ContainsRune("”）", r) {
		return "："
	}
	return ": "
}

func (s Section) Mrkdwn() string {
	var b strings.Builder
	if s.Title != "" {
		b.WriteString("*" + EscapeMrkdwn(s.Title) + "*")
	}
	for _, l := range s.Lines {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		if l.Label != "" {
			if c := colon(l.Label); c == "：" {
				b.WriteString("*" + EscapeMrkdwn(l.Label) + "：*")
			} else {
				b.WriteString("*" + EscapeMrkdwn(l.Label) + ":* ")
			}
		}
		b.WriteString(EscapeMrkdwn(l.Text))
	}
	return Truncate(b.String(), MaxSectionText)
}

// fitted returns the sections that fit in one message beside the text, the
// buttons and the note, keeping a block for the count of those dropped.
func (r Reply) fitted() (sections []Section, dropped int) {
	room := maxBlocksMessage - 1 // the text
	if len(r.Actions) > 0 {
		room--
	}
	if r.Note != "" {
		room--
	}
	if len(r.Sections) <= room {
		return r.Sections, 0
	}
	return r.Sections[:room-1], len(r.Sections) - (room - 1)
}

// Blocks renders the reply as Block Kit within Slack's limits of a message:
// sections past the limit are dropped with a note saying how many.
func (r Reply) Blocks() []slack.Block {
	text := func(s string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
	}
	blocks := []slack.Block{slack.NewSectionBlock(text(Truncate(EscapeMrkdwn(r.Text), MaxSectionText)), nil, nil)}
	sections, dropped := r.fitted()
	for _, s := range sections {
		blocks = append(blocks, slack.NewSectionBlock(text(s.Mrkdwn()), nil, nil))
	}
	if dropped > 0 {
		blocks = append(blocks, slack.NewContextBlock("", text(fmt.Sprintf("+%d …", dropped))))
	}
	if len(r.Actions) > 0 {
		blocks = append(blocks, ActionsBlock("actions", r.Actions))
	}
	if r.Note != "" {
		blocks = append(blocks, slack.NewContextBlock("note", text(Truncate(EscapeMrkdwn(r.Note), MaxSectionText))))
	}
	return blocks
}

// Message renders the reply as a slash-command response.
func (r Reply) Message() slack.Msg {
	rt := slack.ResponseTypeEphemeral
	if r.Public {
		rt = slack.ResponseTypeInChannel
	}
	return slack.Msg{
		ResponseType: rt,
		Text:         Truncate(EscapeMrkdwn(r.Text), MaxSectionText),
		Blocks:       slack.Blocks{BlockSet: r.Blocks()},
	}
}

// ActionsBlock renders buttons as an actions block.
func ActionsBlock(blockID string, acts []Action) *slack.ActionBlock {
	var els []slack.BlockElement
	for _, a := range acts {
		btn := slack.NewButtonBlockElement(a.ID, a.Value, slack.NewTextBlockObject(slack.PlainTextType, a.Label, false, false))
		btn.Style = slack.Style(a.Style)
		els = append(els, btn)
	}
	return slack.NewActionBlock(blockID, els...)
}

// Wire returns the reply as a slash-command response, encoded. Its blocks
// are Blocks', encoded by slack-go: there is one Block Kit encoder.
func (r Reply) Wire() json.RawMessage {
	m := r.Message()
	// The block slice itself, not slack.Blocks: its MarshalJSON encodes the
	// same slice, which encoding/json then reads through once more to check
	// and compact it.
	b, err := json.Marshal(struct {
		ResponseType string        `json:"response_type"`
		Text         string        `json:"text"`
		Blocks       []slack.Block `json:"blocks"`
	}{m.ResponseType, m.Text, m.Blocks.BlockSet})
	if err != nil { // plain strings and slack-go's blocks: cannot happen
		panic(err)
	}
	return b
}

// Bilingual returns err's message in English and in Chinese, for a reply to
// someone whose language is not known.
func Bilingual(err error) string {
	return ErrorMessage(err, coach.EN) + "\n" + ErrorMessage(err, coach.ZH)
}
