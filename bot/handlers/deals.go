package handlers

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"salescoach/bot/render"
	"salescoach/coach"
)

// DealStore is what the deal commands need of the store: a deal created,
// found by what the caller typed, read with its log, changed by a decision
// taken inside the store's transaction, and the caller's last change undone.
type DealStore interface {
	CreateDeal(ctx context.Context, teamID string, nd coach.NewDeal) (coach.Deal, bool, error)
	FindDeals(ctx context.Context, c coach.Caller, ref coach.DealRef, archived bool) ([]coach.DealName, error)
	DealNames(ctx context.Context, c coach.Caller) ([]coach.DealName, error)
	Deal(ctx context.Context, c coach.Caller, id int64) (coach.Deal, []coach.Event, error)
	Logs(ctx context.Context, teamID string, dealIDs []int64) (map[int64][]coach.Event, error)
	Change(ctx context.Context, c coach.Caller, id int64, decide coach.Decide) (coach.Deal, coach.Event, error)
	Undo(ctx context.Context, c coach.Caller, now time.Time) (coach.Deal, coach.Event, error)
}

// resolve finds the deal a command's arguments start with, among the deals the
// caller may see, and returns it with the rest of the line.
func (a *App) resolve(ctx context.Context, r *Request, args string, archived bool) (coach.DealName, string, error) {
	ref, err := coach.ParseDealRef(args)
	if err != nil {
		return coach.DealName{}, "", err
	}
	cands, err := a.store.FindDeals(ctx, r.Caller, ref, archived)
	if err != nil {
		return coach.DealName{}, "", err
	}
	dn, rest, err := coach.ResolveDeal(ref, cands)
	if coach.ErrorCode(err) == coach.ENotFound && !archived {
		// Only an archived deal matches: say so, and how to bring it back,
		// rather than that nothing matches.
		if all, aerr := a.store.FindDeals(ctx, r.Caller, ref, true); aerr == nil && len(all) > len(cands) {
			if hidden, _, herr := coach.ResolveDeal(ref, all); herr == nil {
				return coach.DealName{}, "", coach.ErrArchived(hidden.Number, hidden.Name)
			}
		}
	}
	if coach.ErrorCode(err) == coach.ENotFound {
		// A typo? Suggest the closest of the caller's deals.
		if names, nerr := a.store.DealNames(ctx, r.Caller); nerr == nil {
			err = coach.DidYouMean(err, ref, names)
		}
	}
	return dn, rest, err
}

// change resolves the deal at the start of args and applies one decided change.
// decide receives the rest of the line. It returns the deal after the change,
// its log with the new event, and the event.
func (a *App) change(ctx context.Context, r *Request, args string, decide func(d coach.Deal, log []coach.Event, rest string) (coach.Event, error)) (coach.Deal, []coach.Event, coach.Event, error) {
	return a.changeArchived(ctx, r, args, false, decide)
}

func (a *App) changeArchived(ctx context.Context, r *Request, args string, archived bool, decide func(d coach.Deal, log []coach.Event, rest string) (coach.Event, error)) (coach.Deal, []coach.Event, coach.Event, error) {
	dn, rest, err := a.resolve(ctx, r, args, archived)
	if err != nil {
		return coach.Deal{}, nil, coach.Event{}, err
	}
	return a.changeDeal(ctx, r, dn, rest, decide)
}

// changeDeal applies one decided change to the resolved deal dn; rest is
// the line after the reference.
func (a *App) changeDeal(ctx context.Context, r *Request, dn coach.DealName, rest string, decide func(d coach.Deal, log []coach.Event, rest string) (coach.Event, error)) (coach.Deal, []coach.Event, coach.Event, error) {
	var log []coach.Event
	d, ev, err := a.store.Change(ctx, r.Caller, dn.ID, func(d coach.Deal, l []coach.Event) (coach.Event, error) {
		log = l
		return decide(d, l, rest)
	})
	if err != nil {
		return d, nil, ev, err
	}
	return d, append(log[:len(log):len(log)], ev), ev, nil
}

// dated takes the optional trailing time of a change logged late off rest
// (coach.SplitTrailingTime, in the caller's time zone) and returns the rest,
// the time the change happened, and a function that marks the decided event
// with when it was typed.
func dated(r *Request, rest string) (string, time.Time, func(coach.Event, error) (coach.Event, error), error) {
	loc := r.Caller.Loc
	if loc == nil {
		loc = time.UTC
	}
	rest, at, given, err := coach.SplitTrailingTime(rest, r.Now.In(loc))
	mark := func(e coach.Event, err error) (coach.Event, error) {
		if given && err == nil {
			e.TypedAt = r.Now
		}
		return e, err
	}
	return rest, at.UTC(), mark, err
}

