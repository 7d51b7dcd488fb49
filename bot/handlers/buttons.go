package handlers

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salescoach/bot/render"
	"salescoach/bot/transport"
	"salescoach/coach"
)

// ClickStore is what buttons and modals need of the store, on top of the
// deal commands' DealStore.
type ClickStore interface {
	// ChangeOnce is Change for a click: key names it, and a key seen before
	// for the deal gives coach.ErrAlreadyDone; with version not 0, a deal
	// whose version moved on gives coach.ErrStale.
	ChangeOnce(ctx context.Context, c coach.Caller, id int64, key string, version int64, decide coach.Decide) (coach.Deal, coach.Event, error)
	// ClickOnce records a click that changes no deal; coach.ErrAlreadyDone
	// when key was recorded before.
	ClickOnce(ctx context.Context, c coach.Caller, id int64, key string, at time.Time) error
	// ForgetClick forgets a recorded click whose work failed.
	ForgetClick(ctx context.Context, c coach.Caller, id int64, key string) error
}

// parseButton reads a button's value.
func parseButton(v string) (id, version int64, err error) {
	a, b, ok := strings.Cut(v, ".")
	id, err1 := strconv.ParseInt(a, 10, 64)
	version, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil || id <= 0 || version <= 0 {
		return 0, 0, errBadButton
	}
	return id, version, nil
}

var errBadButton = coach.Fail(coach.EInvalid, "button.unknown", nil)

func clickKey(version int64) string { return "v" + strconv.FormatInt(version, 10) }

// blockActions answers a button click through the button table. Slack needs
// only a 200; the result is posted where the click happened once it has it.
// Modals are opened before answering, as their trigger_id lives only 3
// seconds.
func (a *App) blockActions(ctx context.Context, cb *slack.InteractionCallback) transport.Outcome {
	if len(cb.ActionCallback.BlockActions) == 0 {
		return transport.Outcome{}
	}
	act := cb.ActionCallback.BlockActions[0]
	o := originOf(cb)
	r, err := a.start(ctx, interactionRequest(cb))
	if err != nil {
		return transport.Outcome{Later: a.deliver(r, o, a.failure(ctx, &r, err), false)}
	}
	b := a.button(act.ActionID)
	if b == nil {
		if _, _, err := parseButton(act.Value); err != nil {
			return transport.Outcome{Later: a.deliver(r, o, a.failure(ctx, &r, err), false)}
		}
		a.log.WarnContext(ctx, "unknown button", "action", act.ActionID)
		return transport.Outcome{}
	}
	return b.Click(ctx, &r, act.Value, o)
}

// addClick opens the new-deal modal (the App Home's button).
func (a *App) addClick(ctx context.Context, r *Request, _ string, o render.Origin) transport.Outcome {
	if !a.openAddModal(ctx, r, o) {
		return transport.Outcome{Later: a.deliver(*r, o, render.Fail(r.Msg("buttons.i_could_not_open", nil)), false)}
	}
	return transport.Outcome{}
}

// dealClick is the click on a button drawn for a version of a deal (its
// value is "<deal id>.<version>"): act gets the deal's id and version.
func (a *App) dealClick(act func(ctx context.Context, r *Request, id, version int64, o render.Origin) transport.Outcome) func(context.Context, *Request, string, render.Origin) transport.Outcome {
	return func(ctx context.Context, r *Request, value string, o render.Origin) transport.Outcome {
		id, version, err := parseButton(value)
		if err != nil {
			return transport.Outcome{Later: a.deliver(*r, o, a.failure(ctx, r, err), false)}
		}
		return act(ctx, r, id, version, o)
	}
}

// changeClick acts on Next stage or Won; the answer takes the place of the
// message clicked.
func (a *App) changeClick(action string) func(context.Context, *Request, int64, int64, render.Origin) transport.Outcome {
	return func(ctx context.Context, r *Request, id, version int64, o render.Origin) transport.Outcome {
		reply, replace := a.clickChange(ctx, r, action, id, version)
		return transport.Outcome{Later: a.deliver(*r, o, reply, replace)}
	}
}

// modalClick opens the lost or note modal for a deal, or says why not.
func (a *App) modalClick(action string) func(context.Context, *Request, int64, int64, render.Origin) transport.Outcome {
	return func(ctx context.Context, r *Request, id, version int64, o render.Origin) transport.Outcome {
		reply, opened := a.openDealModal(ctx, r, action, id, version, o)
		if opened {
			return transport.Outcome{}
		}
		return transport.Outcome{Later: a.deliver(*r, o, reply, false)}
	}
}

// blueprintClick answers the Blueprint button of /deal show (its value is the
// deal's id): refused like /deal blueprint for a deal the caller may not see,
// otherwise the picture goes to their direct messages.
func (a *App) blueprintClick(ctx context.Context, r *Request, value string, o render.Origin) transport.Outcome {
	return transport.Outcome{Later: a.deliver(*r, o, a.blueprintReply(ctx, r, value), false)}
}

