package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"salescoach/bot/bottest"
)

// users answers users.info from a table of user id → admin, every user with
// locale.
func users(locale string, admins map[string]bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		id := r.PostForm.Get("user")
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, bottest.UserJSON(id, admins[id], locale, "Asia/Shanghai"))
	}
}

func TestWorkspaceAdminIsManager(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{handlers: bottest.Handlers{"/users.info": users("zh-CN", map[string]bool{"UADMIN": true})}})
	ctx := context.Background()
	u.add("T1", "U1", "Acme 12k")

	// Before Slack was asked, an admin is a rep like any other.
	if r := u.command("T1", "UADMIN", "/deal", "list team").Message(t); !strings.Contains(r.Text, "Only a manager") {
		t.Fatalf("an unknown admin listed the team: %q", r.Text)
	}
	for _, user := range []string{"UADMIN", "U1"} {
		if err := u.app.RefreshProfile(ctx, "T1", user); err != nil {
			t.Fatal(err)
		}
	}
	r := u.command("T1", "UADMIN", "/deal", "list team").Message(t)
	if !strings.Contains(r.AllText(), "#1 Acme") {
		t.Errorf("a workspace admin cannot list the team: %q", r.AllText())
	}
	// The Slack locale (zh-CN) now picks the language.
	if !strings.Contains(r.Text, "团队的") {
		t.Errorf("reply %q is not in the user's Slack language", r.Text)
	}
	if r := u.command("T1", "U1", "/deal", "list team").Message(t); !strings.Contains(r.Text, "经理") {
		t.Errorf("a rep who is no admin listed the team: %q", r.Text)
	}
	if r := u.command("T1", "U1", "/coach", "managers").Message(t); !strings.Contains(r.Text, "<@UADMIN>") {
		t.Errorf("managers %q do not list the admin", r.Text)
	}
}

func TestManagersCommand(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{managers: []string{"UBOSS"}, handlers: bottest.Handlers{"/users.info": users("en-US", map[string]bool{"UADMIN": true})}})
	ctx := context.Background()
	u.add("T1", "U1", "Acme 12k")
	say := func(user, text string) string {
		t.Helper()
		return u.command("T1", user, "/coach", text).Message(t).Text
	}
	steps := []struct {
		user, text, want string
	}{
		{"U2", "managers add <@U3|carol>", "Only a manager"},
		{"UBOSS", "managers add <@U2|bob>", "<@U2> is now a manager"},
		{"U2", "managers", "<@U2>"},
		{"U2", "managers add <@U3|carol>", "<@U3> is now a manager"},
		{"U3", "managers remove <@U2|bob>", "<@U2> is no longer a manager"},
		{"U3", "managers remove <@UBOSS>", "SALESCOACH_MANAGERS"},
		{"U3", "managers remove <@UADMIN>", "workspace admin"},
		{"U3", "managers add", "Mention the user"},
		{"U3", "managers promote <@U2>", "/coach managers add @user"},
	}
	if err := u.app.RefreshProfile(ctx, "T1", "UADMIN"); err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		if got := say(s.user, s.text); !strings.Contains(got, s.want) {
			t.Errorf("%s: /coach %s → %q, want %q", s.user, s.text, got, s.want)
		}
	}
	// What the list says is what the commands allow.
	if r := u.command("T1", "U2", "/deal", "list team").Message(t); !strings.Contains(r.Text, "Only a manager") {
		t.Errorf("a removed manager still lists the team: %q", r.Text)
	}
	if r := u.command("T1", "U3", "/deal", "list team").Message(t); !strings.Contains(r.AllText(), "#1 Acme") {
		t.Errorf("an added manager cannot list the team: %q", r.AllText())
	}
	if r := u.command("T1", "UADMIN", "/deal", "list team").Message(t); !strings.Contains(r.AllText(), "#1 Acme") {
		t.Errorf("the workspace admin is no manager after a remove: %q", r.AllText())
	}
}

// TestConfiguredManagersPerWorkspace: "T1:UBOSS" in SALESCOACH_MANAGERS makes
// UBOSS a manager of T1 and of no other workspace; a bare "UALL" (one
// workspace, no OAuth) is a manager wherever the bot answers.
func TestConfiguredManagersPerWorkspace(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{managers: []string{"T1:UBOSS", "UALL"}})
	u.add("T1", "U1", "Acme 12k")
	u.add("T2", "U1", "Globex 5k")
	list := func(team, user string) string {
		t.Helper()
		return u.command(team, user, "/deal", "list team").Message(t).AllText()
	}
	if text := list("T1", "UBOSS"); !strings.Contains(text, "#1 Acme") {
		t.Errorf("T1:UBOSS cannot list T1's team: %q", text)
	}
	if text := list("T2", "UBOSS"); !strings.Contains(text, "Only a manager") || strings.Contains(text, "Globex") {
		t.Errorf("T1:UBOSS listed T2's team: %q", text)
	}
	for _, team := range []string{"T1", "T2"} {
		if text := list(team, "UALL"); strings.Contains(text, "Only a manager") {
			t.Errorf("UALL is no manager in %s: %q", team, text)
		}
	}
	if text := u.command("T2", "U1", "/coach", "managers").Message(t).Text; strings.Contains(text, "UBOSS") || !strings.Contains(text, "<@UALL>") {
		t.Errorf("T2's managers: %q", text)
	}
	if text := u.command("T1", "UBOSS", "/coach", "managers remove <@UBOSS>").Message(t).Text; !strings.Contains(text, "SALESCOACH_MANAGERS") {
		t.Errorf("removing a configured manager: %q", text)
	}
}
