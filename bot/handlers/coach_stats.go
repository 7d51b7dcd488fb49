package handlers

import (
	"context"
	"strings"
	"time"

	"salescoach/bot/render"
	"salescoach/coach"
)

// ReportStore is what /coach stats and /coach export need of the store: the
// team's or a rep's metrics over a period, and each deal's history.
type ReportStore interface {
	Report(ctx context.Context, teamID string, from, to time.Time) (coach.Report, error)
	ReportFor(ctx context.Context, teamID, owner string, from, to time.Time) (coach.Report, error)
	History(ctx context.Context, teamID, owner string) ([]coach.HistoryRow, error)
}

// statsWeeks is how far back /coach stats [@rep|team] [weeks N] looks unless told.
const statsWeeks = coach.PeriodWeeks

// statsArgs are the parsed arguments of /coach stats.
type statsArgs struct {
	team  bool
	user  string
	weeks int
}

// parseStatsArgs reads [@rep|team] [weeks N] in any order; "8 weeks", "8w"
// and "8周" work too.
func parseStatsArgs(args string) (statsArgs, error) {
	out := statsArgs{weeks: statsWeeks}
	usage := coach.Fail(coach.EInvalid, "stats.usage", nil)
	words := strings.Fields(args)
	for i := 0; i < len(words); i++ {
		w := words[i]
		lw := strings.ToLower(w)
		if lw == "team" || lw == "all" || w == "团队" || w == "全队" {
			out.team = true
			continue
		}
		if n, used, ok := weeksAt(words, i); used > 0 {
			if !ok {
				return out, usage
			}
			out.weeks = n
			i += used - 1
			continue
		}
		id, ok := parseUser(w)
		if !ok {
			return out, usage
		}
		out.user = id
	}
	if out.team && out.user != "" {
		return out, usage
	}
	return out, nil
}

// coachStats answers /coach stats: the cycle-time summary of §9 for the
// caller (a rep), or for the team or one rep (a manager; the team unless they
// name a rep), over the last N weeks.
func (a *App) coachStats(ctx context.Context, r *Request, args string) (render.Reply, error) {
	sa, err := parseStatsArgs(args)
	if err != nil {
		return render.Reply{}, err
	}
	owner := sa.user
	switch {
	case !r.Caller.Manager && (sa.team || owner != "" && owner != r.UserID):
		return render.Fail(r.Msg("coach_stats.only_a_manager_can", nil)), nil
	case !r.Caller.Manager:
		owner = r.UserID
	}
	to := r.Now
	from := coach.PeriodStart(to, sa.weeks)
	rep, err := a.store.ReportFor(ctx, r.TeamID, owner, from, to)
	if err != nil {
		return render.Reply{}, err
	}
	var title string
	// To the minute: the window runs from now's time of day, so that
	// salescoach report --from --to with the same times gives the same numbers.
	period := r.Msg("stats.period", coach.Args{"weeks": sa.weeks, "from": render.DateTimeOf(r.Viewer, from), "to": render.DateTimeOf(r.Viewer, to)})
	switch {
	case owner == "":
		title = r.Msg("stats.title.team", coach.Args{"period": period})
	case owner == r.UserID:
		title = r.Msg("stats.title.yours", coach.Args{"period": period})
	default:
		title = r.Msg("stats.title.rep", coach.Args{"user": owner, "period": period})
	}
	reply := render.StatsReply(r.Viewer, rep, title, owner == "")
	reply.Note = r.Msg("coach_stats.note_team", nil)
	if !r.Caller.Manager {
		reply.Note = r.Msg("coach_stats.note_longer", nil)
	}
	return reply, nil
}
