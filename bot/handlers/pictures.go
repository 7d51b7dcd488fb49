package handlers

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/slack-go/slack"

	"salescoach/bot/jobs"
	"salescoach/bot/observe"
	"salescoach/bot/render"
	"salescoach/bot/transport"
	"salescoach/coach"
)

// coachFlow answers /coach flow [weeks N]: the team's process flowchart,
// sent to the caller's direct messages.
func (a *App) coachFlow(ctx context.Context, r *Request, args string) (render.Reply, error) {
	weeks, err := parseWeeks(args, jobs.FlowWeeks)
	if err != nil {
		return render.Reply{}, err
	}
	to := r.Now
	from := coach.PeriodStart(to, weeks)
	c := r.Caller
	return a.sendPicture(ctx, c, pictureJob{
		name:    fmt.Sprintf("flow-%s-%s.png", c.TeamID, to.Format(pictureTimestamp)),
		what:    coach.Msg("pictures.what.flow", nil),
		title:   render.Msg(c.Lang, "pictures.flow.title", coach.Args{"weeks": weeks}),
		comment: render.Msg(c.Lang, "pictures.flow.comment", coach.Args{"weeks": weeks}),
		render: func(ctx context.Context) ([]byte, error) {
			return a.pictures.FlowPNG(ctx, c.TeamID, from, to, c.Lang, c.Loc)
		},
	}), nil
}

// coachTrend answers /coach trend [weeks N]: the won cycle week by week.
func (a *App) coachTrend(ctx context.Context, r *Request, args string) (render.Reply, error) {
	weeks, err := parseWeeks(args, jobs.TrendWeeks)
	if err != nil {
		return render.Reply{}, err
	}
	to := r.Now
	c := r.Caller
	return a.sendPicture(ctx, c, pictureJob{
		name:    fmt.Sprintf("trend-%s-%s.png", c.TeamID, to.Format(pictureTimestamp)),
		what:    coach.Msg("pictures.what.trend", nil),
		title:   render.Msg(c.Lang, "pictures.trend.title", coach.Args{"weeks": weeks}),
		comment: render.Msg(c.Lang, "pictures.how_long_your_team", nil),
		render: func(ctx context.Context) ([]byte, error) {
			return a.pictures.TrendPNG(ctx, c.TeamID, to, weeks, c.Lang, c.Loc)
		},
	}), nil
}

// dealBlueprint answers /deal blueprint <deal>.
func (a *App) dealBlueprint(ctx context.Context, r *Request, args string) (render.Reply, error) {
	dn, _, err := a.resolve(ctx, r, args, true)
	if err != nil {
		return render.Reply{}, err
	}
	return a.sendBlueprint(ctx, r.Caller, dn.ID, nil), nil
}

// sendBlueprint sends the service blueprint of a deal the caller may see to
// their direct messages and returns the reply to show at once. The Blueprint
// button of /deal show calls it with the deal's id.
// failed, when not nil, runs when the picture could not be delivered.
func (a *App) sendBlueprint(ctx context.Context, c coach.Caller, dealID int64, failed func(context.Context)) render.Reply {
	now := a.now().UTC()
	return a.sendPicture(ctx, c, pictureJob{
		failed:  failed,
		name:    fmt.Sprintf("blueprint-%s-%d-%s.png", c.TeamID, dealID, now.Format(pictureTimestamp)),
		what:    coach.Msg("pictures.what.blueprint", nil),
		title:   render.Msg(c.Lang, "pictures.service_blueprint", nil),
		comment: render.Msg(c.Lang, "pictures.the_deal_s_stays", nil),
		render: func(ctx context.Context) ([]byte, error) {
			return a.blueprintPNG(ctx, c, dealID, now)
		},
	})
}

// pictureTimestamp names the pictures sent for a command by when they were drawn.
const pictureTimestamp = "20060102-150405"

// blueprintPNG draws the service blueprint of a deal the caller may see, as
// of now.
func (a *App) blueprintPNG(ctx context.Context, c coach.Caller, dealID int64, now time.Time) ([]byte, error) {
	if a.pictures == nil {
		return nil, jobs.ErrNoPictures
	}
	d, log, err := a.store.Deal(ctx, c, dealID)
	if err != nil {
		return nil, err
	}
	return a.pictures.BlueprintPNG(ctx, c, d, log, now)
}

// pictureJob is a picture to draw and deliver.
type pictureJob struct {
	name    string        // the file name
	what    coach.Message // what it is, for the replies
	title   string
	comment string
	render  func(ctx context.Context) ([]byte, error)
	failed  func(ctx context.Context) // when not nil, run if it was not delivered
}

