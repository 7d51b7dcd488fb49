package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"salescoach/coach"
)

// The modals: a new deal (/deal add with no text, or the App Home's button),
// a lost deal's reason, and a note. Each carries in its private_metadata the
// deal and the version it was opened for and where its result goes.
const (
	cbAdd  = "deal_add"
	cbLost = "deal_lost"
	cbNote = "deal_note"
)

// modalMeta is a modal's private_metadata.
type modalMeta struct {
	Deal    int64 `json:"deal,omitempty"`
	Version int64 `json:"v,omitempty"`
	origin
}

func (m modalMeta) String() string {
	b, _ := json.Marshal(m)
	return string(b)
}

// viewOpenTimeout keeps views.open inside the trigger_id's 3 seconds.
const viewOpenTimeout = 2500 * time.Millisecond

var errNoTrigger = errors.New("no trigger_id: a modal can only answer a click or a slash command")

// openView opens a modal in answer to the request's trigger.
func (a *App) openView(ctx context.Context, r *Request, view slack.ModalViewRequest) error {
	if r.TriggerID == "" {
		return errNoTrigger
	}
	client, err := a.slack.Client(ctx, r.TeamID)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, viewOpenTimeout)
	defer cancel()
	if _, err := client.OpenViewContext(ctx, r.TriggerID, view); err != nil {
		return fmt.Errorf("views.open: %w", err)
	}
	return nil
}

// openAddModal opens the new-deal modal and reports whether it could; the
// console, which has no trigger, gets the usage line instead.
func (a *App) openAddModal(ctx context.Context, r *Request, o origin) bool {
	if r.TriggerID == "" {
		return false
	}
	if err := a.openView(ctx, r, addModal(r, modalMeta{origin: o})); err != nil {
		a.log.WarnContext(ctx, "new-deal modal not opened", "team", r.TeamID, "err", err)
		return false
	}
	return true
}

// openDealModal opens the lost or note modal for a deal. When it does not,
// it returns the reply that says why.
func (a *App) openDealModal(ctx context.Context, r *Request, action string, id, version int64, o origin) (Reply, bool) {
	d, _, err := a.store.Deal(ctx, r.Caller, id)
	if err != nil {
		return a.failure(ctx, r, err), false
	}
	meta := modalMeta{Deal: id, Version: version, origin: o}
	var view slack.ModalViewRequest
	// Ask the domain first whether the change applies now, so no modal opens
	// for a deal that is archived or already lost.
	switch action {
	case actLost:
		if d.Version != version {
			reply, _ := a.clickRefused(ctx, r, id, coach.ErrStale)
			return reply, false
		}
		_, err = coach.Lose(r.Caller, d, coach.ReasonOther, "", r.Now)
		view = lostModal(r, d, meta)
	default:
		_, err = coach.AddNote(r.Caller, d, "-", r.Now)
		view = noteModal(r, d, meta)
	}
	if err != nil {
		return a.failure(ctx, r, err), false
	}
	if err := a.openView(ctx, r, view); err != nil {
		a.log.WarnContext(ctx, "modal not opened", "team", r.TeamID, "action", action, "err", err)
		if action == actLost {
			return fail(r.T(fmt.Sprintf("I could not open the form. Type /deal lost #%d <reason> instead.", d.Number),
				fmt.Sprintf("无法打开表单。请改用命令 /deal lost #%d <原因>。", d.Number))), false
		}
		return fail(r.T(fmt.Sprintf("I could not open the form. Type /deal note #%d <text> instead.", d.Number),
			fmt.Sprintf("无法打开表单。请改用命令 /deal note #%d <内容>。", d.Number))), false
	}
	return Reply{}, true
}

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}

func mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}

func modal(r *Request, callback, title, submit string, meta modalMeta, blocks ...slack.Block) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: callback, PrivateMetadata: meta.String(),
		Title: plain(title), Submit: plain(submit), Close: plain(r.T("Cancel", "取消")),
		Blocks: slack.Blocks{BlockSet: blocks},
	}
}

func textInput(blockID, label, placeholder string, maxLen int, multiline, optional bool) *slack.InputBlock {
	el := slack.NewPlainTextInputBlockElement(plain(placeholder), blockID)
	el.MaxLength, el.Multiline = maxLen, multiline
	b := slack.NewInputBlock(blockID, plain(label), nil, el)
	b.Optional = optional
	return b
}