// extraWords refuses words after a command that takes only an optional time.
func extraWords(d coach.Deal, cmd, rest string) error {
	if strings.TrimSpace(rest) == "" {
		return nil
	}
	return coach.Fail(coach.EInvalid, "command.extra_words", coach.Args{
		"command": coach.Command("deal " + cmd), "typed": coach.Both(strconv.Quote(rest), rest), "n": d.Number})
}

func (a *App) dealAdd(ctx context.Context, r *Request, args string) (render.Reply, error) {
	if strings.TrimSpace(args) == "" && a.openAddModal(ctx, r, render.Origin{ResponseURL: r.ResponseURL}) {
		return render.Reply{Silent: true}, nil
	}
	if strings.TrimSpace(args) == "" {
		return render.Fail(r.Msg("deals.what_is_the_deal", nil)), nil
	}
	in, err := coach.ParseAddArgs(args, r.Caller.Currency)
	if err != nil {
		return render.Reply{}, err
	}
	if in.Stage == "" {
		in.Stage = coach.Prospecting
	}
	d, created, err := a.store.CreateDeal(ctx, r.TeamID, coach.NewDeal{
		Name: in.Name, OwnerID: r.UserID, Amount: in.Amount, HasAmount: in.HasAmount,
		Stage: in.Stage, ActorID: r.UserID, At: r.Now,
	})
	if err != nil {
		return render.Reply{}, err
	}
	return a.addedReply(ctx, r, d, created), nil
}

// addedReply answers the creation of a deal (or a double submit of it).
func (a *App) addedReply(ctx context.Context, r *Request, d coach.Deal, created bool) render.Reply {
	stage := d.ShownStage().Name(r.Lang())
	what := stage
	if d.HasAmount {
		what = render.StoredAmount(d.Amount) + " · " + stage
	}
	text := r.Msg("deals.added", coach.Args{"deal": render.DealTitle(d), "what": what})
	if !created {
		text = r.Msg("deals.added_twice", coach.Args{"deal": render.DealTitle(d)})
	}
	reply := a.coachingReply(ctx, r, d, nil, text)
	reply.Saved = true
	return reply
}

// stageChange applies a dated change of a deal's stage or outcome (move,
// next, won, lost, reopen): decide gets the deal, the rest of the line once
// its trailing time is taken off, and that time. It answers with the change
// and the coaching that follows it.
func (a *App) stageChange(ctx context.Context, r *Request, args string, decide func(d coach.Deal, rest string, at time.Time) (coach.Event, error)) (render.Reply, error) {
	var from coach.Deal
	d, log, ev, err := a.change(ctx, r, args, func(d coach.Deal, _ []coach.Event, rest string) (coach.Event, error) {
		from = d
		rest, at, mark, err := dated(r, rest)
		if err != nil {
			return coach.Event{}, err
		}
		return mark(decide(d, rest, at))
	})
	if err != nil {
		return render.Reply{}, err
	}
	return a.changeReply(ctx, r, from, d, log, ev), nil
}

// timeOnly is the decision of a command that takes nothing but an optional
// time (next, won, reopen): other words are refused.
func timeOnly(cmd string, change func(d coach.Deal, at time.Time) (coach.Event, error)) func(d coach.Deal, rest string, at time.Time) (coach.Event, error) {
	return func(d coach.Deal, rest string, at time.Time) (coach.Event, error) {
		if err := extraWords(d, cmd, rest); err != nil {
			return coach.Event{}, err
		}
		return change(d, at)
	}
}

func (a *App) dealMove(ctx context.Context, r *Request, args string) (render.Reply, error) {
	return a.stageChange(ctx, r, args, func(d coach.Deal, rest string, at time.Time) (coach.Event, error) {
		if strings.TrimSpace(rest) == "" {
			return coach.Event{}, coach.Fail(coach.EInvalid, "move.which_stage", coach.Args{"n": d.Number})
		}
		to, err := coach.ParseMoveStage(rest)
		if err != nil {
			return coach.Event{}, err
		}
		if to == coach.Lost {
			reason, text := coach.ParseLostReason("")
			return coach.Lose(r.Caller, d, reason, text, at)
		}
		return coach.Move(r.Caller, d, to, at)
	})
}

