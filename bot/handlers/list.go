package handlers

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"salescoach/bot/render"
	"salescoach/coach"
)

// ListStore is what /deal list, /coach and App Home need of the store: a
// page of deals with the count of all that match, and the team's open
// pipeline by stage.
type ListStore interface {
	ListDeals(ctx context.Context, teamID string, f coach.ListFilter) ([]coach.Deal, int, error)
	PipelineTotals(ctx context.Context, teamID string) ([]coach.StageTotal, error)
}

// listArgs are the parsed arguments of /deal list.
type listArgs struct {
	f     coach.ListFilter
	which string // open, won, lost, all, stale, paused, or a stage key
	page  int    // from 1
}

var errListUsage = coach.Fail(coach.EInvalid, "list.usage", nil)

func (a *App) parseListArgs(r *Request, args string) (listArgs, error) {
	la := listArgs{f: coach.ListFilter{Owner: r.UserID, Statuses: []coach.Status{coach.StatusOpen}, Limit: coach.ListPage, Now: r.Now}, which: "open", page: 1}
	words := strings.Fields(args)
	for i := 0; i < len(words); i++ {
		w := words[i]
		lw := strings.ToLower(w)
		switch {
		case lw == "open" || lw == "进行中":
			la.f.Statuses, la.which = []coach.Status{coach.StatusOpen}, "open"
		case lw == "won" || lw == "赢单":
			la.f.Statuses, la.which = []coach.Status{coach.StatusWon}, "won"
		case lw == "lost" || lw == "丢单":
			la.f.Statuses, la.which = []coach.Status{coach.StatusLost}, "lost"
		case lw == "all" || lw == "全部":
			la.f.Statuses, la.which = nil, "all"
		case lw == "stale" || lw == "stuck" || w == "停滞" || w == "卡住":
			la.f.Statuses, la.f.Stale, la.which = []coach.Status{coach.StatusOpen}, true, "stale"
		case lw == "paused" || w == "暂停":
			la.f.Statuses, la.f.Paused, la.which = []coach.Status{coach.StatusOpen}, true, "paused"
		case lw == "team" || lw == "团队":
			if !r.Caller.Manager {
				return la, coach.ErrManagerOnly
			}
			la.f.Owner = ""
		case lw == "page" || lw == "p" || w == "页" || w == "第":
			if i+1 >= len(words) {
				return la, errListUsage
			}
			n, err := strconv.Atoi(strings.TrimSuffix(words[i+1], "页"))
			if err != nil || n < 1 || n > 100000 {
				return la, errListUsage
			}
			la.page, i = n, i+1
		default:
			if id, ok := parseUser(w); ok {
				if id != r.UserID && !r.Caller.Manager {
					return la, coach.Fail(coach.EForbidden, "list.rep_forbidden", nil)
				}
				la.f.Owner = id
				continue
			}
			// A stage, possibly of two or three words.
			if st, used := stageAt(words, i); used > 0 && st.IsOpen() {
				la.f.Statuses, la.f.Stage, la.which = []coach.Status{coach.StatusOpen}, st, string(st)
				i += used - 1
				continue
			}
			args := coach.Args{"typed": coach.Both(strconv.Quote(w), w), "usage": errListUsage}
			var e *coach.Error
			if _, err := coach.ParseStage(w); errors.As(err, &e) && e.Key == "stage.unknown.did_you_mean" {
				args["hint"] = e
				return la, coach.Fail(coach.EInvalid, "list.unknown.did_you_mean", args)
			}
			return la, coach.Fail(coach.EInvalid, "list.unknown", args)
		}
	}
	la.f.Offset = (la.page - 1) * coach.ListPage
	return la, nil
}

// stageAt reads a stage name of up to three words at words[i].
func stageAt(words []string, i int) (coach.Stage, int) {
	for k := min(3, len(words)-i); k >= 1; k-- {
		if st, err := coach.ParseStage(strings.Join(words[i:i+k], " ")); err == nil {
			return st, k
		}
	}
	return "", 0
}

// args writes the list's arguments back, for the More button: what the next
// page is asked with.
func (la listArgs) args(page int) string {
	var parts []string
	if la.which != "open" {
		parts = append(parts, la.which)
	}
	if la.f.Owner == "" {
		parts = append(parts, "team")
	} else {
		parts = append(parts, "<@"+la.f.Owner+">")
	}
	return strings.Join(append(parts, "page", strconv.Itoa(page)), " ")
}

