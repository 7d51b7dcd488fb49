package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/coach"
)

// outsiderLine is what a user of another organisation is told, in both
// languages.
var outsiderLine = []string{"only for members of the workspace that installed it", "只为安装它的工作区的成员服务"}

func saysOutsider(t *testing.T, where, text string) {
	t.Helper()
	for _, want := range outsiderLine {
		if !strings.Contains(text, want) {
			t.Errorf("%s says %q, want it to say %q", where, text, want)
		}
	}
}

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

// connectAdd opens the add-deal form as U1 of T1 and has user of userTeam
// submit it from a Slack Connect channel; it returns the answer.
func connectAdd(t *testing.T, u *ui, user, userTeam string) bottest.Response {
	t.Helper()
	view := openAddModal(t, u)
	r := u.slack.Interaction(connectSubmit(user, userTeam, view, map[string]string{"name": "Acme Corp", "amount": "12k", "stage": "prospecting"}))
	u.drain()
	return r
}

func TestSlackConnectModalAddsToInstallingWorkspace(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{})
	r := connectAdd(t, u, "U1", "T1")
	if r.Status != http.StatusOK || strings.TrimSpace(string(r.Body)) != "" {
		t.Fatalf("answer %d %s, want an empty 200 (the modal closes)", r.Status, r.Body)
	}
	if n := len(logs(t, u.store, "TEXT")); n != 0 {
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
	if knownUser(t, u.store, "TEXT", "U1") {
		t.Errorf("the other organisation got a workspace of its own")
	}
}

// A button under the bot's message in a Slack Connect channel, clicked by a
// member of the other organisation: team.id is the installing workspace,
// user.team_id the user's own.
func TestOutsiderClickChangesNothing(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{})
	next := buttonValue(t, u.add("T1", "U1", "Acme Corp 12k").Blocks, "deal_next")
	p := bottest.Button("T1", "UEXT", "deal_next", next, u.api.ResponseURL("ext"))
	p["user"] = map[string]any{"id": "UEXT", "team_id": "TEXT"}
	if r := u.slack.Interaction(p); r.Status != http.StatusOK {
		t.Fatalf("click: status %d: %s", r.Status, r.Body)
	}
	u.drain()
	saysOutsider(t, "the click's answer", u.posted("ext").Text())
	if d := u.deal("T1", 1); d.Stage != coach.Prospecting {
		t.Errorf("the outsider's click moved the deal to %s", d.Stage)
	}
	if !knownUser(t, u.store, "T1", "U1") {
		t.Fatal("the member who added a deal is not known: the check below would prove nothing")
	}
	if knownUser(t, u.store, "T1", "UEXT") {
		t.Errorf("the outsider became a user of T1")
	}
	// The same click by the deal's owner still works.
	if r := u.click("T1", "U1", "deal_next", next, "own"); r.Status != http.StatusOK {
		t.Fatalf("owner's click: status %d", r.Status)
	}
	u.drain()
	if d := u.deal("T1", 1); d.Stage == coach.Prospecting {
		t.Errorf("the owner's click did not move the deal")
	}
}

func TestOutsiderModalAddsNothing(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{})
	r := connectAdd(t, u, "UEXT", "TEXT")
	var resp struct {
		Action string            `json:"response_action"`
		Errors map[string]string `json:"errors"`
	}
	if err := json.Unmarshal(r.Body, &resp); err != nil || resp.Action != "errors" {
		t.Fatalf("answer %d %s, want response_action errors", r.Status, r.Body)
	}
	saysOutsider(t, "the form", resp.Errors["name"])
	if n := countEvents(t, u.store); n != 0 {
		t.Errorf("%d changes stored from an outsider's form", n)
	}
}

// An admin of the other organisation opens the bot's Home tab: once Slack
// has said who they are, they are still no manager here, and their Home
// shows no team-wide figure.
func TestOutsiderAdminSeesNoTeamFigures(t *testing.T) {
	t.Parallel()
	profiles := func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		id, team := r.PostForm.Get("user"), "T1"
		if id == "UEXT" {
			team = "TEXT"
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"ok":true,"user":{"id":%q,"team_id":%q,"name":"x","is_admin":true,"locale":"en-US","tz":"UTC"}}`, id, team)
	}
	u := newUI(t, uiOptions{handlers: bottest.Handlers{"/users.info": profiles}})
	u.add("T1", "U1", "Initech 7k")
	ctx := context.Background()
	for _, user := range []string{"UEXT", "UADMIN"} {
		if err := u.app.RefreshProfile(ctx, "T1", user); err != nil {
			t.Fatal(err)
		}
	}
	if text := (bottest.Call{JSON: u.home("T1", "UADMIN")}).Text(); !strings.Contains(text, "Team pipeline") {
		t.Errorf("T1's own admin sees no team pipeline:\n%s", text)
	}
	text := bottest.Call{JSON: u.home("T1", "UEXT")}.Text()
	for _, unwanted := range []string{"Team pipeline", "Initech", "7,000"} {
		if strings.Contains(text, unwanted) {
			t.Errorf("the other organisation's admin sees %q:\n%s", unwanted, text)
		}
	}
	if !strings.Contains(text, "Sales Coach works only for members of the workspace that installed it.") {
		t.Errorf("the other organisation's user is not told whom Sales Coach serves:\n%s", text)
	}
	if text := (bottest.Call{JSON: u.home("T1", "U1")}).Text(); !strings.Contains(text, "Initech") || strings.Contains(text, "works only for members") {
		t.Errorf("a member's own Home:\n%s", text)
	}
}

// A user of another organisation opens the Home tab before Sales Coach has
// seen them anywhere else: the Home says whom Sales Coach serves, shows no
// deal, and no user row is made for them in the installing workspace.
func TestOutsiderHomeStoresNoMember(t *testing.T) {
	t.Parallel()
	profiles := func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		id, team := r.PostForm.Get("user"), "T1"
		if id == "UEXT" {
			team = "TEXT"
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"ok":true,"user":{"id":%q,"team_id":%q,"name":"x","locale":"en-US","tz":"UTC"}}`, id, team)
	}
	u := newUI(t, uiOptions{db: true, handlers: bottest.Handlers{"/users.info": profiles}})
	u.add("T1", "U1", "Initech 7k")
	text := bottest.Call{JSON: u.home("T1", "UEXT")}.Text()
	if !strings.Contains(text, "Sales Coach works only for members of the workspace that installed it.") ||
		!strings.Contains(text, "Sales Coach 只为安装它的工作区的成员服务。") {
		t.Errorf("the outsider's Home does not say whom Sales Coach serves in both languages:\n%s", text)
	}
	if strings.Contains(text, "Initech") {
		t.Errorf("the outsider's Home shows a deal:\n%s", text)
	}
	if !knownUser(t, u.store, "T1", "U1") {
		t.Fatal("the member who added a deal is not known: the check below would prove nothing")
	}
	if knownUser(t, u.store, "T1", "UEXT") {
		t.Errorf("a user row was made for the outsider in the installing workspace")
	}
	if text := (bottest.Call{JSON: u.home("T1", "U1")}).Text(); !strings.Contains(text, "Initech") || strings.Contains(text, "works only for members") {
		t.Errorf("a member's own Home:\n%s", text)
	}
}
