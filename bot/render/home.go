package render

import (
	"fmt"
	"strconv"

	"github.com/slack-go/slack"

	"salescoach/coach"
)

// MaxBlocksView is Slack's limit of blocks in a modal or the App Home tab.
const MaxBlocksView = 100

// Home is what the App Home tab shows: the reader's open deals (at most the
// first ones read) with their advice, how many they have in all, the team's
// pipeline for a manager (nil otherwise), and the result of what they just
// did there (nil when nothing).
type Home struct {
	Deals  []coach.Deal
	Advice []coach.Advice // one per deal
	Total  int
	Team   []coach.StageTotal
	Status *Reply
}

// HomeView draws the App Home tab — the reader's open deals by stage, each
// with why it needs attention, its next step and buttons, and for a manager
// the team's pipeline — within Slack's 100 blocks.
func HomeView(r Viewer, h Home) slack.HomeTabViewRequest {
	deals, total, status := h.Deals, h.Total, h.Status
	var team []slack.Block
	if r.Caller.Manager {
		team = teamPipeline(r, h.Team)
	}

	head := []slack.Block{slack.NewHeaderBlock(Plain(r.Msg("home.title", nil)))}
	if status != nil && status.Text != "" {
		mark := "✅ "
		if status.Failed {
			mark = "⚠️ "
		}
		head = append(head, slack.NewSectionBlock(Mrkdwn(Truncate(mark+EscapeMrkdwn(status.Text), MaxSectionText)), nil, nil))
	}
	head = append(head, ActionsBlock("home", []Action{{ID: ActAdd, Label: r.Msg("home.new_deal", nil), Style: "primary"}}))
	foot := slack.NewContextBlock("help", Mrkdwn(r.Msg("home.commands", nil)))

	// What is left for the deals, keeping one block for a "more" note.
	room := MaxBlocksView - len(head) - len(team) - 1 - 1
	var body []slack.Block
	shown := 0
	if total == 0 {
		body = append(body, slack.NewSectionBlock(Mrkdwn(EscapeMrkdwn(r.Msg("home.no_deals", nil))), nil, nil))
	}
	for _, st := range coach.OpenStages {
		var inStage []int
		for i, d := range deals {
			if d.Stage == st {
				inStage = append(inStage, i)
			}
		}
		if len(inStage) == 0 || room < 3 {
			continue
		}
		body = append(body, slack.NewHeaderBlock(Plain(fmt.Sprintf("%s · %d", st.Name(r.Lang()), len(inStage)))))
		room--
		for _, i := range inStage {
			d := deals[i]
			if room < 2 {
				break
			}
			sec := AdviceSection(r, d, h.Advice[i])
			if due := CloseLabel(r, d); due != "" {
				sec.Lines[0].Text += " · " + due
			}
			body = append(body,
				slack.NewSectionBlock(Mrkdwn(sec.Mrkdwn()), nil, nil),
				ActionsBlock("deal_"+strconv.FormatInt(d.ID, 10), DealButtons(r, d, false)))
			room -= 2
			shown++
		}
	}
	if more := total - shown; more > 0 && total > 0 {
		body = append(body, slack.NewContextBlock("more", Mrkdwn(EscapeMrkdwn(r.Msg("home.more", coach.Args{"shown": shown, "total": total})))))
	}

	blocks := append(append(append(head, body...), team...), foot)
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}

// teamPipeline is the manager's part of the Home tab: the team's open deals
// per stage and their value in the reporting currency.
func teamPipeline(r Viewer, totals []coach.StageTotal) []slack.Block {
	lang := r.Lang()
	blocks := []slack.Block{slack.NewDividerBlock(), slack.NewHeaderBlock(Plain(r.Msg("home.team", nil)))}
	if len(totals) == 0 {
		return append(blocks, slack.NewSectionBlock(Mrkdwn(r.Msg("home.team_empty", nil)), nil, nil))
	}
	var fields []*slack.TextBlockObject
	var deals, excluded int
	var cents int64
	for _, t := range totals {
		value := coach.FormatMoney(coach.Money{Cents: t.Cents, Currency: r.Caller.Currency})
		fields = append(fields, Mrkdwn(fmt.Sprintf("*%s*\n%s · %s", t.Stage.Name(lang),
			r.Msg("home.stage_deals", coach.Args{"n": t.Deals}), value)))
		deals += t.Deals
		excluded += t.Excluded
		cents += t.Cents
	}
	blocks = append(blocks, slack.NewSectionBlock(nil, fields, nil))
	total := coach.FormatMoney(coach.Money{Cents: cents, Currency: r.Caller.Currency})
	note := r.Msg("home.team_total", coach.Args{"n": deals, "total": total})
	if excluded > 0 {
		note += r.Msg("home.team_excluded", coach.Args{"n": excluded})
	}
	return append(blocks, slack.NewContextBlock("team_total", Mrkdwn(note)))
}