func (a *App) dealNext(ctx context.Context, r *Request, args string) (render.Reply, error) {
	return a.stageChange(ctx, r, args, timeOnly("next", func(d coach.Deal, at time.Time) (coach.Event, error) {
		return coach.Advance(r.Caller, d, at)
	}))
}

func (a *App) dealWon(ctx context.Context, r *Request, args string) (render.Reply, error) {
	return a.stageChange(ctx, r, args, timeOnly("won", func(d coach.Deal, at time.Time) (coach.Event, error) {
		return coach.Win(r.Caller, d, at)
	}))
}

func (a *App) dealLost(ctx context.Context, r *Request, args string) (render.Reply, error) {
	return a.stageChange(ctx, r, args, func(d coach.Deal, rest string, at time.Time) (coach.Event, error) {
		reason, text := coach.ParseLostReason(rest)
		return coach.Lose(r.Caller, d, reason, text, at)
	})
}

func (a *App) dealReopen(ctx context.Context, r *Request, args string) (render.Reply, error) {
	return a.stageChange(ctx, r, args, timeOnly("reopen", func(d coach.Deal, at time.Time) (coach.Event, error) {
		return coach.Reopen(r.Caller, d, at)
	}))
}

func (a *App) dealNote(ctx context.Context, r *Request, args string) (render.Reply, error) {
	d, log, ev, err := a.change(ctx, r, args, func(d coach.Deal, log []coach.Event, rest string) (coach.Event, error) {
		rest, at, mark, err := dated(r, rest)
		if err != nil {
			return coach.Event{}, err
		}
		if strings.TrimSpace(rest) == "" {
			return coach.Event{}, coach.Fail(coach.EInvalid, "note.which_text", coach.Args{"n": d.Number})
		}
		if coach.RepeatedNote(r.Caller, log, rest, r.Now) {
			return coach.Event{}, coach.Fail(coach.EConflict, "note.repeated", coach.Args{"n": d.Number, "name": d.Name})
		}
		return mark(coach.AddNote(r.Caller, d, rest, at))
	})
	if err != nil {
		return render.Reply{}, err
	}
	return a.notedReply(ctx, r, d, log, ev), nil
}

// notedReply answers a note logged on a deal (log: its log with the note).
func (a *App) notedReply(ctx context.Context, r *Request, d coach.Deal, log []coach.Event, ev coach.Event) render.Reply {
	reply := a.coachingReply(ctx, r, d, log, r.Msg("deals.noted", coach.Args{"deal": render.DealTitle(d)})+render.DatedText(r.Viewer, ev))
	reply.Saved = true
	return reply
}

func (a *App) dealAssign(ctx context.Context, r *Request, args string) (render.Reply, error) {
	d, log, _, err := a.change(ctx, r, args, func(d coach.Deal, _ []coach.Event, rest string) (coach.Event, error) {
		owner, ok := parseUser(rest)
		if !ok {
			return coach.Event{}, coach.Fail(coach.EInvalid, "assign.whom", coach.Args{"n": d.Number})
		}
		return coach.Assign(r.Caller, d, owner, r.Now)
	})
	if err != nil {
		return render.Reply{}, err
	}
	return a.coachingReply(ctx, r, d, log, r.Msg("deals.assigned", coach.Args{"deal": render.DealTitle(d), "owner": d.OwnerID})), nil
}

func (a *App) dealAmount(ctx context.Context, r *Request, args string) (render.Reply, error) {
	d, log, _, err := a.change(ctx, r, args, func(d coach.Deal, _ []coach.Event, rest string) (coach.Event, error) {
		m, err := coach.ParseAmount(rest, d.Amount.Currency)
		if err != nil {
			return coach.Event{}, err
		}
		return coach.SetAmount(r.Caller, d, m, r.Now)
	})
	if err != nil {
		return render.Reply{}, err
	}
	return a.coachingReply(ctx, r, d, log, r.Msg("deals.amount", coach.Args{"deal": render.DealTitle(d), "amount": render.StoredAmount(d.Amount)})), nil
}

