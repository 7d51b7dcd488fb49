package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"image/png"
	"net/url"
	"strings"
	"testing"

	"salescoach/db/dbtest"
)

// everySecret is an environment with every secret set, the database password
// given both in the user part and as a password= parameter.
func everySecret(dbURL string) (map[string]string, []string) {
	secrets := []string{"sign-SECRET-77aa", "xoxb-1-2-BOTSECRET", "xapp-1-A1-3-APPSECRET", "client-SECRET-55cc",
		base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef")), "userpart-SECRET-pw", "param-SECRET-pw"}
	u, _ := url.Parse(dbURL)
	u.User = url.UserPassword("postgres", secrets[5])
	q := u.Query()
	q.Set("password", secrets[6])
	u.RawQuery = q.Encode()
	return map[string]string{
		"DATABASE_URL": u.String(), "SLACK_SIGNING_SECRET": secrets[0], "SLACK_BOT_TOKEN": secrets[1],
		"SLACK_APP_TOKEN": secrets[2], "SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": secrets[3],
		"SALESCOACH_SECRET_KEY": secrets[4], "SALESCOACH_PUBLIC_URL": "https://coach.example", "LOG_LEVEL": "debug",
	}, secrets
}

// TestHelp: --help on every subcommand prints its usage, its flags and the
// environment variables it reads on stdout and succeeds, with no secret of
// the environment in it (the --database default is shown without its
// passwords).
func TestHelp(t *testing.T) {
	t.Parallel()
	env, secrets := everySecret("postgres://127.0.0.1:1/salescoach?sslmode=disable")
	flagsOf := map[string][]string{
		"serve": {"-listen", "-database"}, "console": {"-team", "-user", "-manager"}, "migrate": {"-database"},
		"picture": {"-team", "-deal", "-weeks", "-out"}, "demo": {"-team", "-seed"}, "import": {"-team"},
		"export": {"-team", "-out"}, "report": {"-team", "-from", "-to", "-format"}, "digest": {"-team", "-at", "-post"},
	}
	for _, sub := range subcommands() {
		for _, args := range [][]string{{sub.name, "--help"}, {sub.name, "-h"}, {sub.name, "--team", "T1", "--help"}} {
			var stdout, stderr bytes.Buffer
			if err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr); err != nil {
				t.Errorf("salescoach %s: %v, want success", strings.Join(args, " "), err)
			}
			help := stdout.String()
			want := append([]string{"Usage: salescoach " + sub.name, "DATABASE_URL"}, flagsOf[sub.name]...)
			if sub.name == "serve" {
				want = append(want, "SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID",
					"SLACK_CLIENT_SECRET", "SALESCOACH_SECRET_KEY", "SALESCOACH_PUBLIC_URL", "SALESCOACH_MANAGERS", "LISTEN_ADDR")
			}
			for _, w := range want {
				if !strings.Contains(help, w) {
					t.Errorf("salescoach %s does not mention %s:\n%s", strings.Join(args, " "), w, help)
				}
			}
			for _, s := range secrets {
				if strings.Contains(help+stderr.String(), s) {
					t.Errorf("salescoach %s prints the secret %q:\n%s", strings.Join(args, " "), s, help)
				}
			}
		}
	}
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"picture", "flow", "--help"}, func(k string) string { return env[k] }, nil, &stdout, &stdout); err != nil ||
		!strings.Contains(stdout.String(), "-weeks") {
		t.Errorf("picture flow --help: %v\n%s", err, stdout.String())
	}
}

// TestNoSecretInErrors: every subcommand that fails to reach the database,
// with every secret set, names the database without a password in its error
// and writes no secret anywhere.
func TestNoSecretInErrors(t *testing.T) {
	t.Parallel()
	env, secrets := everySecret("postgres://127.0.0.1:1/salescoach?sslmode=disable&connect_timeout=2")
	runs := [][]string{{"serve"}, {"migrate"}, {"console", "--team", "T1", "--user", "U1"}, {"demo"},
		{"import", "--team", "T1", "-"}, {"export", "--team", "T1"}, {"report", "--team", "T1"},
		{"digest", "--team", "T1"}, {"picture", "flow", "--team", "T1", "--out", "-"}}
	for _, args := range runs {
		var out bytes.Buffer
		stdin := strings.NewReader("deal_id,name,owner,amount,currency,stage,entered_at,reason\nA-1,Acme,U1,1,USD,contact,2026-01-05T09:00:00Z,\n")
		err := run(context.Background(), args, func(k string) string { return env[k] }, stdin, &out, &out)
		if err == nil {
			t.Errorf("salescoach %s succeeded without a database", strings.Join(args, " "))
			continue
		}
		msg := err.Error() + "\n" + out.String()
		for _, s := range secrets {
			if strings.Contains(msg, s) {
				t.Errorf("salescoach %s shows the secret %q:\n%s", strings.Join(args, " "), s, msg)
			}
		}
	}
}

// TestOutOfRange: numbers out of range are refused in one line that names
// the flag and the accepted range, before anything is drawn or opened.
func TestOutOfRange(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": "postgres://127.0.0.1:1/salescoach?sslmode=disable&connect_timeout=1"}
	tests := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"picture", "flow", "--team", "T1", "--out", "-", "--weeks", "0"}, nil, "--weeks must be a whole number from 1 to 104"},
		{[]string{"picture", "trend", "--team", "T1", "--out", "-", "--weeks", "-3"}, nil, "--weeks must be a whole number from 1 to 104"},
		{[]string{"picture", "trend", "--team", "T1", "--out", "-", "--weeks", "105"}, nil, "--weeks must be a whole number from 1 to 104"},
		{[]string{"picture", "blueprint", "--team", "T1", "--out", "-", "--deal", "-2"}, nil, "--deal must be a deal number"},
		{[]string{"picture", "flow", "--team", "T1", "--out", "-", "--weeks", "many"}, nil, `invalid value "many" for flag -weeks`},
		{[]string{"migrate"}, map[string]string{"SALESCOACH_RETENTION_DAYS": "-5"}, "SALESCOACH_RETENTION_DAYS"},
		{[]string{"migrate"}, map[string]string{"SALESCOACH_RETENTION_DAYS": "0"}, "SALESCOACH_RETENTION_DAYS"},
		{[]string{"report", "--team", "T1", "--from", "2026-02-01", "--to", "2026-01-01"}, nil, "is not before --to"},
	}
	for _, tt := range tests {
		getenv := func(k string) string {
			if v, ok := tt.env[k]; ok {
				return v
			}
			return env[k]
		}
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), tt.args, getenv, strings.NewReader(""), &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("salescoach %s: %v, want one line saying %q", strings.Join(tt.args, " "), err, tt.want)
		}
		if stdout.Len()+stderr.Len() > 0 {
			t.Errorf("salescoach %s wrote more than the one line:\n%s%s", strings.Join(tt.args, " "), stdout.String(), stderr.String())
		}
	}
}

// TestPictureToStdout: --out - writes the PNG to stdout.
func TestPictureToStdout(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": dbtest.URL(t)}
	var stdout, stderr bytes.Buffer
	args := []string{"picture", "trend", "--team", "TSTDOUT", "--at", "2026-04-01", "--out", "-"}
	if err := run(context.Background(), args, func(k string) string { return env[k] }, nil, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if _, err := png.Decode(&stdout); err != nil {
		t.Errorf("stdout is not a PNG: %v", err)
	}
}
