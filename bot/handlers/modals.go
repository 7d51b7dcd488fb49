package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"salescoach/bot/render"
	"salescoach/bot/transport"
	"salescoach/coach"
)

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
func (a *App) openAddModal(ctx context.Context, r *Request, o render.Origin) bool {
	if r.TriggerID == "" {
		return false
	}
	if err := a.openView(ctx, r, render.AddModal(r.Viewer, render.ModalMeta{Origin: o})); err != nil {
		a.log.WarnContext(ctx, "new-deal modal not opened", "team", r.TeamID, "err", err)
		return false
	}
	return true
}

// openDealModal opens the lost, close-date or note modal for a deal. When it does not,
// it returns the reply that says why.
func (a *App) openDealModal(ctx context.Context, r *Request, action string, id, version int64, o render.Origin) (render.Reply, bool) {
	d, _, err := a.store.Deal(ctx, r.Caller, id)
	if err != nil {
		return a.failure(ctx, r, err), false
	}
	meta := render.ModalMeta{Deal: id, Version: version, Origin: o}
	var view slack.ModalViewRequest
	// Ask the domain first whether the change applies now, so no modal opens
	// for a deal that is archived or already lost.
	switch action {
	case render.ActLost:
		if d.Version != version {
			reply, _ := a.clickRefused(ctx, r, id, coach.ErrStale)
			return reply, false
		}
		_, err = coach.Lose(r.Caller, d, coach.ReasonOther, "", r.Now)
		view = render.LostModal(r.Viewer, d, meta)
	case render.ActDue:
		_, err = coach.AddNote(r.Caller, d, "-", r.Now) // the deal may be changed by the caller
		view = render.DueModal(r.Viewer, d, meta)
	default:
		_, err = coach.AddNote(r.Caller, d, "-", r.Now)
		view = render.NoteModal(r.Viewer, d, meta)
	}
	if err != nil {
		return a.failure(ctx, r, err), false
	}
	if err := a.openView(ctx, r, view); err != nil {
		a.log.WarnContext(ctx, "modal not opened", "team", r.TeamID, "action", action, "err", err)
		if action == render.ActLost {
			return render.Fail(r.Msg("modals.no_form.lost", coach.Args{"n": d.Number})), false
		}
		if action == render.ActDue {
			return render.Fail(r.Msg("modals.no_form.due", coach.Args{"n": d.Number})), false
		}
		return render.Fail(r.Msg("modals.no_form.note", coach.Args{"n": d.Number})), false
	}
	return render.Reply{}, true
}

// viewSubmission answers a modal's submit: errors shown under the input they
// concern (keyed by its block_id) keep the modal open and change nothing;
// otherwise the modal closes (an empty answer) and the result is posted where
// the modal was opened from.
func (a *App) viewSubmission(ctx context.Context, cb *slack.InteractionCallback) transport.Outcome {
	var meta render.ModalMeta
	if cb.View.PrivateMetadata != "" {
		if err := json.Unmarshal([]byte(cb.View.PrivateMetadata), &meta); err != nil {
			a.log.WarnContext(ctx, "modal metadata unreadable", "callback", cb.View.CallbackID, "err", err)
			return transport.Outcome{}
		}
	}
	m := a.modal(cb.View.CallbackID)
	if m == nil {
		return transport.Outcome{}
	}
	r, err := a.start(ctx, interactionRequest(cb))
	if err != nil {
		return formErrors(map[string]string{m.First: a.failure(ctx, &r, err).Text})
	}
	r.ResponseURL = meta.ResponseURL
	return m.Submit(ctx, &r, form{values: formValues(cb.View.State), meta: meta, viewID: cb.View.ID})
}

