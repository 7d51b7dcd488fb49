package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
	"salescoach/coach"
)

// openAddModal runs /deal add with no text and returns the modal it opened.
func openAddModal(t *testing.T, u *ui) map[string]any {
	t.Helper()
	r := u.command("T1", "U1", "/deal", "add")
	if r.Status != http.StatusOK || len(strings.TrimSpace(string(r.Body))) != 0 {
		t.Fatalf("/deal add: status %d body %q, want an empty 200 (a modal opens instead)", r.Status, r.Body)
	}
	opens := u.api.Calls("views.open")
	if len(opens) != 1 {
		t.Fatalf("%d views.open calls, want 1", len(opens))
	}
	view := opens[0].JSON["view"].(map[string]any)
	if view["callback_id"] != "deal_add" {
		t.Fatalf("modal %v", view)
	}
	return view
}

func TestAddModal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		values    map[string]string
		errBlocks []string // the input blocks the errors are keyed by; none when the deal is added
		errText   string
	}{
		{"AmbiguousAmount", map[string]string{"name": "Acme Corp", "amount": "12.000", "stage": "prospecting"}, []string{"amount"}, "ambiguous"},
		{"NotAnAmount", map[string]string{"name": "Acme Corp", "amount": "lots", "stage": "prospecting"}, []string{"amount"}, ""},
		{"NegativeAmount", map[string]string{"name": "Acme Corp", "amount": "-5", "stage": "prospecting"}, []string{"amount"}, ""},
		{"NoName", map[string]string{"name": "  ", "amount": "12k", "stage": "prospecting"}, []string{"name"}, "needs a name"},
		{"NameAndAmountBad", map[string]string{"name": "", "amount": "12.000"}, []string{"name", "amount"}, ""},
		{"UnknownStage", map[string]string{"name": "Acme", "stage": "won"}, []string{"stage"}, ""},
		{"Added", map[string]string{"name": "Acme <Corp> & Sons", "amount": "8万", "stage": "qualification"}, nil, ""},
		{"AddedWithoutAmount", map[string]string{"name": "Globex", "stage": "prospecting"}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u := newUI(t, uiOptions{})
			view := openAddModal(t, u)
			r := u.slack.Interaction(submitForm(view, tt.values))
			u.drain()
			deals := len(logs(t, u.store, "T1"))
			if len(tt.errBlocks) > 0 {
				var resp struct {
					Action string            `json:"response_action"`
					Errors map[string]string `json:"errors"`
				}
				if err := json.Unmarshal(r.Body, &resp); err != nil || resp.Action != "errors" {
					t.Fatalf("answer %s, want response_action errors", r.Body)
				}
				for _, b := range tt.errBlocks {
					if resp.Errors[b] == "" {
						t.Errorf("no error on block %q: %v", b, resp.Errors)
					}
				}
				if len(resp.Errors) != len(tt.errBlocks) {
					t.Errorf("errors on %v, want only %v", resp.Errors, tt.errBlocks)
				}
				if tt.errText != "" && !strings.Contains(strings.Join(mapValues(resp.Errors), " "), tt.errText) {
					t.Errorf("errors %v do not say %q", resp.Errors, tt.errText)
				}
				if deals != 0 || countEvents(t, u.store) != 0 {
					t.Errorf("%d deals stored after a refused form", deals)
				}
				return
			}
			if r.Status != http.StatusOK || len(strings.TrimSpace(string(r.Body))) != 0 {
				t.Fatalf("answer %d %s, want an empty 200 (the modal closes)", r.Status, r.Body)
			}
			if deals != 1 {
				t.Fatalf("%d deals stored, want 1", deals)
			}
			d := u.deal("T1", 1)
			if d.Name != strings.Join(strings.Fields(tt.values["name"]), " ") || d.OwnerID != "U1" || string(d.Stage) != tt.values["stage"] {
				t.Errorf("stored %q owner %s stage %s", d.Name, d.OwnerID, d.Stage)
			}
			if want, err := coach.ParseAmount(tt.values["amount"], "USD"); err == nil && (d.Amount != want || !d.HasAmount) {
				t.Errorf("amount %+v, want %+v", d.Amount, want)
			} else if err != nil && d.HasAmount {
				t.Errorf("amount %+v, want none", d.Amount)
			}
			// The coaching reply goes to the slash command's response_url.
			c := u.posted("cmd")
			if !strings.Contains(c.Text(), "Added #1") || !strings.Contains(c.Text(), "Next step") {
				t.Errorf("posted %q", c.Text())
			}
			if strings.Contains(c.Text(), "<Corp>") {
				t.Errorf("the name was not escaped for Slack: %q", c.Text())
			}
		})
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestAddModalInChinese(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{})
	u.command("T1", "U1", "/coach", "lang zh")
	view := openAddModal(t, u)
	if title := view["title"].(map[string]any)["text"]; title != "新建商机" {
		t.Errorf("title %q", title)
	}
	r := u.slack.Interaction(submitForm(view, map[string]string{"name": "华为", "amount": "1.2.3"}))
	if !strings.Contains(string(r.Body), "amount") || !strings.ContainsFunc(string(r.Body), func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
		t.Errorf("errors %s, want a Chinese message on the amount", r.Body)
	}
}

func TestAddWithoutTextInConsole(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{})
	reply := u.app.Handle(context.Background(), handlers.Request{TeamID: "T1", UserID: "U1", Command: "/deal", Text: "add"})
	if !reply.Failed || !strings.Contains(reply.PlainText(), "/deal add Acme Corp") {
		t.Errorf("console answer %q, want the usage line", reply.PlainText())
	}
	if n := len(u.api.Calls("views.open")); n != 0 {
		t.Errorf("%d modals opened from the console", n)
	}
}

func TestAddModalFromHome(t *testing.T) {
	t.Parallel()
	u := newUI(t, uiOptions{})
	u.click("T1", "U1", "deal_add", "", "")
	opens := u.api.Calls("views.open")
	if len(opens) != 1 {
		t.Fatalf("%d views.open calls, want 1", len(opens))
	}
	view := opens[0].JSON["view"].(map[string]any)
	u.slack.Interaction(submitForm(view, map[string]string{"name": "Initech", "amount": "$3,000", "stage": "contact"}))
	u.drain()
	pubs := u.api.Calls("views.publish")
	if len(pubs) != 1 {
		t.Fatalf("%d home publications after adding from the Home tab, want 1", len(pubs))
	}
	if text := pubs[0].Text(); !strings.Contains(text, "Added #1 Initech") || !strings.Contains(text, "#1 Initech · $3,000") {
		t.Errorf("home after adding:\n%s", text)
	}
}

// submitForm is U1 of T1 submitting the modal view with values.
func submitForm(view map[string]any, values map[string]string) map[string]any {
	return bottest.Submit("T1", "U1", "V0FORM", view, values)
}
