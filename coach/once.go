package coach

// Buttons and modals in Slack act on a deal as it was when they were drawn.
// The store records every click it acted on (see Store.ChangeOnce in bot), so
// that a double click, a double submit or a replayed action changes a deal
// once; these errors say why a click did nothing.

// ErrAlreadyDone is returned for a click or submission that was acted on
// before: nothing changed this time.
var ErrAlreadyDone = Fail(EConflict, "button.already_done", nil)

// ErrStale is returned for a click on a message drawn for an earlier state of
// the deal: something changed it since, so the click is not acted on.
var ErrStale = Fail(EConflict, "button.stale", nil)
