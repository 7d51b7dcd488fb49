package render

import (
	"fmt"

	"salescoach/coach"
)

// ActionBlueprint is the action_id of the Blueprint button of /deal show;
// its value is the deal's id, for sendBlueprint.
const ActionBlueprint = "deal_blueprint"

// The buttons under a coaching reply and in the App Home. A button's value is
// "<deal id>.<version>": the deal and the version of it the button was drawn
// for. The store acts on a click once (ChangeOnce), and not at all when the
// deal changed since the button was drawn.
const (
	ActNext  = "deal_next"
	ActWon   = "deal_won"
	ActLost  = "deal_lost"  // opens the lost modal
	ActNote  = "deal_note"  // opens the note modal
	ActDue   = "deal_due"   // opens the close-date modal
	ActShare = "deal_share" // re-posts the deal's coaching in the channel
	ActAdd   = "deal_add"   // opens the new-deal modal
)

// ActListMore is the More button of /deal list; its value is the arguments
// of the next page ("qualification team page 3").
const ActListMore = "deal_list_more"

// DealButtons returns the buttons for what can be done next with d; share
// adds the Share button, which only makes sense under a message.
func DealButtons(r Viewer, d coach.Deal, share bool) []Action {
	if d.Archived || d.ID == 0 {
		return nil
	}
	v := ButtonValue(d)
	var acts []Action
	if d.Status == coach.StatusOpen {
		if d.Stage.Next() != "" {
			acts = append(acts, Action{ID: ActNext, Label: r.Msg("button.next", nil), Value: v, Style: "primary"})
			acts = append(acts, Action{ID: ActWon, Label: r.Msg("button.won", nil), Value: v})
		} else {
			acts = append(acts, Action{ID: ActWon, Label: r.Msg("button.won", nil), Value: v, Style: "primary"})
		}
		acts = append(acts, Action{ID: ActLost, Label: r.Msg("button.lost", nil), Value: v, Style: "danger"})
		acts = append(acts, Action{ID: ActDue, Label: r.Msg("button.due", nil), Value: v})
	}
	acts = append(acts, Action{ID: ActNote, Label: r.Msg("button.note", nil), Value: v})
	if share {
		acts = append(acts, Action{ID: ActShare, Label: r.Msg("button.share", nil), Value: v})
	}
	return acts
}

func ButtonValue(d coach.Deal) string { return fmt.Sprintf("%d.%d", d.ID, d.Version) }