// form is a modal's submission: what was typed or chosen (block_id →
// value), its private_metadata and the view's id.
type form struct {
	values map[string]string
	meta   render.ModalMeta
	viewID string
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

// formErrors shows errs under the form's fields, as plain text.
func formErrors(errs map[string]string) transport.Outcome {
	for k, v := range errs {
		errs[k] = coach.PlainNames(v)
	}
	return transport.Outcome{Body: slack.NewErrorsViewSubmissionResponse(errs)}
}

func (a *App) submitAdd(ctx context.Context, r *Request, f form) transport.Outcome {
	values, meta := f.values, f.meta
	lang := r.Lang()
	errs := map[string]string{}
	name, err := coach.CheckName(values["name"])
	if err != nil {
		errs["name"] = render.ErrorMessage(err, lang)
	}
	money := coach.Money{Currency: r.Caller.Currency}
	has := strings.TrimSpace(values["amount"]) != ""
	if has {
		if money, err = coach.ParseAmount(values["amount"], r.Caller.Currency); err != nil {
			errs["amount"] = render.ErrorMessage(err, lang)
		}
	}
	stage := coach.Stage(values["stage"])
	if stage == "" {
		stage = coach.Prospecting
	}
	if !stage.IsOpen() {
		errs["stage"] = r.Msg("modals.choose_one_of_the", nil)
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
	return transport.Outcome{Later: a.deliver(*r, meta.Origin, a.addedReply(ctx, r, d, created), false)}
}

func (a *App) submitLost(ctx context.Context, r *Request, f form) transport.Outcome {
	values, meta := f.values, f.meta
	reason := coach.LostReason(values["reason"])
	known := false
	for _, lr := range coach.LostReasons {
		known = known || lr == reason
	}
	if !known {
		return formErrors(map[string]string{"reason": r.Msg("modals.choose_a_reason_from", nil)})
	}
	details := strings.TrimSpace(values["details"])
	if n := utf8.RuneCountInString(details); n > coach.MaxNoteLen {
		return formErrors(map[string]string{"details": r.Msg("modals.too_long", coach.Args{"max": coach.MaxNoteLen, "n": n})})
	}
	var from coach.Deal
	d, log, ev, err := a.changeOnce(ctx, r, meta.Deal, clickKey(meta.Version), meta.Version, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
		from = d
		return coach.Lose(r.Caller, d, reason, details, r.Now)
	})
	if err != nil {
		return formErrors(map[string]string{"reason": a.failure(ctx, r, err).Text})
	}
	return transport.Outcome{Later: a.deliver(*r, meta.Origin, a.changeReply(ctx, r, from, d, log, ev), true)}
}

func (a *App) submitNote(ctx context.Context, r *Request, f form) transport.Outcome {
	values, meta, viewID := f.values, f.meta, f.viewID
	text, err := coach.CheckNote(values["note"])
	if err != nil {
		return formErrors(map[string]string{"note": render.ErrorMessage(err, r.Lang())})
	}
	d, log, ev, err := a.changeOnce(ctx, r, meta.Deal, "view:"+viewID, 0, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
		return coach.AddNote(r.Caller, d, text, r.Now)
	})
	if errors.Is(err, coach.ErrAlreadyDone) {
		return transport.Outcome{} // the same modal submitted twice: the note is saved once
	}
	if err != nil {
		return formErrors(map[string]string{"note": a.failure(ctx, r, err).Text})
	}
	return transport.Outcome{Later: a.deliver(*r, meta.Origin, a.notedReply(ctx, r, d, log, ev), true)}
}

// submitDue sets or clears a deal's expected close date from its modal, as
// /deal due does: an empty field or "off" clears it, a later date counts as
// a slip, and a date that cannot be read or is refused shows under the field
// and changes nothing.
func (a *App) submitDue(ctx context.Context, r *Request, f form) transport.Outcome {
	text := strings.TrimSpace(f.values["close_date"])
	if text == "" {
		text = "off"
	}
	d, log, ev, err := a.changeOnce(ctx, r, f.meta.Deal, "view:"+f.viewID, 0, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
		da, err := coach.ParseDueArgs(text, d.Number, local(r))
		if err != nil {
			return coach.Event{}, err
		}
		return coach.Due(r.Caller, d, da, local(r))
	})
	if errors.Is(err, coach.ErrAlreadyDone) {
		return transport.Outcome{} // the same modal submitted twice: the date is set once
	}
	if err != nil {
		return formErrors(map[string]string{"close_date": a.failure(ctx, r, err).Text})
	}
	return transport.Outcome{Later: a.deliver(*r, f.meta.Origin, a.dueReply(ctx, r, d, log, ev), true)}
}
