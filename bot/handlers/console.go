package handlers

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
)

// maxLine caps a line typed in the console, as a request from Slack is capped.
const maxLine = 1 << 20

// Console feeds lines typed as in Slack ("/deal add Acme 12k") through the
// command table and prints the replies as plain text. prompt is printed
// before each line when not empty (an interactive terminal).
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
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if line == "exit" || line == "quit" {
			break
		}
		cmd, text, _ := strings.Cut(line, " ")
		if !strings.HasPrefix(cmd, "/") {
			fmt.Fprintln(out, `Type a command as in Slack, e.g. /deal add Acme Corp $12,000, /deal help or /coach help. "exit" leaves.`)
			fmt.Fprintln(out, `请像在 Slack 里一样输入命令，例如 /deal add Acme Corp $12,000、/deal help 或 /coach help。输入 exit 退出。`)
			continue
		}
		reply := a.Handle(ctx, Request{TeamID: teamID, UserID: userID, ChannelID: "console", Command: cmd, Text: text})
		fmt.Fprintln(out, reply.PlainText())
		fmt.Fprintln(out)
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return sc.Err()
}