func (a *App) dealList(ctx context.Context, r *Request, args string) (render.Reply, error) {
	la, err := a.parseListArgs(r, args)
	if err != nil {
		return render.Reply{}, err
	}
	deals, total, err := a.store.ListDeals(ctx, r.TeamID, la.f)
	if err != nil {
		return render.Reply{}, err
	}
	whose := r.Msg("list.your", nil)
	switch {
	case la.f.Owner == "":
		whose = r.Msg("list.the_team_s", nil)
	case la.f.Owner != r.UserID:
		whose = "<@" + la.f.Owner + ">" + r.Msg("list.rep_possessive", nil)
	}
	var kind string
	switch la.which {
	case "open":
		kind = r.Msg("list.kind.open", nil)
	case "won":
		kind = r.Msg("list.kind.won", nil)
	case "lost":
		kind = r.Msg("list.kind.lost", nil)
	case "all":
		kind = r.Msg("list.kind.all", nil)
	case "stale":
		kind = r.Msg("list.kind.stale", nil)
	case "paused":
		kind = r.Msg("list.kind.paused", nil)
	default:
		kind = r.Msg("list.kind.stage", coach.Args{"stage": coach.Stage(la.which).Name(r.Lang())})
	}
	which := coach.Args{"whose": whose, "kind": kind}
	pages := (total + coach.ListPage - 1) / coach.ListPage
	if total == 0 {
		if la.which == "open" {
			return render.Reply{Text: r.Msg("list.none_yet", which)}, nil
		}
		return render.Reply{Text: r.Msg("list.none", which)}, nil
	}
	if len(deals) == 0 {
		return render.Fail(r.Msg("list.no_page", coach.Args{"page": la.page, "whose": whose, "kind": kind, "pages": pages})), nil
	}
	title := r.Msg("list.title", coach.Args{"whose": whose, "kind": kind, "total": total})
	if pages > 1 {
		first, last := la.f.Offset+1, la.f.Offset+len(deals)
		title = r.Msg("list.title.page", coach.Args{"whose": whose, "kind": kind, "first": first, "last": last, "total": total, "page": la.page, "pages": pages})
	}
	reply := render.Reply{Text: title}
	stats := a.teamStats(ctx, r.TeamID, r.Now)
	for _, d := range deals {
		reply.Sections = append(reply.Sections, render.DealLine(r.Viewer, d, stats.Stale(d, r.Now)))
	}
	if la.page < pages {
		next := la.args(la.page + 1)
		reply.Actions = append(reply.Actions, render.Action{ID: render.ActListMore, Label: r.Msg("list.more", nil), Value: next})
		left := total - la.f.Offset - len(deals)
		reply.Note = r.Msg("list.more_note", coach.Args{"n": left, "args": next, "next": min(coach.ListPage, left)})
	}
	return reply, nil
}

func (a *App) dealShow(ctx context.Context, r *Request, args string) (render.Reply, error) {
	dn, _, err := a.resolve(ctx, r, args, true)
	if err != nil {
		return render.Reply{}, err
	}
	d, log, err := a.store.Deal(ctx, r.Caller, dn.ID)
	if err != nil {
		return render.Reply{}, err
	}
	return a.showReply(ctx, r, d, log), nil
}

func (a *App) showReply(ctx context.Context, r *Request, d coach.Deal, log []coach.Event) render.Reply {
	lang := r.Lang()
	reply := render.Reply{Text: fmt.Sprintf("%s — %s", render.DealTitle(d), render.Describe(r.Viewer, d))}
	facts := []render.Line{
		render.L(r.Msg("list.owner", nil), "<@"+d.OwnerID+">"),
		render.L(r.Msg("list.created", nil), render.DateOf(r.Viewer, d.CreatedAt)),
	}
	switch d.Status {
	case coach.StatusOpen:
		facts = append(facts, render.L(r.Msg("list.in_stage", nil), r.Msg("list.in_stage_since", coach.Args{"stage": d.Stage.Name(lang), "days": coach.DaysText(d.DaysInStage(r.Now)).In(lang)})))
	case coach.StatusWon:
		facts = append(facts, render.L(r.Msg("list.won", nil), render.DateOf(r.Viewer, d.StageSince)))
	case coach.StatusLost:
		facts = append(facts, render.L(r.Msg("list.lost", nil), render.DateOf(r.Viewer, d.StageSince)+" ("+d.LostReason.Name(lang)+")"))
	}
	if d.Archived {
		facts = append(facts, render.T(r.Msg("list.archived_hidden_from_lists", nil)))
	}
	if d.Paused(r.Now) {
		facts = append(facts, render.L(r.Msg("list.paused_until", nil), render.DateOf(r.Viewer, d.PausedUntil)))
	}
	if due := render.CloseDate(r.Viewer, d); due != "" {
		if d.Slips > 0 {
			due += r.Msg("list.slipped", coach.Args{"n": d.Slips, "days": d.SlipDays})
		}
		facts = append(facts, render.L(r.Msg("list.expected_close", nil), due))
	}
	reply.Sections = append(reply.Sections, render.Section{Lines: facts})

	var hist []render.Line
	live := coach.Live(log)
	var entries []coach.Event
	for _, e := range live {
		if e.Entry != "" {
			entries = append(entries, e)
		}
	}
	for i, e := range entries {
		line := render.DateOf(r.Viewer, e.At) + " · " + e.Entry.Name(lang)
		if e.Entry.IsOpen() {
			end := r.Now
			if i+1 < len(entries) {
				end = entries[i+1].At
			}
			line += " · " + render.Days(r.Viewer, coach.Days(end.Sub(e.At)))
		}
		if e.Kind == coach.EvReopen {
			line += r.Msg("list.reopened", nil)
		}
		hist = append(hist, render.T(line))
	}
	if len(hist) > 0 {
		reply.Sections = append(reply.Sections, render.Section{Title: r.Msg("list.stage_history", nil), Lines: hist})
	}
	var notes []render.Line
	for i := len(live) - 1; i >= 0 && len(notes) < 10; i-- {
		if e := live[i]; e.Kind == coach.EvNote {
			notes = append(notes, render.T(fmt.Sprintf("%s · <@%s> · %s", render.DateOf(r.Viewer, e.At), e.ActorID, e.Text)))
		}
	}
	if len(notes) > 0 {
		reply.Sections = append(reply.Sections, render.Section{Title: r.Msg("list.notes_latest_first", nil), Lines: notes})
	}
	if !d.Archived {
		reply.Sections = append(reply.Sections, a.coaching(ctx, r, d, log)...)
		reply.Actions = render.DealButtons(r.Viewer, d, true)
	}
	reply.Actions = append(reply.Actions, render.Action{ID: render.ActionBlueprint, Label: r.Msg("list.blueprint", nil), Value: fmt.Sprint(d.ID)})
	return reply
}
