package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"salescoach/bot/bottest"
)

// Slack Connect: a channel shared between the workspace that installed the
// bot (T1) and another organisation (TEXT). Slack then names the other
// organisation in places the Bolt frameworks do not read the workspace from.

// connectSubmit is a view_submission as Slack sends it for a modal opened in
// a Slack Connect channel: team.id and view.team_id are the other
// organisation's, view.app_installed_team_id the installing workspace's.
func connectSubmit(user, userTeam string, view map[string]any, values map[string]string) map[string]any {
	p := bottest.Submit("TEXT", user, "V0FORM", view, values)
	p["user"] = map[string]any{"id": user, "team_id": userTeam}
	v := p["view"].(map[string]any)
	v["app_installed_team_id"] = "T1"
	return p
}

func TestSlackConnectModalAddsToInstallingWorkspace(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{})
	view := openAddModal(t, u)
	r := u.slack.Interaction(connectSubmit("U1", "T1", view, map[string]string{"name": "Acme Corp", "amount": "12k", "stage": "prospecting"}))
	u.drain()
	if r.Status != http.StatusOK || strings.TrimSpace(string(r.Body)) != "" {
		t.Fatalf("answer %d %s, want an empty 200 (the modal closes)", r.Status, r.Body)
	}
	if n := u.count(`SELECT count(*) FROM deals WHERE team_id = 'TEXT'`); n != 0 {
		t.Errorf("%d deals in the other organisation's workspace", n)
	}
	if d := u.deal("T1", 1); d.Name != "Acme Corp" || d.OwnerID != "U1" {
		t.Errorf("T1's deal #1: %q of %s", d.Name, d.OwnerID)
	}
	// U1 finds it with /deal list in their own workspace.
	if text := u.add("T1", "U1", "Globex 1k").AllText(); !strings.Contains(text, "#2") {
		t.Errorf("the next deal in T1 is not #2: %s", text)
	}
}

func TestSlackConnectHomeOfInstallingWorkspace(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{})
	u.add("T1", "U1", "Acme Corp 12k")
	u.add("T1", "U1", "Globex 5k demo")
	// The envelope's team_id is the other organisation; the installation
	// the event was delivered for is T1's.
	env := envelope("TEXT", fmt.Sprintf("Ev%d", time.Now().UnixNano()), homeOpened("U1"))
	env["authorizations"] = []any{map[string]any{"enterprise_id": nil, "team_id": "T1", "user_id": "UBOT", "is_bot": true, "is_enterprise_install": false}}
	env["is_ext_shared_channel"] = true
	if r := u.slack.Event(env, 0); r.Status != http.StatusOK {
		t.Fatalf("app_home_opened: status %d: %s", r.Status, r.Body)
	}
	u.drain()
	pubs := u.api.Calls("views.publish")
	if len(pubs) != 1 {
		t.Fatalf("%d views.publish calls, want 1", len(pubs))
	}
	text := bottest.Call{JSON: pubs[0].JSON["view"].(map[string]any)}.Text()
	for _, want := range []string{"#1 Acme Corp", "#2 Globex"} {
		if !strings.Contains(text, want) {
			t.Errorf("U1's Home lacks %q:\n%s", want, text)
		}
	}
	if n := u.count(`SELECT count(*) FROM teams WHERE id = 'TEXT'`); n != 0 {
		t.Errorf("the other organisation got a workspace of its own")
	}
}
