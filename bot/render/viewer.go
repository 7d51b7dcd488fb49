package render

import (
	"time"

	"salescoach/coach"
)

// Viewer is who a reply is drawn for and when: their language, time zone,
// currency and user id (in Caller), and the time the reply speaks of.
// Rendering functions call it r, the reader.
type Viewer struct {
	Caller coach.Caller
	Now    time.Time
}

// Lang returns the reader's language.
func (r Viewer) Lang() coach.Lang { return r.Caller.Lang }

// Msg returns the catalog's message key in the reader's language, filled
// from args.
func (r Viewer) Msg(key string, args coach.Args) string { return Msg(r.Lang(), key, args) }

// T returns en or zh in the reader's language.
func (r Viewer) T(en, zh string) string { return r.Caller.Lang.T(en, zh) }
