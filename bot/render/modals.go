package render

import (
	"encoding/json"

	"github.com/slack-go/slack"

	"salescoach/coach"
)

// The modals: a new deal (/deal add with no text, or the App Home's button),
// a lost deal's reason, and a note. Each carries in its private_metadata the
// deal and the version it was opened for and where its result goes.
const (
	CallbackAdd  = "deal_add"
	CallbackLost = "deal_lost"
	CallbackNote = "deal_note"
	CallbackDue  = "deal_due"
)

// ModalMeta is a modal's private_metadata.
type ModalMeta struct {
	Deal    int64 `json:"deal,omitempty"`
	Version int64 `json:"v,omitempty"`
	Origin
}

func (m ModalMeta) String() string {
	b, _ := json.Marshal(m)
	return string(b)
}

func Plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}

func Mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}

func modal(r Viewer, callback, title, submit string, meta ModalMeta, blocks ...slack.Block) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: callback, PrivateMetadata: meta.String(),
		Title: Plain(title), Submit: Plain(submit), Close: Plain(r.Msg("modal.cancel", nil)),
		Blocks: slack.Blocks{BlockSet: blocks},
	}
}

func textInput(blockID, label, placeholder string, maxLen int, multiline, optional bool) *slack.InputBlock {
	el := slack.NewPlainTextInputBlockElement(Plain(placeholder), blockID)
	el.MaxLength, el.Multiline = maxLen, multiline
	b := slack.NewInputBlock(blockID, Plain(label), nil, el)
	b.Optional = optional
	return b
}

func AddModal(r Viewer, meta ModalMeta) slack.ModalViewRequest {
	lang := r.Lang()
	var opts []*slack.OptionBlockObject
	for _, s := range coach.OpenStages {
		opts = append(opts, slack.NewOptionBlockObject(string(s), Plain(s.Name(lang)), nil))
	}
	stage := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, Plain(r.Msg("modal.choose_a_stage", nil)), "stage", opts...)
	stage.InitialOption = opts[0]
	amount := textInput("amount", r.Msg("modal.amount", nil), r.Msg("modal.amount_example", nil), 40, false, true)
	amount.Hint = Plain(r.Msg("modal.amount_hint", coach.Args{"currency": r.Caller.Currency}))
	return modal(r, CallbackAdd, r.Msg("modal.new_deal", nil), r.Msg("modal.add", nil), meta,
		textInput("name", r.Msg("modal.name", nil), r.Msg("modal.name_example", nil), coach.MaxNameLen, false, false),
		amount,
		slack.NewInputBlock("stage", Plain(r.Msg("modal.stage", nil)), nil, stage),
	)
}

func LostModal(r Viewer, d coach.Deal, meta ModalMeta) slack.ModalViewRequest {
	lang := r.Lang()
	var opts []*slack.OptionBlockObject
	for _, reason := range coach.LostReasons {
		opts = append(opts, slack.NewOptionBlockObject(string(reason), Plain(reason.Name(lang)), nil))
	}
	reason := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, Plain(r.Msg("modal.choose_a_reason", nil)), "reason", opts...)
	return modal(r, CallbackLost, r.Msg("modal.mark_as_lost", nil), r.Msg("modal.save", nil), meta,
		slack.NewSectionBlock(Mrkdwn(EscapeMrkdwn(DealTitle(d)+" — "+Describe(r, d))), nil, nil),
		slack.NewInputBlock("reason", Plain(r.Msg("modal.why_was_it_lost", nil)), nil, reason),
		textInput("details", r.Msg("modal.details", nil), r.Msg("modal.details_example", nil), coach.MaxNoteLen, true, true),
	)
}

func NoteModal(r Viewer, d coach.Deal, meta ModalMeta) slack.ModalViewRequest {
	return modal(r, CallbackNote, r.Msg("modal.add_a_note", nil), r.Msg("modal.save", nil), meta,
		slack.NewSectionBlock(Mrkdwn(EscapeMrkdwn(DealTitle(d)+" — "+Describe(r, d))), nil, nil),
		textInput("note", r.Msg("modal.note", nil), r.Msg("modal.note_example", nil), coach.MaxNoteLen, true, false),
	)
}

// DueModal asks for a deal's expected close date, showing the one it has;
// an empty field or "off" clears it.
func DueModal(r Viewer, d coach.Deal, meta ModalMeta) slack.ModalViewRequest {
	in := textInput("close_date", r.Msg("modal.expected_close_date", nil), r.Msg("modal.due_example", nil), 40, false, true)
	if !d.CloseDate.IsZero() {
		in.Element.(*slack.PlainTextInputBlockElement).InitialValue = d.CloseDate.Format(coach.DayLayout)
	}
	in.Hint = Plain(r.Msg("modal.empty_or_off_clears", nil))
	return modal(r, CallbackDue, r.Msg("modal.close_date", nil), r.Msg("modal.save", nil), meta,
		slack.NewSectionBlock(Mrkdwn(EscapeMrkdwn(DealTitle(d)+" — "+Describe(r, d))), nil, nil),
		in,
	)
}

// Origin is where an interaction began, and so where its result goes: a
// message (answered through its response_url) or the App Home tab (published
// again with the result on top).
type Origin struct {
	ResponseURL string `json:"url,omitempty"`
	Home        bool   `json:"home,omitempty"`
}
