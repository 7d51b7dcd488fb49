package handlers_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"salescoach/bot/bottest"
	"salescoach/bot/handlers"
	"salescoach/bot/transport"
	"salescoach/coach"
	"salescoach/db"
	"salescoach/db/dbtest"
)

// TestNudges runs two schedulers against one database and a fake Slack for a
// week, hour by hour: every rep with stale deals gets exactly one DM per
// working day, at 09:00 in their own time zone (UTC when Slack gives none),
// none on the weekend, none for paused deals, and none when nothing is stale.
func TestNudges(t *testing.T) {
	t.Parallel()
	api := newFakeWebAPI(t, map[string]fakeUser{
		"USH":    {Locale: "zh-CN", TZ: "Asia/Shanghai"},
		"UNY":    {Locale: "en-US", TZ: "America/New_York"},
		"UUTC":   {Locale: "en-GB"},
		"UPAUSE": {Locale: "en-US", TZ: "Europe/Berlin"},
		"UFRESH": {Locale: "en-US", TZ: "Europe/Berlin"},
	})
	// Two processes: each its own connection pool to one database, of the
	// test's own: the nudges go to every team's reps.
	url := dbtest.URL(t)
	var apps []*handlers.App
	var stores []*db.DB
	// Sunday 15 March 2026, 00:00 UTC; New York is on daylight saving time.
	start := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)
	clock := bottest.NewClock(start)
	for range 2 {
		s, err := db.Open(context.Background(), url, db.Options{MaxOpen: 4})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
		apps = append(apps, handlers.New(handlers.Config{Store: s, Slack: api.clients(), Now: clock.Now}))
	}
	store := stores[0]
	p := past{t: t, store: store, team: "T1", now: start}
	p.deal("USH", "Acme 华东", coach.Qualification, 30) // stale: 30 days in qualification, idle
	shPaused := p.deal("USH", "Paused Ltd", coach.Closing, 40)
	p.pause(shPaused, time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC), 1)
	p.deal("USH", "Fresh Co", coach.Prospecting, 0)
	p.deal("UNY", "Globex", coach.Closing, 20)
	p.deal("UUTC", "Initech", coach.Presentation, 25)
	onlyPaused := p.deal("UPAUSE", "Umbrella", coach.Objections, 50)
	p.pause(onlyPaused, time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC), 1)
	p.deal("UFRESH", "Hooli", coach.Contact, 0)

	type stamped struct {
		fakeDM
		at time.Time
	}
	var got []stamped
	for now := start; now.Before(start.Add(8 * 24 * time.Hour)); now = now.Add(time.Hour) {
		clock.Set(now)
		var wg sync.WaitGroup
		for _, app := range apps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := app.Nudge(context.Background(), now); err != nil {
					t.Errorf("Nudge at %s: %v", now, err)
				}
			}()
		}
		wg.Wait()
		for _, dm := range api.DMs()[len(got):] {
			got = append(got, stamped{dm, now})
		}
	}

	zones := map[string]string{"USH": "Asia/Shanghai", "UNY": "America/New_York", "UUTC": "UTC"}
	perUser := map[string][]string{}
	for _, dm := range got {
		zone, ok := zones[dm.User]
		if !ok {
			t.Errorf("%s got a nudge: %s", dm.User, dm.Text)
			continue
		}
		loc, _ := time.LoadLocation(zone)
		local := dm.at.In(loc)
		perUser[dm.User] = append(perUser[dm.User], local.Format("Mon 2006-01-02 15:04"))
		if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday {
			t.Errorf("%s nudged on a %s", dm.User, wd)
		}
		if local.Hour() != 9 || local.Minute() != 0 {
			t.Errorf("%s nudged at %s local, want 09:00", dm.User, local.Format("15:04"))
		}
		if strings.Contains(dm.Blocks, "Paused Ltd") || strings.Contains(dm.Blocks, "Fresh Co") {
			t.Errorf("nudge of %s lists a paused or fresh deal: %s", dm.User, dm.Blocks)
		}
	}
	want := func(days ...string) string { return strings.Join(days, ", ") }
	weekdays := want("Mon 2026-03-16 09:00", "Tue 2026-03-17 09:00", "Wed 2026-03-18 09:00", "Thu 2026-03-19 09:00", "Fri 2026-03-20 09:00")
	for user := range zones {
		days := perUser[user]
		sort.Strings(days)
		if g := strings.Join(sortByDate(days), ", "); g != weekdays {
			t.Errorf("%s nudged on\n  %s\nwant once each working day:\n  %s", user, g, weekdays)
		}
	}

	// What the nudge says, in the rep's language.
	for _, dm := range got {
		switch dm.User {
		case "USH":
			for _, w := range []string{"早上好！您有 1 笔商机今天需要关注", "Acme 华东", "原因 · 本阶段卡住了", "下一步"} {
				if !strings.Contains(dm.Text+dm.Blocks, w) {
					t.Errorf("Shanghai nudge lacks %q: %s", w, dm.Blocks)
				}
			}
		case "UNY":
			for _, w := range []string{"Good morning! 1 of your deals needs attention today", "Globex", "Why · Stuck before signature", "still a priority"} {
				if !strings.Contains(dm.Text+dm.Blocks, w) {
					t.Errorf("New York nudge lacks %q: %s", w, dm.Blocks)
				}
			}
		}
	}
	if n := api.Calls("chat.postMessage"); n != 15 {
		t.Errorf("%d messages posted, want 15 (3 reps × 5 working days)", n)
	}
}

// sortByDate orders "Mon 2026-03-16 09:00" strings by their date.
func sortByDate(days []string) []string {
	out := append([]string(nil), days...)
	sort.Slice(out, func(i, j int) bool { return out[i][4:] < out[j][4:] })
	return out
}

// TestNudgeFailedPostIsRetried: when Slack surely did not post the nudge (a
// 500), the claim is given back and a later tick that morning sends it once.
func TestNudgeFailedPostIsRetried(t *testing.T) {
	t.Parallel()
	api := newFakeWebAPI(t, map[string]fakeUser{"U1": {Locale: "en-US", TZ: "UTC"}})
	api.failPosts = 1
	store := dbtest.New(t) // of its own: the nudges go to every team's reps
	monday := time.Date(2026, 3, 16, 9, 0, 0, 0, time.UTC)
	app := handlers.New(handlers.Config{Store: store, Slack: api.clients(), Now: func() time.Time { return monday },
		Retry: transport.Retry{Attempts: 1}})
	p := past{t: t, store: store, team: "T1", now: monday}
	p.deal("U1", "Acme", coach.Qualification, 30)

	sent := []int{}
	for i, at := range []time.Time{monday, monday.Add(5 * time.Minute), monday.Add(10 * time.Minute)} {
		n, err := app.Nudge(context.Background(), at)
		if err != nil {
			t.Fatalf("tick %d: %v", i, err)
		}
		sent = append(sent, n)
	}
	if fmt.Sprint(sent) != "[0 1 0]" {
		t.Errorf("DMs sent per tick = %v, want [0 1 0]: the failed post retried once", sent)
	}
	if n := len(api.DMs()); n != 1 {
		t.Errorf("%d DMs delivered, want 1", n)
	}
}
