package coach

// Buttons and modals in Slack act on a deal as it was when they were drawn.
// The store records every click it acted on (see Store.ChangeOnce in bot), so
// that a double click, a double submit or a replayed action changes a deal
// once; these errors say why a click did nothing.

// ErrAlreadyDone is returned for a click or submission that was acted on
// before: nothing changed this time.
var ErrAlreadyDone = Fail(EConflict, "Already done: that button had already worked, so nothing changed this time.",
	"已经处理过了：这个按钮之前已经生效，这次没有再做任何改动。")

// ErrStale is returned for a click on a message drawn for an earlier state of
// the deal: something changed it since, so the click is not acted on.
var ErrStale = Fail(EConflict, "That message was out of date: the deal changed after it was shown, so nothing was done.",
	"这条消息已经过时：商机在显示之后又有了变化，所以这次没有执行任何操作。")
