package handlers_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
	"salescoach/bot/transport"
	"salescoach/coach"
	"salescoach/db/dbtest"
)

// digestFixture is the bot behind a real HTTP server with a fake Slack Web
// API that must not be called while a command is answered.
type digestFixture struct {
	store handlers.Store
	slack *bottest.Slack
	api   *bottest.WebAPI
	team  string // the test's team: T1 in memory, one of its own on the database
}

func newDigestFixture(t *testing.T) *digestFixture {
	t.Helper()
	return newDigestFixtureOn(t, bottest.NewMemStore(), "T1")
}

// newDBDigestFixture is newDigestFixture on the package's shared database,
// for a preview that reads the team's reports.
func newDBDigestFixture(t *testing.T) *digestFixture {
	t.Helper()
	return newDigestFixtureOn(t, dbtest.Shared(t), dbtest.TeamID(t))
}

func newDigestFixtureOn(t *testing.T, store handlers.Store, team string) *digestFixture {
	t.Helper()
	api := bottest.NewWebAPI(t)
	app := handlers.New(handlers.Config{Store: store, Managers: []string{"UBOSS"},
		Slack: transport.StaticClients{Token: "xoxb-test", APIURL: api.URL()}})
	srv := httptest.NewServer((&transport.Server{App: app, SigningSecret: bottest.Secret}).Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		// Commands post nothing themselves; /coach digest here only asks
		// what the channel is (conversations.info).
		for _, m := range []string{"chat.postMessage", "conversations.history"} {
			if n := len(api.Calls(m)); n != 0 {
				t.Errorf("%s called %d times while answering commands", m, n)
			}
		}
	})
	return &digestFixture{store: store, slack: &bottest.Slack{T: t, BaseURL: srv.URL}, api: api, team: team}
}

func (f *digestFixture) coach(user, text string) bottest.Reply {
	return f.slack.Command(f.team, user, "/coach", text)
}

func (f *digestFixture) subs(t *testing.T) []coach.DigestSub {
	t.Helper()
	subs, err := f.store.TeamDigests(context.Background(), f.team)
	if err != nil {
		t.Fatal(err)
	}
	return subs
}

func contains(t *testing.T, got bottest.Reply, wants ...string) {
	t.Helper()
	hasAll(t, got.AllText(), wants...)
}

func TestDigestCommandsManagersOnly(t *testing.T) {
	t.Parallel()
	f := newDigestFixture(t)
	for _, text := range []string{"digest", "digest here", "digest here friday 10:00", "digest off", "digest preview", "digest names off"} {
		t.Run(text, func(t *testing.T) {
			contains(t, f.coach("UREP", text), "Only a manager can do that")
		})
	}
	if subs := f.subs(t); len(subs) != 0 {
		t.Errorf("a rep subscribed: %+v", subs)
	}
}

func TestDigestHere(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		prepare func(f *digestFixture)
		text    string
		want    []string
		sched   coach.Schedule
		lang    coach.Lang
	}{
		{"DefaultsToTheCallersZone", func(f *digestFixture) {
			f.store.SetProfile(context.Background(), f.team, "UBOSS", "en-US", "America/New_York", false, time.Now())
		}, "digest here",
			[]string{"every Monday at 09:00, America/New_York time. That is your Slack time zone", "The first one comes Mon", "invite me: /invite @Sales Coach"},
			coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "America/New_York"}, coach.EN},
		{"UnknownZoneSaysUTC", nil, "digest here",
			[]string{"every Monday at 09:00, UTC time. I don't know your Slack time zone yet, so I used UTC"},
			coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "UTC"}, coach.EN},
		{"AsTyped", nil, "digest here fri 16:30 Europe/Berlin",
			[]string{"every Friday at 16:30, Europe/Berlin time. The first one comes Fri"},
			coach.Schedule{Weekday: time.Friday, Hour: 16, Minute: 30, Zone: "Europe/Berlin"}, coach.EN},
		{"InChinese", func(f *digestFixture) {
			f.store.SetProfile(context.Background(), f.team, "UBOSS", "zh-CN", "Asia/Shanghai", false, time.Now())
		}, "digest here 周三 08:30",
			[]string{"好的：我会在本频道每周三 08:30（Asia/Shanghai 时间）发布每周摘要。", "摘要使用中文"},
			coach.Schedule{Weekday: time.Wednesday, Hour: 8, Minute: 30, Zone: "Asia/Shanghai"}, coach.ZH},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newDigestFixture(t)
			f.coach("UBOSS", "help") // the team and the user exist from here on
			if tt.prepare != nil {
				tt.prepare(f)
			}
			reply := f.coach("UBOSS", tt.text)
			if reply.ResponseType != "ephemeral" {
				t.Errorf("response_type %q, want ephemeral", reply.ResponseType)
			}
			contains(t, reply, tt.want...)
			subs := f.subs(t)
			if len(subs) != 1 {
				t.Fatalf("%d subscriptions, want 1", len(subs))
			}
			s := subs[0]
			if s.ChannelID != "C0001" || s.Schedule != tt.sched || s.Lang != tt.lang || s.CreatedBy != "UBOSS" || !s.Names || s.Channel != coach.ChannelUnchecked {
				t.Errorf("stored %+v", s)
			}
		})
	}
}

