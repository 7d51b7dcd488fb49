package render

import (
	"encoding/json"
	"fmt"

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
		Title: Plain(title), Submit: Plain(submit), Close: Plain(r.T("Cancel", "取消")),
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
	stage := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, Plain(r.T("Choose a stage", "选择阶段")), "stage", opts...)
	stage.InitialOption = opts[0]
	amount := textInput("amount", r.T("Amount", "金额"), r.T("e.g. 12k, $12,000, 8万, 5000 EUR", "例如 12k、$12,000、8万、5000 EUR"), 40, false, true)
	amount.Hint = Plain(r.T(fmt.Sprintf("Without a currency it is in %s.", r.Caller.Currency), fmt.Sprintf("不写币种时按 %s 计。", r.Caller.Currency)))
	return modal(r, CallbackAdd, r.T("New deal", "新建商机"), r.T("Add", "新建"), meta,
		textInput("name", r.T("Name", "名称"), r.T("e.g. Acme Corp", "例如 Acme Corp"), coach.MaxNameLen, false, false),
		amount,
		slack.NewInputBlock("stage", Plain(r.T("Stage", "阶段")), nil, stage),
	)
}

func LostModal(r Viewer, d coach.Deal, meta ModalMeta) slack.ModalViewRequest {
	lang := r.Lang()
	var opts []*slack.OptionBlockObject
	for _, reason := range coach.LostReasons {
		opts = append(opts, slack.NewOptionBlockObject(string(reason), Plain(reason.Name(lang)), nil))
	}
	reason := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, Plain(r.T("Choose a reason", "选择原因")), "reason", opts...)
	return modal(r, CallbackLost, r.T("Mark as lost", "标记为丢单"), r.T("Save", "保存"), meta,
		slack.NewSectionBlock(Mrkdwn(EscapeMrkdwn(DealTitle(d)+" — "+Describe(r, d))), nil, nil),
		slack.NewInputBlock("reason", Plain(r.T("Why was it lost?", "丢单的原因")), nil, reason),
		textInput("details", r.T("Details", "详细说明"), r.T("What happened, in a sentence or two", "用一两句话说明经过"), coach.MaxNoteLen, true, true),
	)
}

func NoteModal(r Viewer, d coach.Deal, meta ModalMeta) slack.ModalViewRequest {
	return modal(r, CallbackNote, r.T("Add a note", "添加备注"), r.T("Save", "保存"), meta,
		slack.NewSectionBlock(Mrkdwn(EscapeMrkdwn(DealTitle(d)+" — "+Describe(r, d))), nil, nil),
		textInput("note", r.T("Note", "备注"), r.T("e.g. Sent pricing to the CFO; call on Friday", "例如：已把报价发给财务总监，周五回电"), coach.MaxNoteLen, true, false),
	)
}

// DueModal asks for a deal's expected close date, showing the one it has;
// an empty field or "off" clears it.
func DueModal(r Viewer, d coach.Deal, meta ModalMeta) slack.ModalViewRequest {
	in := textInput("close_date", r.T("Expected close date", "预计成交日期"), r.T("e.g. 2026-12-20, 3w, friday", "例如 2026-12-20、3w、周五"), 40, false, true)
	if !d.CloseDate.IsZero() {
		in.Element.(*slack.PlainTextInputBlockElement).InitialValue = d.CloseDate.Format(coach.DayLayout)
	}
	in.Hint = Plain(r.T("Empty or off clears it. A later date than before counts as a slip.", "留空或填 off 即清除。比原来晚的日期算一次推迟。"))
	return modal(r, CallbackDue, r.T("Close date", "预计成交日期"), r.T("Save", "保存"), meta,
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
