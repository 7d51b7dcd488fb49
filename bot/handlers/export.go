package handlers

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/slack-go/slack"

	"salescoach/bot/render"
	"salescoach/bot/transport"
	"salescoach/coach"
)

// exportTimeout bounds the delivery of an export to Slack.
const exportTimeout = 2 * time.Minute

// dealExport answers /deal export: the caller's deals (a manager: the team's)
// as a stage-history CSV (§8). The reply comes at once; the file goes to the
// caller's direct messages in the background, so no Slack call sits on the
// reply's path. In the console there is no Slack: the file is written to
// FilesDir and the reply gives its path.
func (a *App) dealExport(ctx context.Context, r *Request, _ string) (render.Reply, error) {
	owner := r.UserID
	if r.Caller.Manager {
		owner = ""
	}
	rows, err := a.store.History(ctx, r.TeamID, owner)
	if err != nil {
		return render.Reply{}, err
	}
	if len(rows) == 0 {
		if owner == "" {
			return render.Reply{Text: r.Msg("export.the_team_has_no", nil)}, nil
		}
		return render.Reply{Text: r.Msg("export.you_have_no_deals", nil)}, nil
	}
	deals := map[string]bool{}
	for _, row := range rows {
		deals[row.DealID] = true
	}
	name := fmt.Sprintf("deals-%s-%s.csv", r.TeamID, r.Now.In(r.Caller.Loc).Format("2006-01-02"))
	if owner != "" {
		name = fmt.Sprintf("deals-%s-%s-%s.csv", r.TeamID, owner, r.Now.In(r.Caller.Loc).Format("2006-01-02"))
	}
	data := coach.HistoryCSV(rows)
	what := r.Msg("export.what", coach.Args{"deals": len(deals), "rows": len(rows)})

	if a.filesDir != "" {
		path := filepath.Join(a.filesDir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return render.Reply{}, fmt.Errorf("write export: %w", err)
		}
		return render.Reply{Text: r.Msg("export.written", coach.Args{"what": what, "path": path})}, nil
	}

	req := *r
	a.background(func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), exportTimeout)
		defer cancel()
		comment := req.Msg("export.comment", coach.Args{"what": what})
		if err := a.sendFile(ctx, req.TeamID, req.UserID, name, comment, data); err != nil {
			a.log.ErrorContext(ctx, "export not delivered", "team", req.TeamID, "user", req.UserID, "err", err)
			a.respondText(ctx, req.ResponseURL, slackTrouble(&req, err, req.Msg("export.not_sent", nil)))
		}
	})
	return render.Reply{Text: r.Msg("export.sending", coach.Args{"what": what})}, nil
}

// background runs fn after the answer to Slack; Drain and Wait wait for it.
func (a *App) background(fn func()) { a.Go(func(context.Context) { fn() }) }

// sendFile uploads a file into the direct messages of a user, through
// Slack's external-upload flow, retrying what surely did nothing.
func (a *App) sendFile(ctx context.Context, teamID, userID, name, comment string, data []byte) error {
	client, err := a.slack.Client(ctx, teamID)
	if err != nil {
		return err
	}
	var channel string
	err = transport.Retry{}.Do(ctx, func(ctx context.Context) error {
		ch, _, _, err := client.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{userID}, ReturnIM: true})
		if err == nil {
			channel = ch.ID
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("open direct messages: %w", err)
	}
	err = transport.Retry{}.Do(ctx, func(ctx context.Context) error {
		_, err := client.UploadFileContext(ctx, slack.UploadFileParameters{
			Reader: bytes.NewReader(data), FileSize: len(data), Filename: name, Title: name,
			InitialComment: comment, Channel: channel,
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("upload %s: %w", name, transport.RedactErr(err))
	}
	return nil
}

// respondText posts an ephemeral line through a slash command's response_url;
// a failure is logged, there being no one else to tell.
func (a *App) respondText(ctx context.Context, responseURL, text string) {
	if responseURL == "" {
		return
	}
	if err := a.Respond(ctx, responseURL, render.Fail(text).Message()); err != nil {
		a.log.WarnContext(ctx, "response_url post failed", "err", err)
	}
}
