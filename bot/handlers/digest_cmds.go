package handlers

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salescoach/bot/jobs"
	"salescoach/bot/render"
	"salescoach/coach"
)

// DigestStore is what /coach digest and the digest scheduler need of the
// store: a channel's subscription read and changed, and the scheduler's
// claims on each week's post.
type DigestStore interface {
	SaveDigest(ctx context.Context, sub coach.DigestSub) (coach.DigestSub, error)
	DigestIn(ctx context.Context, teamID, channelID string) (coach.DigestSub, error)
	TeamDigests(ctx context.Context, teamID string) ([]coach.DigestSub, error)
	StopDigest(ctx context.Context, teamID, channelID string) (coach.DigestSub, error)
	SetDigestNames(ctx context.Context, teamID, channelID string, on bool) (coach.DigestSub, error)
	jobs.SchedulerStore
}

// coachDigest answers /coach digest [here|off|preview|names].
func (a *App) coachDigest(ctx context.Context, r *Request, args string) (render.Reply, error) {
	verb, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	rest = strings.TrimSpace(rest)
	switch strings.ToLower(verb) {
	case "":
		return a.digestStatus(ctx, r)
	case "here":
		return a.digestHere(ctx, r, rest)
	case "off", "stop":
		return a.digestOff(ctx, r)
	case "preview":
		return a.digestPreview(ctx, r)
	case "names":
		return a.digestNames(ctx, r, rest)
	}
	return render.Fail(r.Msg("digest_cmds.unknown", coach.Args{"typed": coach.Both(strconv.Quote(verb), verb)})), nil
}

// postableChannel reports whether id looks like a Slack channel, public or
// private, where a digest can go. A direct message cannot: the digest is the
// team's, and the bot's scopes do not reach direct messages' history.
func postableChannel(id string) bool {
	return len(id) >= 2 && strings.ContainsRune("CG", rune(id[0])) && strings.ToUpper(id) == id
}

// groupDM reports whether a slash command came from a group direct message:
// Slack names those "mpdm-alice--bob-1" (their ids start with G, like old
// private channels').
func groupDM(r *Request) bool { return strings.HasPrefix(r.ChannelName, "mpdm-") }

func (a *App) digestHere(ctx context.Context, r *Request, args string) (render.Reply, error) {
	if groupDM(r) {
		return render.Fail(r.Msg("digest_cmds.a_group_direct_message", nil)), nil
	}
	if !postableChannel(r.ChannelID) {
		return render.Fail(r.Msg("digest_cmds.run_coach_digest_here", nil)), nil
	}
	sched, gaveZone, err := coach.ParseSchedule(args, coach.DefaultSchedule(r.Caller.Loc))
	if err != nil {
		return render.Reply{}, err
	}
	// Asked of Slack now, so that the answer says it: a shared channel is
	// refused, and one the bot is not in gets the digest once it is invited.
	channel := a.digestChannel(ctx, r)
	if channel == coach.ChannelExternal {
		return render.Fail(render.ChannelProblem(r.Lang(), channel, r.ChannelID)), nil
	}
	before, err := a.store.DigestIn(ctx, r.TeamID, r.ChannelID)
	existed := err == nil
	if err != nil && coach.ErrorCode(err) != coach.ENotFound {
		return render.Reply{}, err
	}
	names := true
	if existed {
		names = before.Names
	}
	sub, err := a.store.SaveDigest(ctx, coach.DigestSub{
		TeamID: r.TeamID, ChannelID: r.ChannelID, Schedule: sched, Names: names,
		Lang: r.Lang(), CreatedBy: r.UserID, Since: r.Now,
	})
	if err != nil {
		return render.Reply{}, err
	}
	if channel != "" {
		// The scheduler need not ask again, nor tell the manager again.
		if _, err := a.store.SetDigestChannel(ctx, sub.ID, channel, r.Now); err != nil {
			a.log.DebugContext(ctx, "digest channel not recorded", "team", r.TeamID, "channel", r.ChannelID, "err", err)
		}
	}
	var zone string
	switch {
	case gaveZone:
	case sched.Zone == "UTC":
		zone = r.Msg("digest_cmds.zone.utc", nil)
	default:
		zone = r.Msg("digest_cmds.zone.slack", nil)
	}
	loc := sub.Schedule.Location()
	first := sub.Schedule.Next(r.Now)
	when := r.Msg("digest_cmds.when", coach.Args{"weekday": coach.Both(sched.WeekdayName(coach.EN), sched.WeekdayName(coach.ZH)), "clock": sched.Clock(), "zone": sched.Zone})
	firstDay := render.DigestDate(render.Viewer{Caller: coach.Caller{Lang: r.Lang(), Loc: loc}}, first)
	text := r.Msg("digest_cmds.started", coach.Args{"when": when, "zone": zone, "first": firstDay})
	if existed {
		text = r.Msg("digest_cmds.changed", coach.Args{"when": when, "zone": zone, "first": firstDay})
	}
	namesLine := r.Msg("digest_cmds.its_needs_attention_list", nil)
	if !sub.Names {
		namesLine = r.Msg("digest_cmds.deal_names_stay_hidden", nil)
	}
	langLine := r.Msg("digest_cmds.it_is_written_in", nil)
	lines := []render.Line{render.T(namesLine), render.T(langLine)}
	if problem := render.ChannelProblem(r.Lang(), channel, r.ChannelID); problem != "" {
		lines = append([]render.Line{render.T("⚠️ " + problem)}, lines...)
	}
	return render.Reply{
		Text:     text,
		Sections: []render.Section{{Lines: lines}},
		Note:     r.Msg("digest_cmds.i_post_only_in", nil),
	}, nil
}

