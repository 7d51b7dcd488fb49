package handlers

import (
	"context"

	"github.com/slack-go/slack"

	"salescoach/bot/render"
	"salescoach/bot/transport"
	"salescoach/coach"
)

// homeDeals is how many open deals the Home tab reads; fewer fit.
const homeDeals = 100

// PublishHome draws a user's App Home tab — their open deals by stage, each
// with why it needs attention, its next step and buttons, and for a manager the team's pipeline — and
// publishes it. status, when not nil, is the result of what the user just did
// there, shown on top.
func (a *App) PublishHome(ctx context.Context, teamID, userID string, status *render.Reply) error {
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
	return transport.Retry{Attempts: 3}.Do(ctx, func(ctx context.Context) error {
		_, err := client.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: userID, View: view})
		return err
	})
}

// homeView reads what the App Home tab shows the caller and draws it.
func (a *App) homeView(ctx context.Context, r *Request, status *render.Reply) (slack.HomeTabViewRequest, error) {
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
	h := render.Home{Deals: deals, Total: total, Status: status}
	if r.Caller.Manager {
		if h.Team, err = a.store.PipelineTotals(ctx, r.TeamID); err != nil {
			return slack.HomeTabViewRequest{}, err
		}
	}
	for _, d := range deals {
		h.Advice = append(h.Advice, a.advise(ctx, r, d, logs[d.ID]))
	}
	return render.HomeView(r.Viewer, h), nil
}
