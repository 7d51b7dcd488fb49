package handlers

import (
	"context"

	"salescoach/bot/render"
	"salescoach/bot/transport"
)

// Button is one row of the button table, which drives the routing of clicks
// and their metrics labels, as the command table does for slash commands.
type Button struct {
	ID    string // action_id, as render draws the button
	Click func(ctx context.Context, r *Request, value string, o render.Origin) transport.Outcome
}

// Label names the click in the metrics.
func (b Button) Label() string { return "block_actions " + b.ID }

// Modal is one row of the modal table: a modal's callback_id, what answers
// its submission, and its first field, under which an error shows when the
// submission cannot be answered (the database is down or too slow).
type Modal struct {
	ID     string // callback_id, as render draws the modal
	First  string // the block_id of its first input
	Submit func(ctx context.Context, r *Request, f form) transport.Outcome
}

// Label names the submission in the metrics.
func (m Modal) Label() string { return "view_submission " + m.ID }

func (a *App) buttons() []Button {
	return []Button{
		{ID: render.ActNext, Click: a.dealClick(a.changeClick(render.ActNext))},
		{ID: render.ActWon, Click: a.dealClick(a.changeClick(render.ActWon))},
		{ID: render.ActLost, Click: a.dealClick(a.modalClick(render.ActLost))},
		{ID: render.ActNote, Click: a.dealClick(a.modalClick(render.ActNote))},
		{ID: render.ActDue, Click: a.dealClick(a.modalClick(render.ActDue))},
		{ID: render.ActShare, Click: a.dealClick(a.share)},
		{ID: render.ActAdd, Click: a.addClick},
		{ID: render.ActionBlueprint, Click: a.blueprintClick},
		{ID: render.ActListMore, Click: a.listMoreClick},
	}
}

func (a *App) modals() []Modal {
	return []Modal{
		{ID: render.CallbackAdd, First: "name", Submit: a.submitAdd},
		{ID: render.CallbackLost, First: "reason", Submit: a.submitLost},
		{ID: render.CallbackNote, First: "note", Submit: a.submitNote},
		{ID: render.CallbackDue, First: "close_date", Submit: a.submitDue},
	}
}

// button returns the row of the button table for actionID, or nil.
func (a *App) button(actionID string) *Button {
	for i := range a.buttonTable {
		if a.buttonTable[i].ID == actionID {
			return &a.buttonTable[i]
		}
	}
	return nil
}

// modal returns the row of the modal table for callbackID, or nil.
func (a *App) modal(callbackID string) *Modal {
	for i := range a.modalTable {
		if a.modalTable[i].ID == callbackID {
			return &a.modalTable[i]
		}
	}
	return nil
}
