package bot

import (
	"context"
	"fmt"
	"strconv"

	"github.com/slack-go/slack"

	"salescoach/coach"
)

// maxBlocksView is Slack's limit of blocks in a modal or the App Home tab.
const maxBlocksView = 100

// homeDeals is how many open deals the Home tab reads; fewer fit.
const homeDeals = 100

// PublishHome draws a user's App Home tab — their open deals by stage, each
// with why it needs attention, its next step and buttons, and for a manager the team's pipeline — and
// publishes it. status, when not nil, is the result of what the user just did
// there, shown on top.
func (a *App) PublishHome(ctx context.Context, teamID, userID string, status *Reply) error {
	r, err := a.start(ctx, Request{TeamID: teamID, UserID: userID})
	if err != nil {
		return err
	}
	view, err := a.homeView(ctx, &r, status)
	if err != nil {
		return err
	}
	client, err := a.slack.Client(ctx, teamID)
	if err != nil {
		return err
	}
	return Retry{Attempts: 3}.Do(ctx, func(ctx context.Context) error {
		_, err := client.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: userID, View: view})
		return err
	})
}

func (a *App) homeView(ctx context.Context, r *Request, status *Reply) (slack.HomeTabViewRequest, error) {
	deals, total, err := a.store.ListDeals(ctx, r.TeamID, coach.ListFilter{Owner: r.UserID, Statuses: []coach.Status{coach.StatusOpen}, Limit: homeDeals})
	if err != nil {
		return slack.HomeTabViewRequest{}, err
	}
	ids := make([]int64, len(deals))
	for i, d := range deals {
		ids[i] = d.ID
	}
	logs, err := a.store.Logs(ctx, r.TeamID, ids)
	if err != nil {
		return slack.HomeTabViewRequest{}, err
	}
	var team []slack.Block
	if r.Caller.Manager {
		totals, err := a.store.PipelineTotals(ctx, r.TeamID)
		if err != nil {
			return slack.HomeTabViewRequest{}, err
		}
		team = teamPipeline(r, totals)
	}

	head := []slack.Block{slack.NewHeaderBlock(plain(r.T("Your pipeline", "我的销售管道")))}
	if status != nil && status.Text != "" {
		mark := "✅ "
		if status.Failed {
			mark = "⚠️ "
		}
		head = append(head, slack.NewSectionBlock(mrkdwn(truncate(mark+escapeMrkdwn(status.Text), maxSectionText)), nil, nil))
	}
	head = append(head, actionsBlock("home", []Action{{ID: actAdd, Label: r.T("New deal", "新建交易"), Style: "primary"}}))
	foot := slack.NewContextBlock("help", mrkdwn(r.T("Commands work too: /deal help · /coach help", "也可以用命令：/deal help · /coach help")))

	// What is left for the deals, keeping one block for a "more" note.
	room := maxBlocksView - len(head) - len(team) - 1 - 1
	var body []slack.Block
	shown := 0
	if total == 0 {
		body = append(body, slack.NewSectionBlock(mrkdwn(escapeMrkdwn(r.T(
			"You have no open deals. Add one with the button above or /deal add Acme Corp $12,000.",
			"您目前没有进行中的交易。点上面的按钮或用 /deal add Acme Corp $12,000 新建一笔。"))), nil, nil))
	}
	for _, st := range coach.OpenStages {
		var inStage []coach.Deal
		for _, d := range deals {
			if d.Stage == st {
				inStage = append(inStage, d)
			}
		}
		if len(inStage) == 0 || room < 3 {
			continue
		}
		body = append(body, slack.NewHeaderBlock(plain(fmt.Sprintf("%s · %d", st.Name(r.Lang()), len(inStage)))))
		room--
		for _, d := range inStage {
			if room < 2 {
				break
			}
			body = append(body,
				slack.NewSectionBlock(mrkdwn(adviceSection(r, d, a.advise(ctx, r, d, logs[d.ID])).mrkdwn()), nil, nil),
				actionsBlock("deal_"+strconv.FormatInt(d.ID, 10), dealButtons(r, d, false)))
			room -= 2
			shown++
		}
	}
	if more := total - shown; more > 0 && total > 0 {
		body = append(body, slack.NewContextBlock("more", mrkdwn(escapeMrkdwn(r.T(
			fmt.Sprintf("Showing %d of your %d open deals, longest in their stage first. /deal list shows the rest.", shown, total),
			fmt.Sprintf("这里显示了您 %d 笔进行中交易中的 %d 笔（在当前阶段停留最久的在前）。用 /deal list 查看其余的。", total, shown))))))
	}

	blocks := append(append(append(head, body...), team...), foot)
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}, nil
}

// teamPipeline is the manager's part of the Home tab: the team's open deals
// per stage and their value in the reporting currency.
func teamPipeline(r *Request, totals []coach.StageTotal) []slack.Block {
	lang := r.Lang()
	blocks := []slack.Block{slack.NewDividerBlock(), slack.NewHeaderBlock(plain(r.T("Team pipeline", "团队销售管道")))}
	if len(totals) == 0 {
		return append(blocks, slack.NewSectionBlock(mrkdwn(r.T("The team has no open deals.", "团队目前没有进行中的交易。")), nil, nil))
	}
	var fields []*slack.TextBlockObject
	var deals, excluded int
	var cents int64
	for _, t := range totals {
		value := coach.FormatMoney(coach.Money{Cents: t.Cents, Currency: r.Caller.Currency})
		fields = append(fields, mrkdwn(fmt.Sprintf("*%s*\n%s · %s", t.Stage.Name(lang),
			r.T(fmt.Sprintf("%d deals", t.Deals), fmt.Sprintf("%d 笔", t.Deals)), value)))
		deals += t.Deals
		excluded += t.Excluded
		cents += t.Cents
	}
	blocks = append(blocks, slack.NewSectionBlock(nil, fields, nil))
	total := coach.FormatMoney(coach.Money{Cents: cents, Currency: r.Caller.Currency})
	note := r.T(fmt.Sprintf("Open: %d deals worth %s.", deals, total), fmt.Sprintf("进行中：%d 笔，合计 %s。", deals, total))
	if excluded > 0 {
		note += r.T(fmt.Sprintf(" %d in other currencies are left out of the value.", excluded),
			fmt.Sprintf("另有 %d 笔为其他币种，未计入金额。", excluded))
	}
	return append(blocks, slack.NewContextBlock("team_total", mrkdwn(note)))
}
