package jobs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"salescoach/bot/transport"
	"salescoach/coach"
	"salescoach/picture"
)

// PictureStore is what the pictures need of the database.
type PictureStore interface {
	// Report returns the §9 metrics of a team over [from, to).
	Report(ctx context.Context, teamID string, from, to time.Time) (coach.Report, error)
	// Transitions counts the moves between stages observed in [from, to).
	Transitions(ctx context.Context, teamID string, from, to time.Time) ([]coach.Transition, error)
	// WonCycleWeeks returns the won cycle of each of the weeks that end at to.
	WonCycleWeeks(ctx context.Context, teamID string, to time.Time, weeks int) ([]coach.WeekCycle, error)
}

// Defaults of the pictures.
const (
	FlowWeeks      = coach.PeriodWeeks // /coach flow, as /coach stats and the digest
	TrendWeeks     = 12
	blueprintDays  = 90              // the team's p90s come from the 90 days before now
	PictureTimeout = 2 * time.Minute // drawing one picture, and sending it
	// maxDrawing bounds the pictures drawn at once: each holds a canvas of
	// about 8 MB while it is drawn, and the CPU is the limit anyway.
	maxDrawing = 2
)

// A Drawing is a picture with its data, ready to draw: picture.Flow,
// picture.Trend or picture.Blueprint.
type Drawing interface {
	PNG(lang coach.Lang) ([]byte, error)
}

// A Painter turns a drawing into the PNG that is sent. The pictures are
// drawn by their own PNG method (Paint); tests that check how a picture
// travels rather than how it looks give a quicker one.
type Painter func(d Drawing, lang coach.Lang) ([]byte, error)

// Paint draws d with package picture.
func Paint(d Drawing, lang coach.Lang) ([]byte, error) { return d.PNG(lang) }

// Pictures draws the team's pictures from the data of a PictureStore, a
// few at a time. Create it with NewPictures.
type Pictures struct {
	store   PictureStore
	paint   Painter
	drawing chan struct{} // one slot per picture drawn at a time
}

// NewPictures returns the pictures of store's data, drawn by paint (Paint
// when nil); without a store, every picture fails.
func NewPictures(store PictureStore, paint Painter) *Pictures {
	if paint == nil {
		paint = Paint
	}
	return &Pictures{store: store, paint: paint, drawing: make(chan struct{}, maxDrawing)}
}

// ErrNoPictures is returned when there is no PictureStore.
var ErrNoPictures = errors.New("pictures: no picture store configured")

// FlowPNG draws a team's process flowchart over [from, to) in lang, with
// dates in loc. The weekly digest attaches it.
func (a *Pictures) FlowPNG(ctx context.Context, teamID string, from, to time.Time, lang coach.Lang, loc *time.Location) ([]byte, error) {
	if a == nil || a.store == nil {
		return nil, ErrNoPictures
	}
	rep, err := a.store.Report(ctx, teamID, from, to)
	if err != nil {
		return nil, err
	}
	return a.FlowPNGOf(ctx, rep, lang, loc)
}

// FlowPNGOf draws the flowchart of a report already computed (the digest's
// own), adding only the moves observed in its window.
func (a *Pictures) FlowPNGOf(ctx context.Context, rep coach.Report, lang coach.Lang, loc *time.Location) ([]byte, error) {
	if a == nil || a.store == nil {
		return nil, ErrNoPictures
	}
	moves, err := a.store.Transitions(ctx, rep.TeamID, rep.From, rep.To)
	if err != nil {
		return nil, err
	}
	return a.draw(ctx, picture.FlowOf(rep.TeamID, rep, moves, loc), lang)
}

// draw paints d in lang when a slot is free, so a burst of requests cannot
// draw many pictures at once.
func (a *Pictures) draw(ctx context.Context, d Drawing, lang coach.Lang) ([]byte, error) {
	select {
	case a.drawing <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-a.drawing }()
	return a.paint(d, lang)
}

// TrendPNG draws a team's won sales cycle for each of the weeks that end at
// to, in lang with dates in loc. The weekly digest attaches it.
func (a *Pictures) TrendPNG(ctx context.Context, teamID string, to time.Time, weeks int, lang coach.Lang, loc *time.Location) ([]byte, error) {
	if a == nil || a.store == nil {
		return nil, ErrNoPictures
	}
	ws, err := a.store.WonCycleWeeks(ctx, teamID, to, weeks)
	if err != nil {
		return nil, err
	}
	return a.draw(ctx, picture.Trend{Team: teamID, Weeks: ws, Loc: loc}, lang)
}

// BlueprintPNG draws the service blueprint of deal d with its log as of
// now, for c, with the team's numbers of the 90 days before.
func (a *Pictures) BlueprintPNG(ctx context.Context, c coach.Caller, d coach.Deal, log []coach.Event, now time.Time) ([]byte, error) {
	if a == nil || a.store == nil {
		return nil, ErrNoPictures
	}
	rep, err := a.store.Report(ctx, c.TeamID, now.AddDate(0, 0, -blueprintDays), now)
	if err != nil {
		return nil, err
	}
	bp := picture.Blueprint{Team: c.TeamID, DealBlueprint: coach.Blueprint(d, log, &rep, now, c.Lang), Loc: c.Loc}
	return a.draw(ctx, bp, c.Lang)
}

// UploadPNG shares a picture in a channel (in the thread of thread when it is
// not empty) with Slack's external upload: getUploadURLExternal, the upload,
// completeUploadExternal. Failures Slack surely did not act on are retried.
// The weekly digest attaches its pictures with it.
func UploadPNG(ctx context.Context, retry transport.Retry, api *slack.Client, channel, thread, name, title, comment string, png []byte) error {
	err := retry.Do(ctx, func(ctx context.Context) error {
		_, err := api.UploadFileContext(ctx, slack.UploadFileParameters{
			Reader: bytes.NewReader(png), FileSize: len(png), Filename: name, Title: title, AltTxt: title,
			InitialComment: comment, Channel: channel, ThreadTimestamp: thread,
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("upload %s: %w", name, transport.RedactErr(err))
	}
	return nil
}
