package handlers_test

// The security cases of the spec in one place:
//
//   - requests that are forged, unsigned, stale, replayed, truncated or
//     oversized, on each of the three POST routes: refused, and nothing
//     changes (TestRefusedOnEveryRoute);
//   - a rep reaching another rep's deal by number, by name or by a crafted
//     button payload (TestRepCannotReachAnotherRepsDeal);
//   - one workspace reaching another's data (TestTeamCannotReachAnotherTeam);
//   - bot tokens encrypted at rest: TestInstallStoresTokenSealed in
//     oauth_test.go (the plaintext is in no column, in no encoding, and one
//     workspace's sealed token does not open as another's);
//   - no token or secret in the logs: TestNoSecretInLogs in
//     cmd/salescoach/logs_test.go.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/render"
	"salescoach/bot/transport"
	"salescoach/coach"
)

// rawPost sends a request over a bare connection, declaring declared bytes
// of body and sending body: a client that lies about its length looks like
// this; when declared is more than it sends, it then closes its side, as a
// client that dies mid-request. It returns the status.
func rawPost(t *testing.T, base, path string, h http.Header, declared int, body []byte) int {
	t.Helper()
	u, _ := url.Parse(base)
	c, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var b bytes.Buffer
	fmt.Fprintf(&b, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", path, u.Host, declared)
	h.Write(&b)
	b.WriteString("\r\n")
	b.Write(body)
	c.Write(b.Bytes())
	if declared > len(body) {
		c.(*net.TCPConn).CloseWrite()
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("%s: no answer: %v", path, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestRefusedOnEveryRoute sends each route a request that would change
// something — add a deal, win it by its button, uninstall the workspace —
// in every way that must be refused. Refused means the status, and that the
// deals, their events and the workspace are as they were.
func TestRefusedOnEveryRoute(t *testing.T) {
	t.Parallel()
	type route struct {
		path, contentType string
		body              func(u *ui) []byte
	}
	routes := map[string]route{
		"Commands": {"/slack/commands", "application/x-www-form-urlencoded", func(u *ui) []byte {
			return []byte(bottest.Form("T1", "U1", "/deal", "add Initech 5k").Encode())
		}},
		"Interactions": {"/slack/interactions", "application/x-www-form-urlencoded", func(u *ui) []byte {
			v := buttonValue(t, u.add("T1", "U1", "Acme 12k").Blocks, "deal_won")
			b, _ := json.Marshal(bottest.Button("T1", "U1", "deal_won", v, u.api.ResponseURL("won")))
			return []byte(url.Values{"payload": {string(b)}}.Encode())
		}},
		"Events": {"/slack/events", "application/json", func(u *ui) []byte {
			u.add("T1", "U1", "Acme 12k") // the workspace the event uninstalls
			return []byte(`{"type":"event_callback","team_id":"T1","api_app_id":"A0001","event_id":"Ev0BYE","event_time":1,"event":{"type":"app_uninstalled"}}`)
		}},
	}
	signed := func(secret string, body []byte, at time.Time) http.Header {
		h := http.Header{}
		transport.Sign(h, secret, body, at)
		return h
	}
	for name, rt := range routes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			u := newUI(t, uiOptions{db: true})
			body := rt.body(u)
			u.drain()
			// state is what an accepted request would change.
			state := func() string {
				u.drain()
				return fmt.Sprint(
					countEvents(t, u.store, "T1"),
					countKind(t, u.store, "T1", coach.EvWon)+countKind(t, u.store, "T1", coach.EvLost),
					u.deletionDue("T1"))
			}
			before := state()
			// Each subtest takes its own time: parallel subtests may start
			// minutes later on a loaded machine.
			now := time.Now()
			cases := []struct {
				name     string
				header   http.Header
				declared int // the Content-Length sent
				send     []byte
				want     int
			}{
				{"Forged", signed("not-the-secret", body, now), len(body), body, http.StatusUnauthorized},
				{"Unsigned", http.Header{}, len(body), body, http.StatusUnauthorized},
				{"SixMinutesOld", signed(bottest.Secret, body, now.Add(-6*time.Minute)), len(body), body, http.StatusUnauthorized},
				{"FromTheFuture", signed(bottest.Secret, body, now.Add(6*time.Minute)), len(body), body, http.StatusUnauthorized},
				// Signed over the whole body, cut half-way.
				{"CutHalfWay", signed(bottest.Secret, body, now), len(body) / 2, body[:len(body)/2], http.StatusUnauthorized},
				// Claims more than it sends, then the connection ends.
				{"ShorterThanDeclared", signed(bottest.Secret, body, now), len(body) + 100, body, http.StatusBadRequest},
				{"Oversized", nil, 0, nil, http.StatusRequestEntityTooLarge},
			}
			for _, c := range cases {
				h, declared, send := c.header, c.declared, c.send
				if c.name == "Oversized" {
					// Signed correctly, one byte over the cap.
					send = append(append([]byte{}, body...), bytes.Repeat([]byte(" "), transport.MaxBody+1-len(body))...)
					h, declared = signed(bottest.Secret, send, now), len(send)
				}
				h.Set("Content-Type", rt.contentType)
				if got := rawPost(t, u.slack.BaseURL, rt.path, h, declared, send); got != c.want {
					t.Errorf("%s: status %d, want %d", c.name, got, c.want)
				}
				if after := state(); after != before {
					t.Errorf("%s: state went from %s to %s", c.name, before, after)
				}
			}

			// Replayed: the first is acted on, the same signature again is not.
			h := signed(bottest.Secret, body, time.Now())
			h.Set("Content-Type", rt.contentType)
			if got := rawPost(t, u.slack.BaseURL, rt.path, h.Clone(), len(body), body); got != http.StatusOK {
				t.Fatalf("the genuine request: status %d", got)
			}
			acted := state()
			if acted == before {
				t.Fatalf("the genuine request changed nothing (%s): the cases above prove nothing", acted)
			}
			// An event sent again is a redelivery as far as anyone can tell
			// (Slack's retries within a second carry the same signature): it is
			// answered 200 and taken once, by its event_id.
			want := http.StatusUnauthorized
			if rt.path == "/slack/events" {
				want = http.StatusOK
			}
			if got := rawPost(t, u.slack.BaseURL, rt.path, h, len(body), body); got != want {
				t.Errorf("Replayed: status %d, want %d", got, want)
			}
			if after := state(); after != acted {
				t.Errorf("Replayed: state went from %s to %s", acted, after)
			}
		})
	}
}

// TestRepCannotReachAnotherRepsDeal has a rep try every way to another rep's
// deal: by number, by name, and by button payloads crafted with its id.
// Nothing changes, and no answer shows the deal's name.
func TestRepCannotReachAnotherRepsDeal(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{})
	reply := u.add("T1", "U1", "Zenith Plastics 12k")
	d := u.deal("T1", 1)
	u.add("T1", "U2", "Own deal")
	u.drain()
	events := countEvents(t, u.store)

	t.Run("ByNumberOrName", func(t *testing.T) {
		for _, text := range []string{
			"show #1", "move #1 demo", "next #1", "won #1", "lost #1 price", "reopen #1", "note #1 called them",
			"pause #1 2w", "check #1 budget", "amount #1 1", "rename #1 Mine", "archive #1", "blueprint #1",
			"show zenith", "move zenith demo", "won zenith", "note \"zenith\" hello", "list @U1",
		} {
			r := u.command("T1", "U2", "/deal", text)
			if r.Status != http.StatusOK {
				t.Fatalf("/deal %s: status %d", text, r.Status)
			}
			// What the rep typed may be quoted back; the rest of the name
			// must not be.
			if strings.Contains(string(r.Body), "Plastics") {
				t.Errorf("/deal %s showed the other rep's deal: %s", text, r.Body)
			}
		}
		if r := u.command("T1", "U2", "/coach", "zenith"); strings.Contains(string(r.Body), "Plastics") {
			t.Errorf("/coach zenith showed the other rep's deal: %s", r.Body)
		}
	})
	t.Run("ByButton", func(t *testing.T) {
		version := buttonValue(t, reply.Blocks, "deal_next")
		for _, click := range []struct{ action, value string }{
			{"deal_next", version}, {"deal_won", version}, {"deal_lost", version}, {"deal_note", version},
			{"deal_share", version}, {render.ActionBlueprint, strconv.FormatInt(d.ID, 10)},
			// Crafted: the right id with a version the deal never had.
			{"deal_won", fmt.Sprintf("%d.%d", d.ID, d.Version+1)},
		} {
			name := click.action + "-" + click.value
			if r := u.click("T1", "U2", click.action, click.value, name); r.Status != http.StatusOK {
				t.Fatalf("%s: status %d", name, r.Status)
			}
		}
		u.drain()
		for _, c := range u.api.Calls("respond/") {
			if strings.Contains(c.Text(), "Plastics") {
				t.Errorf("a click answered with the other rep's deal: %s", c.Text())
			}
		}
		if n := len(u.api.Calls("views.open")); n != 0 {
			t.Errorf("%d modals opened on another rep's deal", n)
		}
	})
	if got := countEvents(t, u.store); got != events {
		t.Errorf("%d events after the attempts, want %d: something changed", got, events)
	}
	if got := u.deal("T1", 1); got.Stage != d.Stage || got.Status != d.Status || got.Name != d.Name || got.Archived {
		t.Errorf("the deal is now %+v", got)
	}
}