// TestDigestHereChecksTheChannel: /coach digest here asks Slack about the
// channel at once. A channel shared with another organisation is refused and
// nothing is saved; one the bot is not in (or cannot see) is saved with a
// warning to invite it; when Slack does not answer, it is saved as before
// and the scheduler asks again.
func TestDigestHereChecksTheChannel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		channel bottest.Channel
		fault   bool
		want    string
		saved   bool
	}{
		{"Shared", bottest.Channel{IsMember: true, IsExtShared: true}, false, "is shared with another organisation, so I won't post the team's digest there", false},
		{"NotAMember", bottest.Channel{}, false, "I'm not a member of <#C0001>, so the digest is not posted there", true},
		{"CannotSee", bottest.Channel{NotFound: true}, false, "I can't see <#C0001>", true},
		{"Member", bottest.Channel{IsMember: true}, false, "every Monday at 09:00", true},
		{"SlackDown", bottest.Channel{}, true, "every Monday at 09:00", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newDigestFixture(t)
			f.coach("UBOSS", "help")
			f.api.SetChannel("C0001", tt.channel)
			if tt.fault {
				f.api.Fail("conversations.info", bottest.Fault{Status: 500})
			}
			reply := f.coach("UBOSS", "digest here")
			contains(t, reply, tt.want)
			if subs := f.subs(t); (len(subs) == 1) != tt.saved {
				t.Errorf("subscriptions %+v, want saved: %v", subs, tt.saved)
			}
			if warned := strings.Contains(reply.AllText(), "⚠️"); warned != (tt.saved && tt.name != "Member" && tt.name != "SlackDown") {
				t.Errorf("warning shown: %v in %q", warned, reply.AllText())
			}
		})
	}
}

func TestDigestHereBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct{ text, want string }{
		{"digest here funday", `"funday" is not a weekday, a time or a time zone`},
		{"digest here 25:00", `"25:00" is not a time of day. Use HH:MM`},
		{"digest here Europe/Berln", `Unknown time zone "Europe/Berln"`},
		{"digest here monday tuesday", "Give one weekday only"},
		{"digest sometimes", `Unknown digest command "sometimes"`},
		{"digest names maybe", "Use /coach digest names on"},
	}
	f := newDigestFixture(t)
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			contains(t, f.coach("UBOSS", tt.text), tt.want)
			if subs := f.subs(t); len(subs) != 0 {
				t.Errorf("saved %+v", subs)
			}
		})
	}
}

func TestDigestOffNamesAndStatus(t *testing.T) {
	t.Parallel()
	f := newDigestFixture(t)
	contains(t, f.coach("UBOSS", "digest off"), "There is no weekly digest in this channel")
	contains(t, f.coach("UBOSS", "digest names off"), "There is no weekly digest in this channel")
	contains(t, f.coach("UBOSS", "digest"), "No weekly digest yet")

	f.coach("UBOSS", "digest here tuesday 10:00 Europe/Paris")
	contains(t, f.coach("UBOSS", "digest names off"), "hides deal names")
	if s := f.subs(t); len(s) != 1 || s[0].Names {
		t.Fatalf("names still on: %+v", s)
	}
	contains(t, f.coach("UBOSS", "digest here thursday 11:00 Europe/Paris"), "Changed: the weekly digest in this channel now comes every Thursday at 11:00", "Deal names stay hidden")
	contains(t, f.coach("UBOSS", "digest"), "Posted in <#C0001> every Thursday at 11:00 (Europe/Paris), in English, deal names hidden.")
	contains(t, f.coach("UBOSS", "digest off"), "Stopped: no more weekly digests in this channel")
	if s := f.subs(t); len(s) != 0 {
		t.Errorf("still subscribed: %+v", s)
	}
	contains(t, f.coach("UBOSS", "digest off"), "There is no weekly digest in this channel")
}

