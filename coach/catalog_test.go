package coach_test

import (
	"salescoach/bot/render"
	"salescoach/coach"
)

// The tests read coach's errors as users see them, through the catalog.
func init() { coach.ErrorMessage = render.ErrorMessage }