// TestTeamCannotReachAnotherTeam has two workspaces whose deals share
// numbers. A user of one — even a manager — never reaches the other's data,
// whether naming its deal or sending a payload that claims the other team.
func TestTeamCannotReachAnotherTeam(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{managers: []string{"UBOSSA"}})
	u.add("TA", "UA", "Acme 12k")
	other := u.add("TB", "UB", "Globex Secret 40k")
	globex := u.deal("TB", 1)
	u.drain()
	events := countEvents(t, u.store)

	for _, c := range []struct{ user, command, text string }{
		{"UA", "/deal", "show #1"}, // TA's own #1: Acme, never Globex
		{"UA", "/deal", "show globex"},
		{"UA", "/deal", "won globex"},
		{"UBOSSA", "/deal", "list team"},
		{"UBOSSA", "/deal", "list @UB"},
		{"UBOSSA", "/deal", "won globex"},
		{"UBOSSA", "/deal", "export"},
		{"UBOSSA", "/coach", "stats team"},
	} {
		r := u.command("TA", c.user, c.command, c.text)
		if r.Status != http.StatusOK {
			t.Fatalf("%s %s: status %d", c.command, c.text, r.Status)
		}
		if strings.Contains(string(r.Body), "Globex") || strings.Contains(string(r.Body), "Secret") {
			t.Errorf("%s %s by %s in TA showed TB's deal: %s", c.command, c.text, c.user, r.Body)
		}
	}
	// Buttons: TB's deal id from TA, and a payload claiming TB from a TA user.
	value := buttonValue(t, other.Blocks, "deal_won")
	u.click("TA", "UA", "deal_won", value, "from-a")
	u.click("TA", "UBOSSA", "deal_won", value, "boss-from-a")
	u.click("TB", "UA", "deal_won", value, "claims-b")
	u.click("TA", "UA", render.ActionBlueprint, strconv.FormatInt(globex.ID, 10), "blueprint-from-a")
	u.drain()
	for _, c := range u.api.Calls("respond/") {
		if strings.Contains(c.Text(), "Globex") || strings.Contains(c.Text(), "Secret") {
			t.Errorf("%s answered with TB's deal: %s", c.Method, c.Text())
		}
	}
	if got := countEvents(t, u.store); got != events {
		t.Errorf("%d events after the attempts, want %d: something changed", got, events)
	}
	if got := u.deal("TB", 1); got.Status != globex.Status {
		t.Errorf("TB's deal is now %s", got.Status)
	}
}