// staleDeal adds a deal that has sat in closing for a month: it needs attention.
func (f *digestFixture) staleDeal(t *testing.T, name, owner string) {
	t.Helper()
	f.coach("UBOSS", "help") // the team exists from here on
	if _, _, err := f.store.CreateDeal(context.Background(), f.team, coach.NewDeal{Name: name, OwnerID: owner, ActorID: owner,
		Amount: coach.Money{Currency: "USD"}, Stage: coach.Closing, At: time.Now().AddDate(0, 0, -30)}); err != nil {
		t.Fatal(err)
	}
}

func TestDigestPreview(t *testing.T) {
	t.Parallel()
	t.Run("Unsubscribed", func(t *testing.T) {
		f := newDBDigestFixture(t)
		f.staleDeal(t, "Initech", "UREP")
		reply := f.coach("UBOSS", "digest preview")
		if reply.ResponseType != "ephemeral" {
			t.Errorf("response_type %q, want ephemeral", reply.ResponseType)
		}
		contains(t, reply, "Preview, only you see this. Weekly sales digest", "This channel gets no digest yet",
			"#1 Initech:* <@UREP> · Closing · 30 days", "Bottleneck:* watch")
	})
	t.Run("AsTheChannelGetsIt", func(t *testing.T) {
		f := newDBDigestFixture(t)
		f.staleDeal(t, "Initech", "UREP")
		f.coach("UBOSS", "digest here")
		f.coach("UBOSS", "digest names off")
		reply := f.coach("UBOSS", "digest preview")
		contains(t, reply, "Posted in <#C0001> every Monday at 09:00 (UTC)", "<@UREP>:* 1 deal: ")
		if strings.Contains(reply.AllText(), "Initech") {
			t.Errorf("names are off, yet the preview names a deal:\n%s", reply.AllText())
		}
	})
}

func TestDigestHereFromTheConsole(t *testing.T) {
	t.Parallel()
	store := dbtest.Shared(t)
	app := handlers.New(handlers.Config{Store: store, Managers: []string{"UBOSS"}})
	var out strings.Builder
	if err := app.Console(context.Background(), strings.NewReader("/coach digest here\n/coach digest preview\n"), &out, dbtest.TeamID(t), "UBOSS", ""); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Run /coach digest here in the Slack channel", "Preview, only you see this. Weekly sales digest"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("console output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestDigestNotInADirectMessage(t *testing.T) {
	t.Parallel()
	f := newDigestFixture(t)
	body := bottest.Form(f.team, "UBOSS", "/coach", "digest here")
	body.Set("channel_id", "D0123")
	reply := f.slack.Post("/slack/commands", "application/x-www-form-urlencoded", []byte(body.Encode()), true).Message(t)
	contains(t, reply, "Run /coach digest here in the Slack channel, public or private")
	if subs := f.subs(t); len(subs) != 0 {
		t.Errorf("subscribed a direct message: %+v", subs)
	}
}

func TestDigestNotInAGroupDirectMessage(t *testing.T) {
	t.Parallel()
	f := newDigestFixture(t)
	body := bottest.Form(f.team, "UBOSS", "/coach", "digest here monday 09:00")
	body.Set("channel_id", "G0123ABC")
	body.Set("channel_name", "mpdm-boss--rep--ann-1")
	reply := f.slack.Post("/slack/commands", "application/x-www-form-urlencoded", []byte(body.Encode()), true).Message(t)
	contains(t, reply, "A group direct message cannot get the weekly digest", "Run /coach digest here in a channel", "Nothing was scheduled")
	if subs := f.subs(t); len(subs) != 0 {
		t.Errorf("subscribed a group direct message: %+v", subs)
	}
	// A private channel, whose id starts with G too, still can.
	body.Set("channel_name", "privategroup")
	reply = f.slack.Post("/slack/commands", "application/x-www-form-urlencoded", []byte(body.Encode()), true).Message(t)
	if subs := f.subs(t); len(subs) != 1 {
		t.Errorf("a private channel got no digest: %s", reply.AllText())
	}
}
