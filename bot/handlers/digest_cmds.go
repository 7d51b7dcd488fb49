package handlers

import (
	"context"
	"fmt"
	"strings"

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
	return render.Fail(r.T(fmt.Sprintf("Unknown digest command %q. Try /coach digest here [weekday] [HH:MM] [zone], /coach digest off, /coach digest preview or /coach digest names on|off.", verb),
		fmt.Sprintf("无法识别摘要命令“%s”。试试 /coach digest here [星期几] [HH:MM] [时区]、/coach digest off、/coach digest preview 或 /coach digest names on|off。", verb))), nil
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
		return render.Fail(r.T("A group direct message cannot get the weekly digest: I cannot post there on a schedule. Run /coach digest here in a channel, public or private, and invite the people in it. Nothing was scheduled.",
			"群组私信无法接收每周摘要：我不能按时在那里发消息。请在一个频道（公开或私有均可）里运行 /coach digest here，并邀请相关的人加入。没有设置任何摘要。")), nil
	}
	if !postableChannel(r.ChannelID) {
		return render.Fail(r.T("Run /coach digest here in the Slack channel, public or private, that should get the digest. /coach digest preview shows it anywhere.",
			"请在要接收摘要的 Slack 频道（公开或私有均可）里运行 /coach digest here。/coach digest preview 在任何地方都能预览。")), nil
	}
	sched, gaveZone, err := coach.ParseSchedule(args, coach.DefaultSchedule(r.Caller.Loc))
	if err != nil {
		return render.Reply{}, err
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
	var zone [2]string
	switch {
	case gaveZone:
		zone = [2]string{"", ""}
	case sched.Zone == "UTC":
		zone = [2]string{" I don't know your Slack time zone yet, so I used UTC; add a zone to choose another, e.g. /coach digest here monday 09:00 Europe/Berlin.",
			"我还不知道您的 Slack 时区，所以用了 UTC；如需其他时区请加上，例如 /coach digest here 周一 09:00 Asia/Shanghai。"}
	default:
		zone = [2]string{" That is your Slack time zone; add a zone to choose another.", "这是您的 Slack 时区；如需其他时区请在命令中加上。"}
	}
	loc := sub.Schedule.Location()
	first := sub.Schedule.Next(r.Now)
	when := r.T(fmt.Sprintf("every %s at %s, %s time", sched.WeekdayName(coach.EN), sched.Clock(), sched.Zone),
		fmt.Sprintf("每%s %s（%s 时间）", sched.WeekdayName(coach.ZH), sched.Clock(), sched.Zone))
	firstDay := render.DigestDate(render.Viewer{Caller: coach.Caller{Lang: r.Lang(), Loc: loc}}, first)
	text := r.T(fmt.Sprintf("Done: I'll post the weekly digest in this channel %s.%s The first one comes %s.", when, zone[0], firstDay),
		fmt.Sprintf("好的：我会在本频道%s发布每周摘要。%s第一期在%s。", when, zone[1], firstDay))
	if existed {
		text = r.T(fmt.Sprintf("Changed: the weekly digest in this channel now comes %s.%s The next one comes %s.", when, zone[0], firstDay),
			fmt.Sprintf("已修改：本频道的每周摘要改为%s发布。%s下一期在%s。", when, zone[1], firstDay))
	}
	namesLine := r.T("Its needs-attention list names the deals; /coach digest names off shows counts per rep instead.",
		"“需要关注”列表会列出商机名称；/coach digest names off 改为只显示每位销售的数量。")
	if !sub.Names {
		namesLine = r.T("Deal names stay hidden (counts per rep); /coach digest names on shows them.",
			"商机名称保持隐藏（只显示每位销售的数量）；/coach digest names on 可以显示。")
	}
	langLine := r.T("It is written in English, your language now. To change that, switch with /coach lang zh and run /coach digest here again.",
		"摘要使用中文（您当前的语言）。如需改用英文，先用 /coach lang en 切换，再运行一次 /coach digest here。")
	return render.Reply{
		Text:     text,
		Sections: []render.Section{{Lines: []render.Line{render.T(namesLine), render.T(langLine)}}},
		Note: r.T("I post only in channels I'm a member of, and never in channels shared with another organisation. If I'm not in this channel yet, invite me: /invite @Sales Coach. /coach digest preview shows what it will look like.",
			"我只在自己已加入的频道发布，且从不在与其他组织共享的频道（Slack Connect）发布。如果我还不在本频道，请邀请我：/invite @Sales Coach。/coach digest preview 可以预览摘要。"),
	}, nil
}

func (a *App) digestOff(ctx context.Context, r *Request) (render.Reply, error) {
	if _, err := a.store.StopDigest(ctx, r.TeamID, r.ChannelID); err != nil {
		return render.Reply{}, err
	}
	return render.Reply{Text: r.T("Stopped: no more weekly digests in this channel. /coach digest here starts them again.",
		"已停止：本频道不再发布每周摘要。用 /coach digest here 可以重新开始。")}, nil
}

func (a *App) digestNames(ctx context.Context, r *Request, args string) (render.Reply, error) {
	var on bool
	switch strings.ToLower(args) {
	case "on", "show", "显示":
		on = true
	case "off", "hide", "隐藏":
	default:
		return render.Fail(r.T("Use /coach digest names on to show deal names in this channel's digest, or /coach digest names off to hide them.",
			"用 /coach digest names on 在本频道摘要中显示商机名称，或用 /coach digest names off 隐藏。")), nil
	}
	if _, err := a.store.SetDigestNames(ctx, r.TeamID, r.ChannelID, on); err != nil {
		return render.Reply{}, err
	}
	if on {
		return render.Reply{Text: r.Msg("digest_cmds.from_now_on_this", nil)}, nil
	}
	return render.Reply{Text: r.Msg("digest_cmds.from_now_on_this_2", nil)}, nil
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
		status = r.T("This channel gets no digest yet: /coach digest here posts it every Monday at 09:00.",
			"本频道还没有订阅摘要：/coach digest here 会在每周一 09:00 发布。")
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
		return render.Reply{Text: r.T("No weekly digest yet. /coach digest here posts one in this channel every Monday at 09:00; /coach digest preview shows it.",
			"还没有订阅每周摘要。/coach digest here 会在本频道每周一 09:00 发布；/coach digest preview 可以预览。")}, nil
	}
	var lines []render.Line
	for _, s := range subs {
		lines = append(lines, render.T(render.SubStatus(r.Viewer, s)))
	}
	return render.Reply{Text: r.Msg("digest_cmds.the_team_s_weekly", nil), Sections: render.Chunk("", lines),
		Note: r.T("In a channel: /coach digest here [weekday] [HH:MM] [zone] changes it, /coach digest off stops it, /coach digest names on|off shows or hides deal names.",
			"在频道中：/coach digest here [星期几] [HH:MM] [时区] 修改，/coach digest off 停止，/coach digest names on|off 显示或隐藏商机名称。")}, nil
}