// sendPicture delivers a picture. In the console (PictureDir set) it draws
// it at once, writes the file and replies with its path. In Slack it replies
// at once and draws and uploads it to the caller's direct messages in the
// background, with a context of its own: nothing slow sits on the reply path.
func (a *App) sendPicture(ctx context.Context, c coach.Caller, job pictureJob) render.Reply {
	if a.pictureDir != "" {
		path, err := a.writePicture(ctx, job)
		if err != nil {
			if job.failed != nil {
				job.failed(ctx)
			}
			a.log.ErrorContext(ctx, "picture failed", "team", c.TeamID, "picture", job.name, "err", err)
			return render.Fail(render.ErrorMessage(err, c.Lang))
		}
		return render.Reply{Text: render.Msg(c.Lang, "pictures.written", coach.Args{"what": job.what, "path": path})}
	}
	if _, err := a.slack.Client(ctx, c.TeamID); err != nil {
		a.log.WarnContext(ctx, "picture not sent: no Slack client", "team", c.TeamID, "err", err)
		if job.failed != nil {
			job.failed(ctx)
		}
		if errors.Is(err, transport.ErrReinstall) {
			return render.Fail(reinstallText(render.Viewer{Caller: c}))
		}
		return render.Fail(render.Msg(c.Lang, "pictures.pictures_go_to_your", nil))
	}
	// Background work runs under the App's context, which Close cancels.
	bg, cancel := context.WithTimeout(a.cs.bgCtx, jobs.PictureTimeout)
	a.bg.Add()
	go func() {
		defer a.bg.Done()
		defer cancel()
		defer observe.Recovered(bg, a.metrics, a.log, "picture")
		if err := a.uploadPicture(bg, c, job); err != nil {
			a.log.ErrorContext(bg, "picture not delivered", "team", c.TeamID, "user", c.UserID, "picture", job.name, "err", err)
			if job.failed != nil {
				// The App's context may be what ended the upload.
				ctx, cancel := context.WithTimeout(context.WithoutCancel(bg), 5*time.Second)
				job.failed(ctx)
				cancel()
			}
		}
	}()
	return render.Reply{Text: render.Msg(c.Lang, "pictures.drawing", coach.Args{"what": job.what})}
}

// writePicture draws a picture into the console's picture folder and returns
// the file's path.
func (a *App) writePicture(ctx context.Context, job pictureJob) (string, error) {
	png, err := job.render(ctx)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(a.pictureDir, 0o755); err != nil {
		return "", fmt.Errorf("picture folder: %w", err)
	}
	path := filepath.Join(a.pictureDir, job.name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return "", fmt.Errorf("write picture: %w", err)
	}
	return path, nil
}

// uploadPicture draws a picture and uploads it to the caller's direct
// messages with Slack's external upload (getUploadURLExternal, the upload,
// completeUploadExternal). When drawing fails it tells the caller there.
func (a *App) uploadPicture(ctx context.Context, c coach.Caller, job pictureJob) error {
	api, err := a.slack.Client(ctx, c.TeamID)
	if err != nil {
		return err
	}
	var channel string
	err = a.cs.retry.Do(ctx, func(ctx context.Context) error {
		ch, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{c.UserID}, ReturnIM: true})
		if err == nil {
			channel = ch.ID
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("open direct message: %w", err)
	}
	png, rerr := job.render(ctx)
	if rerr != nil {
		msg := render.ErrorMessage(rerr, c.Lang)
		text := render.Msg(c.Lang, "pictures.failed", coach.Args{"what": job.what, "why": msg})
		err := a.cs.retry.Do(ctx, func(ctx context.Context) error {
			_, _, err := api.PostMessageContext(ctx, channel, slack.MsgOptionText(text, false))
			return err
		})
		return errors.Join(fmt.Errorf("draw %s: %w", job.name, rerr), err)
	}
	return jobs.UploadPNG(ctx, a.retry, api, channel, "", job.name, job.title, job.comment, png)
}

// attachPictures adds to a posted digest, in its thread, the flowchart of
// the digest's 90 days (drawn from the report it already has) and the won
// cycle of the last TrendWeeks weeks. It is the digest's attachment hook when
// the App has pictures. When the store keeps the digests' files (the
// database does), each picture of a subscription's week is claimed there
// first, so it is shared once however many processes post digests. Each
// picture is tried; their errors are joined.
func (a *App) attachPictures(ctx context.Context, p jobs.PostedDigest) error {
	files, _ := a.store.(jobs.DigestFileStore)
	return (&jobs.DigestPictures{Pictures: a.pictures, Files: files, Retry: a.retry, Now: a.now}).Attach(ctx, p)
}