func addModal(r *Request, meta modalMeta) slack.ModalViewRequest {
	lang := r.Lang()
	var opts []*slack.OptionBlockObject
	for _, s := range coach.OpenStages {
		opts = append(opts, slack.NewOptionBlockObject(string(s), plain(s.Name(lang)), nil))
	}
	stage := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(r.T("Choose a stage", "选择阶段")), "stage", opts...)
	stage.InitialOption = opts[0]
	amount := textInput("amount", r.T("Amount", "金额"), r.T("e.g. 12k, $12,000, 8万, 5000 EUR", "例如 12k、$12,000、8万、5000 EUR"), 40, false, true)
	amount.Hint = plain(r.T(fmt.Sprintf("Without a currency it is in %s.", r.Caller.Currency), fmt.Sprintf("不写币种时按 %s 计。", r.Caller.Currency)))
	return modal(r, cbAdd, r.T("New deal", "新建交易"), r.T("Add", "新建"), meta,
		textInput("name", r.T("Name", "名称"), r.T("e.g. Acme Corp", "例如 Acme Corp"), coach.MaxNameLen, false, false),
		amount,
		slack.NewInputBlock("stage", plain(r.T("Stage", "阶段")), nil, stage),
	)
}

func lostModal(r *Request, d coach.Deal, meta modalMeta) slack.ModalViewRequest {
	lang := r.Lang()
	var opts []*slack.OptionBlockObject
	for _, reason := range coach.LostReasons {
		opts = append(opts, slack.NewOptionBlockObject(string(reason), plain(reason.Name(lang)), nil))
	}
	reason := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(r.T("Choose a reason", "选择原因")), "reason", opts...)
	return modal(r, cbLost, r.T("Mark as lost", "标记为丢单"), r.T("Save", "保存"), meta,
		slack.NewSectionBlock(mrkdwn(escapeMrkdwn(dealTitle(d)+" — "+describe(r, d))), nil, nil),
		slack.NewInputBlock("reason", plain(r.T("Why was it lost?", "丢单的原因")), nil, reason),
		textInput("details", r.T("Details", "详细说明"), r.T("What happened, in a sentence or two", "用一两句话说明经过"), coach.MaxNoteLen, true, true),
	)
}

func noteModal(r *Request, d coach.Deal, meta modalMeta) slack.ModalViewRequest {
	return modal(r, cbNote, r.T("Add a note", "添加备注"), r.T("Save", "保存"), meta,
		slack.NewSectionBlock(mrkdwn(escapeMrkdwn(dealTitle(d)+" — "+describe(r, d))), nil, nil),
		textInput("note", r.T("Note", "备注"), r.T("e.g. Sent pricing to the CFO; call on Friday", "例如：已把报价发给财务总监，周五回电"), coach.MaxNoteLen, true, false),
	)
}

// viewSubmission answers a modal's submit: errors shown under the input they
// concern (keyed by its block_id) keep the modal open and change nothing;
// otherwise the modal closes (an empty answer) and the result is posted where
// the modal was opened from.
func (a *App) viewSubmission(ctx context.Context, cb *slack.InteractionCallback) Outcome {
	var meta modalMeta
	if cb.View.PrivateMetadata != "" {
		if err := json.Unmarshal([]byte(cb.View.PrivateMetadata), &meta); err != nil {
			a.log.WarnContext(ctx, "modal metadata unreadable", "callback", cb.View.CallbackID, "err", err)
			return Outcome{}
		}
	}
	first := map[string]string{cbAdd: "name", cbLost: "reason", cbNote: "note"}[cb.View.CallbackID]
	if first == "" {
		return Outcome{}
	}
	r, err := a.start(ctx, interactionRequest(cb))
	if err != nil {
		return formErrors(map[string]string{first: a.failure(ctx, &r, err).Text})
	}
	r.ResponseURL = meta.ResponseURL
	values := formValues(cb.View.State)
	switch cb.View.CallbackID {
	case cbAdd:
		return a.submitAdd(ctx, &r, values, meta)
	case cbLost:
		return a.submitLost(ctx, &r, values, meta)
	default:
		return a.submitNote(ctx, &r, values, meta, cb.View.ID)
	}
}