func (a *App) dealRename(ctx context.Context, r *Request, args string) (render.Reply, error) {
	dn, rest, err := a.resolve(ctx, r, args, false)
	if err != nil {
		return render.Reply{}, err
	}
	// Two deals of one name make every later reference to it ambiguous,
	// as /deal add refuses too.
	if name, nerr := coach.CheckName(rest); nerr == nil {
		if twin, ok := a.sameName(ctx, r, dn.ID, name); ok {
			return render.Fail(r.Msg("rename.same_name", coach.Args{"n": twin.Number, "name": coach.NameText(twin.Name)})), nil
		}
	}
	var old string
	d, log, _, err := a.changeDeal(ctx, r, dn, rest, func(d coach.Deal, _ []coach.Event, rest string) (coach.Event, error) {
		old = coach.NameText(d.Name)
		return coach.Rename(r.Caller, d, rest, r.Now)
	})
	if err != nil {
		return render.Reply{}, err
	}
	return a.coachingReply(ctx, r, d, log, r.Msg("deals.renamed", coach.Args{"old": old, "deal": render.DealTitle(d)})), nil
}

// sameName returns a deal other than id, among those its owner may see,
// named name but for case and spacing: the owner's references to either
// would be ambiguous.
func (a *App) sameName(ctx context.Context, r *Request, id int64, name string) (coach.DealName, bool) {
	d, _, err := a.store.Deal(ctx, r.Caller, id)
	if err != nil {
		return coach.DealName{}, false
	}
	owner := coach.Caller{TeamID: r.TeamID, UserID: d.OwnerID}
	cands, err := a.store.FindDeals(ctx, owner, coach.DealRef{Phrase: name}, false)
	if err != nil {
		return coach.DealName{}, false
	}
	for _, c := range cands {
		if c.ID != id && coach.SameName(c.Name, name) {
			return c, true
		}
	}
	return coach.DealName{}, false
}

func (a *App) dealArchive(ctx context.Context, r *Request, args string) (render.Reply, error) {
	d, _, _, err := a.change(ctx, r, args, func(d coach.Deal, _ []coach.Event, _ string) (coach.Event, error) {
		return coach.Archive(r.Caller, d, r.Now)
	})
	if err != nil {
		return render.Reply{}, err
	}
	return render.Reply{Text: r.Msg("deals.archived", coach.Args{"deal": render.DealTitle(d), "n": d.Number})}, nil
}

func (a *App) dealRestore(ctx context.Context, r *Request, args string) (render.Reply, error) {
	d, log, _, err := a.changeArchived(ctx, r, args, true, func(d coach.Deal, _ []coach.Event, _ string) (coach.Event, error) {
		return coach.Restore(r.Caller, d, r.Now)
	})
	if err != nil {
		return render.Reply{}, err
	}
	return a.coachingReply(ctx, r, d, log, r.Msg("deals.restored", coach.Args{"deal": render.DealTitle(d)})), nil
}

func (a *App) dealUndo(ctx context.Context, r *Request, _ string) (render.Reply, error) {
	d, undone, err := a.store.Undo(ctx, r.Caller, r.Now)
	if err != nil {
		return render.Reply{}, err
	}
	text := r.Msg("deals.undone", coach.Args{"what": coach.Describe(undone, r.Lang()).What, "deal": render.DealTitle(d), "describe": render.Describe(r.Viewer, d)})
	if d.Archived {
		// The undone change was the deal's creation.
		text = r.Msg("deals.undone_archived", coach.Args{"what": coach.Describe(undone, r.Lang()).What, "deal": render.DealTitle(d), "n": d.Number})
		return render.Reply{Text: text}, nil
	}
	logs, err := a.store.Logs(ctx, r.TeamID, []int64{d.ID})
	if err != nil { // the undo is done: coach without the history rather than fail
		a.log.WarnContext(ctx, "load deal log", "team", r.TeamID, "deal", d.ID, "err", err)
	}
	return a.coachingReply(ctx, r, d, logs[d.ID], text), nil
}

// mention matches a Slack user mention: <@U123> or <@U123|name>.
var mention = regexp.MustCompile(`<@[UW][A-Z0-9]+(\|[^<>]*)?>`)

// parseUser reads a user reference: a Slack mention (<@U123|name>, <@U123>)
// or, typed in the console, @U123.
func parseUser(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if m := mention.FindString(s); m != "" && strings.HasPrefix(s, m) {
		id := m[2 : len(m)-1]
		id, _, _ = strings.Cut(id, "|")
		return id, true
	}
	word, _, _ := strings.Cut(s, " ")
	word = strings.TrimPrefix(word, "@")
	if len(word) >= 2 && (word[0] == 'U' || word[0] == 'W') && strings.ToUpper(word) == word {
		return word, true
	}
	return "", false
}