func (a *App) blueprintReply(ctx context.Context, r *Request, value string) render.Reply {
	id, err := strconv.ParseInt(value, 10, 64)
	if err != nil {
		return a.failure(ctx, r, errBadButton)
	}
	d, _, err := a.store.Deal(ctx, r.Caller, id)
	if err != nil {
		return a.failure(ctx, r, err)
	}
	// A double click draws and sends one blueprint: once per person and
	// version of the deal. If the upload fails the click is forgotten, so
	// the button works again.
	key := "blueprint:" + r.UserID + ":" + clickKey(d.Version)
	err = a.store.ClickOnce(ctx, r.Caller, id, key, r.Now)
	if errors.Is(err, coach.ErrAlreadyDone) {
		return render.Fail(r.Msg("buttons.this_blueprint_is_already", nil))
	}
	if err != nil {
		return a.failure(ctx, r, err)
	}
	c := r.Caller
	return a.sendBlueprint(ctx, c, id, func(ctx context.Context) {
		if err := a.store.ForgetClick(ctx, c, id, key); err != nil {
			a.log.WarnContext(ctx, "forget a failed blueprint click", "team", c.TeamID, "deal", id, "err", err)
		}
	})
}

// clickChange acts on Next stage or Won, and says whether the answer takes
// the place of the message clicked.
func (a *App) clickChange(ctx context.Context, r *Request, action string, id, version int64) (render.Reply, bool) {
	var from coach.Deal
	d, log, ev, err := a.changeOnce(ctx, r, id, clickKey(version), version, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
		from = d
		if action == render.ActWon {
			return coach.Win(r.Caller, d, r.Now)
		}
		return coach.Advance(r.Caller, d, r.Now)
	})
	if err != nil {
		return a.clickRefused(ctx, r, id, err)
	}
	return a.changeReply(ctx, r, from, d, log, ev), true
}

// changeOnce is the store's ChangeOnce that also returns the deal's log with
// the change, which the coaching reads.
func (a *App) changeOnce(ctx context.Context, r *Request, id int64, key string, version int64, decide coach.Decide) (coach.Deal, []coach.Event, coach.Event, error) {
	var log []coach.Event
	d, ev, err := a.store.ChangeOnce(ctx, r.Caller, id, key, version, func(d coach.Deal, l []coach.Event) (coach.Event, error) {
		log = l
		return decide(d, l)
	})
	if err != nil {
		return d, nil, ev, err
	}
	return d, append(log[:len(log):len(log)], ev), ev, nil
}

// clickRefused answers a click that changed nothing. When it came too late
// (done already, or the deal moved on) it shows the deal as it is now, with
// buttons that work; an out-of-date message is replaced by it.
func (a *App) clickRefused(ctx context.Context, r *Request, id int64, err error) (render.Reply, bool) {
	if coach.ErrorCode(err) != coach.EConflict {
		return a.failure(ctx, r, err), false
	}
	d, log, derr := a.store.Deal(ctx, r.Caller, id)
	if derr != nil {
		return a.failure(ctx, r, err), false
	}
	reply := a.coachingReply(ctx, r, d, log, render.ErrorMessage(err, r.Lang())+" "+
		r.Msg("buttons.deal_now", coach.Args{"deal": render.DealTitle(d), "describe": render.Describe(r.Viewer, d)}))
	reply.Failed = true
	return reply, errors.Is(err, coach.ErrStale)
}

// share re-posts the deal's state and coaching in the channel, once per
// version of the deal.
func (a *App) share(ctx context.Context, r *Request, id, version int64, o render.Origin) transport.Outcome {
	d, log, err := a.store.Deal(ctx, r.Caller, id)
	if err == nil {
		err = a.store.ClickOnce(ctx, r.Caller, id, "share:"+clickKey(version), r.Now)
	}
	if errors.Is(err, coach.ErrAlreadyDone) {
		return transport.Outcome{Later: a.deliver(*r, o, render.Fail(r.Msg("buttons.already_shared_in_this", nil)), false)}
	}
	if err != nil {
		return transport.Outcome{Later: a.deliver(*r, o, a.failure(ctx, r, err), false)}
	}
	reply := render.Reply{
		Text:     r.Msg("buttons.shared", coach.Args{"user": r.UserID, "deal": render.DealTitle(d), "describe": render.Describe(r.Viewer, d)}),
		Sections: a.coaching(ctx, r, d, log),
		Public:   true,
	}
	return transport.Outcome{Later: a.deliver(*r, o, reply, false)}
}

// listMoreClick shows the next page of a list (the More button; its value is
// the list's arguments with the page).
func (a *App) listMoreClick(ctx context.Context, r *Request, value string, o render.Origin) transport.Outcome {
	reply, err := a.dealList(ctx, r, value)
	if err != nil {
		reply = a.failure(ctx, r, err)
	}
	return transport.Outcome{Later: a.deliver(*r, o, reply, false)}
}