// formValues flattens a view's state to block_id → the typed text or the
// chosen option's value (every input's action_id is its block_id).
func formValues(st *slack.ViewState) map[string]string {
	out := map[string]string{}
	if st == nil {
		return out
	}
	for block, actions := range st.Values {
		for _, v := range actions {
			if v.SelectedOption.Value != "" {
				out[block] = v.SelectedOption.Value
			} else {
				out[block] = v.Value
			}
		}
	}
	return out
}

func formErrors(errs map[string]string) Outcome {
	return Outcome{Body: slack.NewErrorsViewSubmissionResponse(errs)}
}

func (a *App) submitAdd(ctx context.Context, r *Request, values map[string]string, meta modalMeta) Outcome {
	lang := r.Lang()
	errs := map[string]string{}
	name, err := coach.CheckName(values["name"])
	if err != nil {
		errs["name"] = coach.ErrorMessage(err, lang)
	}
	money := coach.Money{Currency: r.Caller.Currency}
	has := strings.TrimSpace(values["amount"]) != ""
	if has {
		if money, err = coach.ParseAmount(values["amount"], r.Caller.Currency); err != nil {
			errs["amount"] = coach.ErrorMessage(err, lang)
		}
	}
	stage := coach.Stage(values["stage"])
	if stage == "" {
		stage = coach.Prospecting
	}
	if !stage.IsOpen() {
		errs["stage"] = r.T("Choose one of the stages in the list.", "请从列表中选择一个阶段。")
	}
	if len(errs) > 0 {
		return formErrors(errs)
	}
	d, created, err := a.store.CreateDeal(ctx, r.TeamID, coach.NewDeal{
		Name: name, OwnerID: r.UserID, Amount: money, HasAmount: has,
		Stage: stage, ActorID: r.UserID, At: r.Now,
	})
	if err != nil {
		return formErrors(map[string]string{"name": a.failure(ctx, r, err).Text})
	}
	return Outcome{Later: a.deliver(*r, meta.origin, a.addedReply(ctx, r, d, created), false)}
}

func (a *App) submitLost(ctx context.Context, r *Request, values map[string]string, meta modalMeta) Outcome {
	reason := coach.LostReason(values["reason"])
	known := false
	for _, lr := range coach.LostReasons {
		known = known || lr == reason
	}
	if !known {
		return formErrors(map[string]string{"reason": r.T("Choose a reason from the list.", "请从列表中选择一个原因。")})
	}
	details := strings.TrimSpace(values["details"])
	if n := utf8.RuneCountInString(details); n > coach.MaxNoteLen {
		return formErrors(map[string]string{"details": r.T(fmt.Sprintf("Keep it under %d characters; this has %d.", coach.MaxNoteLen, n),
			fmt.Sprintf("请控制在 %d 个字符以内，现在有 %d 个。", coach.MaxNoteLen, n))})
	}
	var from coach.Deal
	d, log, ev, err := a.changeOnce(ctx, r, meta.Deal, clickKey(meta.Version), meta.Version, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
		from = d
		return coach.Lose(r.Caller, d, reason, details, r.Now)
	})
	if err != nil {
		return formErrors(map[string]string{"reason": a.failure(ctx, r, err).Text})
	}
	return Outcome{Later: a.deliver(*r, meta.origin, a.changeReply(ctx, r, from, d, log, ev), true)}
}

func (a *App) submitNote(ctx context.Context, r *Request, values map[string]string, meta modalMeta, viewID string) Outcome {
	text, err := coach.CheckNote(values["note"])
	if err != nil {
		return formErrors(map[string]string{"note": coach.ErrorMessage(err, r.Lang())})
	}
	d, log, _, err := a.changeOnce(ctx, r, meta.Deal, "view:"+viewID, 0, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
		return coach.AddNote(r.Caller, d, text, r.Now)
	})
	if errors.Is(err, coach.ErrAlreadyDone) {
		return Outcome{} // the same modal submitted twice: the note is saved once
	}
	if err != nil {
		return formErrors(map[string]string{"note": a.failure(ctx, r, err).Text})
	}
	return Outcome{Later: a.deliver(*r, meta.origin, a.notedReply(ctx, r, d, log), true)}
}
