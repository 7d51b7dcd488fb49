package jobs

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"salescoach/bot/render"
	"salescoach/bot/transport"
	"salescoach/coach"
)

// DigestFileStore keeps the once-only record of the pictures added to
// posted digests: a picture is claimed before it is uploaded, and never
// claimed twice for the same subscription-week.
type DigestFileStore interface {
	// ClaimDigestFile reports whether this call claimed the picture; false
	// when it was claimed before, whatever became of it.
	ClaimDigestFile(ctx context.Context, subID int64, week time.Time, picture string, at time.Time) (bool, error)
	// FinishDigestFile records the upload's end: failure is "" when shared.
	FinishDigestFile(ctx context.Context, subID int64, week time.Time, picture, failure string, at time.Time) error
}

// DigestPictures adds the team's process flowchart and its won-cycle trend
// to each digest posted, in the digest's thread (the channel stays one
// message a week) and in the digest's language. An App with pictures uses it
// as its digest hook, with the store as Files when the store keeps them; a
// Config.DigestAttach can use it with other settings (set App once New has
// returned).
//
// For a subscription's digest each picture is claimed in Files before it is
// drawn and uploaded. A picture already claimed is skipped, so two processes,
// or the same digest handed over twice, share it once. A crash between the
// claim and the end of the upload leaves that picture missing: a picture may
// be missed, never posted twice. A digest posted by hand (SubID 0) gets its
// pictures without a claim.
type DigestPictures struct {
	Pictures *Pictures
	Files    DigestFileStore
	Retry    transport.Retry  // how the uploads are retried
	Now      func() time.Time // time.Now when nil
	// UploadTimeout bounds the upload of one picture (its three Slack
	// calls, retries included); 1 minute when 0.
	UploadTimeout time.Duration
}

// Digest pictures, by the name their claim carries.
const (
	digestFlow  = "flow"
	digestTrend = "trend"
)

// Attach draws and uploads the digest's pictures, one after the other. A
// picture that fails does not stop the other; the error says which failed.
// The digest itself is never touched.
func (d *DigestPictures) Attach(ctx context.Context, p PostedDigest) error {
	if d.Pictures == nil {
		return errors.New("digest pictures: no pictures")
	}
	lang, loc := p.View.Lang, p.View.Loc
	if loc == nil {
		loc = time.UTC
	}
	day := p.At.In(loc).Format("2006-01-02")
	q := p.Reports.Quarter
	days := int(math.Round(q.To.Sub(q.From).Hours() / 24))
	pics := []struct {
		name string
		job  digestPicture
	}{
		{digestFlow, digestPicture{
			name:    fmt.Sprintf("flow-%s-%s.png", p.TeamID, day),
			title:   windowTitle(lang, days),
			comment: render.Msg(lang, "jobs.flow.comment", nil),
			draw: func(ctx context.Context) ([]byte, error) {
				return d.Pictures.FlowPNGOf(ctx, q, lang, loc)
			},
		}},
		{digestTrend, digestPicture{
			name:    fmt.Sprintf("trend-%s-%s.png", p.TeamID, day),
			title:   render.Msg(lang, "pictures.trend.title", coach.Args{"weeks": TrendWeeks}),
			comment: render.Msg(lang, "jobs.trend.comment", nil),
			draw: func(ctx context.Context) ([]byte, error) {
				return d.Pictures.TrendPNG(ctx, p.TeamID, p.At, TrendWeeks, lang, loc)
			},
		}},
	}
	var errs []error
	for _, pic := range pics {
		if err := d.attachOne(ctx, p, pic.name, pic.job); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", pic.name, err))
		}
	}
	return errors.Join(errs...)
}

// attachOne claims, draws, uploads and records one picture of a digest.
func (d *DigestPictures) attachOne(ctx context.Context, p PostedDigest, picture string, job digestPicture) error {
	claimed := p.SubID != 0 && d.Files != nil
	if claimed {
		ok, err := d.Files.ClaimDigestFile(ctx, p.SubID, p.Week, picture, d.now())
		if err != nil {
			return fmt.Errorf("claim: %w", err) // unclaimed, so not uploaded
		}
		if !ok {
			return nil // claimed before: shared already, or given up on
		}
	}
	dctx, cancel := context.WithTimeout(ctx, PictureTimeout)
	png, err := job.draw(dctx)
	cancel()
	if err == nil {
		timeout := d.UploadTimeout
		if timeout <= 0 {
			timeout = time.Minute
		}
		uctx, cancel := context.WithTimeout(ctx, timeout)
		err = UploadPNG(uctx, d.Retry, p.Client, p.ChannelID, p.TS, job.name, job.title, job.comment, png)
		cancel()
	}
	if claimed {
		failure := ""
		if err != nil {
			failure = err.Error()
		}
		// Record the end even when ctx is ending: the upload is over.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if rerr := d.Files.FinishDigestFile(rctx, p.SubID, p.Week, picture, failure, d.now()); rerr != nil {
			return errors.Join(err, fmt.Errorf("record: %w", rerr))
		}
	}
	return err
}

// digestPicture is one picture of a digest: its file, title and comment,
// and how it is drawn.
type digestPicture struct {
	name, title, comment string
	draw                 func(ctx context.Context) ([]byte, error)
}

func (d *DigestPictures) now() time.Time {
	if d.Now == nil {
		return time.Now()
	}
	return d.Now()
}

// windowTitle names the flowchart's window as /coach flow does: in weeks when
// it is whole weeks (the digest's 13), else in days.
func windowTitle(lang coach.Lang, days int) string {
	if days%7 == 0 {
		return render.Msg(lang, "pictures.flow.title", coach.Args{"weeks": days / 7})
	}
	return render.Msg(lang, "jobs.flow.title.days", coach.Args{"days": days})
}