// digestCheckWait is how long /coach digest here waits for Slack to say
// whether the digest can be posted in the channel.
const digestCheckWait = time.Second

// digestChannel asks Slack whether the weekly digest can be posted in r's
// channel; "" when Slack does not say within digestCheckWait (the scheduler
// asks again before the first digest).
func (a *App) digestChannel(ctx context.Context, r *Request) coach.ChannelState {
	client, err := a.slack.Client(ctx, r.TeamID)
	if err != nil {
		return ""
	}
	cctx, cancel := context.WithTimeout(ctx, digestCheckWait)
	defer cancel()
	ch, err := client.GetConversationInfoContext(cctx, &slack.GetConversationInfoInput{ChannelID: r.ChannelID})
	state, ok := jobs.ChannelStateOf(ch, err)
	if !ok {
		return ""
	}
	return state
}

func (a *App) digestOff(ctx context.Context, r *Request) (render.Reply, error) {
	if _, err := a.store.StopDigest(ctx, r.TeamID, r.ChannelID); err != nil {
		return render.Reply{}, err
	}
	return render.Reply{Text: r.Msg("digest_cmds.stopped_no_more_weekly", nil)}, nil
}

func (a *App) digestNames(ctx context.Context, r *Request, args string) (render.Reply, error) {
	var on bool
	switch strings.ToLower(args) {
	case "on", "show", "显示":
		on = true
	case "off", "hide", "隐藏":
	default:
		return render.Fail(r.Msg("digest_cmds.use_coach_digest_names", nil)), nil
	}
	if _, err := a.store.SetDigestNames(ctx, r.TeamID, r.ChannelID, on); err != nil {
		return render.Reply{}, err
	}
	if on {
		return render.Reply{Text: r.Msg("digest_cmds.names_on", nil)}, nil
	}
	return render.Reply{Text: r.Msg("digest_cmds.names_off", nil)}, nil
}

func (a *App) digestPreview(ctx context.Context, r *Request) (render.Reply, error) {
	view := render.DigestView{Lang: r.Lang(), Loc: r.Caller.Loc, Names: true}
	sub, err := a.store.DigestIn(ctx, r.TeamID, r.ChannelID)
	subscribed := err == nil
	if err != nil && coach.ErrorCode(err) != coach.ENotFound {
		return render.Reply{}, err
	}
	if subscribed {
		view = render.DigestView{Lang: sub.Lang, Loc: sub.Schedule.Location(), Names: sub.Names}
	}
	_, reply, err := a.BuildDigest(ctx, r.TeamID, r.Now, view)
	if err != nil {
		return render.Reply{}, err
	}
	reply.Text = r.Msg("digest_cmds.preview_only_you_see", nil) + reply.Text
	var status string
	if subscribed {
		status = render.SubStatus(r.Viewer, sub)
	} else {
		status = r.Msg("digest_cmds.this_channel_gets_no", nil)
	}
	reply.Note = status + "\n" + reply.Note
	reply.Public = false
	return reply, nil
}

func (a *App) digestStatus(ctx context.Context, r *Request) (render.Reply, error) {
	subs, err := a.store.TeamDigests(ctx, r.TeamID)
	if err != nil {
		return render.Reply{}, err
	}
	if len(subs) == 0 {
		return render.Reply{Text: r.Msg("digest_cmds.no_weekly_digest_yet", nil)}, nil
	}
	var lines []render.Line
	for _, s := range subs {
		lines = append(lines, render.T(render.SubStatus(r.Viewer, s)))
	}
	return render.Reply{Text: r.Msg("digest_cmds.the_team_s_weekly", nil), Sections: render.Chunk("", lines),
		Note: r.Msg("digest_cmds.in_a_channel_coach", nil)}, nil
}
