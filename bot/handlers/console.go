package handlers

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"salescoach/bot/render"
	"salescoach/coach"
)

// maxLine caps a line typed in the console, as a request from Slack is capped.
const maxLine = 1 << 20

// Console feeds lines typed as in Slack ("/deal add Acme 12k") through the
// command table and prints the replies as plain text: what a script piped
// into `salescoach console` gets. prompt is printed before each line when not
// empty. A terminal gets a line editor instead (cmd/salescoach), which hands
// each line to ConsoleLine.
func (a *App) Console(ctx context.Context, in io.Reader, out io.Writer, teamID, userID, prompt string) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	for {
		if prompt != "" {
			fmt.Fprint(out, prompt)
		}
		if !sc.Scan() {
			break
		}
		if a.ConsoleLine(ctx, out, teamID, userID, sc.Text()) {
			break
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return sc.Err()
}

// ConsoleLine runs one line typed in the console and prints its reply. It
// returns true when the line asks to leave (exit, quit).
func (a *App) ConsoleLine(ctx context.Context, out io.Writer, teamID, userID, line string) (exit bool) {
	line = strings.TrimSpace(line)
	if line == "" || strings.HasPrefix(line, "#") {
		return false
	}
	if line == "exit" || line == "quit" {
		return true
	}
	cmd, text, _ := strings.Cut(line, " ")
	if !strings.HasPrefix(cmd, "/") {
		fmt.Fprintln(out, render.Msg(coach.EN, "console.hint", nil))
		fmt.Fprintln(out, render.Msg(coach.ZH, "console.hint", nil))
		return false
	}
	reply := a.Handle(ctx, Request{TeamID: teamID, UserID: userID, ChannelID: "console", Command: cmd, Text: text})
	fmt.Fprintln(out, reply.PlainText())
	fmt.Fprintln(out)
	return false
}
