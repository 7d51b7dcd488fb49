package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"salescoach/bot/bottest"
	"salescoach/bot/jobs"
	"salescoach/bot/observe"
	"salescoach/bot/transport"
	"salescoach/coach"
	"salescoach/db"
	"salescoach/db/dbtest"
)

// process is one serve process: its own connection pool and scheduler.
type process struct {
	store *db.DB
	sched *jobs.Scheduler
	waits *[]time.Duration
}

// schedFixture is one database, one fake Slack Web API and one clock, shared
// by the processes it starts.
type schedFixture struct {
	t     *testing.T
	url   string
	api   *bottest.WebAPI
	clock *bottest.Clock
	log   *bottest.LogBuffer
	mu    sync.Mutex
	// attach, when set, is the processes' hook for files added to a posted digest.
	attach func(ctx context.Context, p jobs.PostedDigest) error
}

func newSchedFixture(t *testing.T, start time.Time) *schedFixture {
	f := &schedFixture{t: t, url: dbtest.URL(t), api: bottest.NewWebAPI(t), clock: bottest.NewClock(start), log: &bottest.LogBuffer{}}
	f.api.Now = f.clock.Now
	return f
}

func (f *schedFixture) process(id string) *process {
	f.t.Helper()
	store, err := db.Open(context.Background(), f.url, db.Options{MaxOpen: 4})
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { store.Close() })
	waits := &[]time.Duration{}
	env := jobs.Env{
		Now:   f.clock.Now,
		Log:   slog.New(slog.NewTextHandler(f.log, nil)),
		Slack: transport.StaticClients{Token: "xoxb-test", APIURL: f.api.URL()},
		Retry: transport.Retry{Sleep: func(_ context.Context, d time.Duration) error {
			f.mu.Lock()
			defer f.mu.Unlock()
			*waits = append(*waits, d)
			return nil
		}},
	}
	return &process{store: store, waits: waits,
		sched: jobs.NewScheduler(env, store, store, f.attach, jobs.SchedulerConfig{ID: id, CallTimeout: 300 * time.Millisecond})}
}

func (f *schedFixture) subscribe(p *process, channel string, s coach.Schedule, since time.Time) coach.DigestSub {
	f.t.Helper()
	ctx := context.Background()
	if err := p.store.EnsureTeam(ctx, "T1"); err != nil {
		f.t.Fatal(err)
	}
	sub, err := p.store.SaveDigest(ctx, coach.DigestSub{TeamID: "T1", ChannelID: channel, Schedule: s, Names: true,
		Lang: coach.EN, CreatedBy: "UBOSS", Since: since})
	if err != nil {
		f.t.Fatal(err)
	}
	return sub
}

func (f *schedFixture) tick(ps ...*process) {
	f.t.Helper()
	var wg sync.WaitGroup
	for _, p := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.sched.Tick(context.Background()); err != nil {
				f.t.Error(err)
			}
		}()
	}
	wg.Wait()
}

func (f *schedFixture) lastRun(p *process, channel string) coach.DigestRun {
	f.t.Helper()
	sub, err := p.store.DigestIn(context.Background(), "T1", channel)
	if err != nil {
		f.t.Fatal(err)
	}
	return sub.Last
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func weekOf(m bottest.Message) string {
	if m.Metadata == nil {
		return ""
	}
	w, _ := m.Metadata.EventPayload["week"].(string)
	return w
}

func TestSchedulerTwoProcessesPostOncePerWeek(t *testing.T) {
	t.Parallel()
	f := newSchedFixture(t, at("2026-10-24T00:00:00Z"))
	p1, p2 := f.process("p1"), f.process("p2")
	since := at("2026-10-20T00:00:00Z")
	f.subscribe(p1, "CNY", coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "America/New_York"}, since)
	f.subscribe(p1, "CBER", coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "Europe/Berlin"}, since)
	f.subscribe(p2, "CSHA", coach.Schedule{Weekday: time.Friday, Hour: 17, Zone: "Asia/Shanghai"}, since)

	// Both processes tick together every hour for 17 days, and a third
	// round of ticks races them at every step.
	for now := at("2026-10-24T00:00:00Z"); now.Before(at("2026-11-10T00:00:00Z")); now = now.Add(time.Hour) {
		f.clock.Set(now)
		f.tick(p1, p2, p1, p2)
	}

	want := map[string][]string{
		"CNY":  {"2026-10-26", "2026-11-02", "2026-11-09"},
		"CBER": {"2026-10-26", "2026-11-02", "2026-11-09"},
		"CSHA": {"2026-10-26", "2026-11-02"}, // Fridays 30 Oct and 6 Nov, in the weeks starting those Mondays
	}
	for ch, weeks := range want {
		msgs := f.api.Messages(ch)
		var got []string
		for _, m := range msgs {
			got = append(got, weekOf(m))
		}
		if strings.Join(got, ",") != strings.Join(weeks, ",") {
			t.Errorf("%s: posted weeks %v, want each of %v once", ch, got, weeks)
		}
	}
	if n := len(f.api.Calls("chat.postMessage")); n != 8 {
		t.Errorf("chat.postMessage called %d times, want 8", n)
	}
}

func TestSchedulerRateLimitedRetriedOnce(t *testing.T) {
	t.Parallel()
	due := at("2026-11-02T14:00:00Z")
	f := newSchedFixture(t, due)
	p := f.process("p1")
	f.subscribe(p, "C1", coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "America/New_York"}, due.Add(-48*time.Hour))
	f.api.Fail("chat.postMessage", bottest.Fault{Status: 429, RetryAfter: 7})

	f.tick(p)
	f.clock.Set(due.Add(time.Minute))
	f.tick(p)

	if n := len(f.api.Calls("chat.postMessage")); n != 2 {
		t.Errorf("chat.postMessage called %d times, want 2 (the 429, then the post)", n)
	}
	if n := len(f.api.Messages("C1")); n != 1 {
		t.Errorf("%d messages posted, want 1", n)
	}
	if len(*p.waits) != 1 || (*p.waits)[0] != 7*time.Second {
		t.Errorf("waited %v, want the 7 s Slack asked for", *p.waits)
	}
	if r := f.lastRun(p, "C1"); r.State != coach.RunPosted || r.TS != f.api.Messages("C1")[0].TS {
		t.Errorf("run = %+v, want posted with the message's ts", r)
	}
}

// TestSchedulerWaitsTheRetryAfterSlackGives has Slack answer the digest's
// post with a 429 and Retry-After: 120: the job waits the 120 s it asked
// for (not a shorter cap that would only earn another 429), then posts.
func TestSchedulerWaitsTheRetryAfterSlackGives(t *testing.T) {
	t.Parallel()
	due := at("2026-11-02T14:00:00Z")
	f := newSchedFixture(t, due)
	p := f.process("p1")
	f.subscribe(p, "C1", coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "America/New_York"}, due.Add(-48*time.Hour))
	f.api.Fail("chat.postMessage", bottest.Fault{Status: 429, RetryAfter: 120})

	f.tick(p)

	if len(*p.waits) != 1 || (*p.waits)[0] != 120*time.Second {
		t.Errorf("waited %v, want the 120 s Slack asked for", *p.waits)
	}
	if n := len(f.api.Messages("C1")); n != 1 {
		t.Errorf("%d digests posted, want 1 after the wait", n)
	}
}

func TestSchedulerDaylightSaving(t *testing.T) {
	t.Parallel()
	f := newSchedFixture(t, at("2026-10-25T00:00:00Z"))
	p := f.process("p1")
	f.subscribe(p, "C1", coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "America/New_York"}, at("2026-10-20T00:00:00Z"))

	var postedAt []string
	for now := at("2026-10-25T00:00:00Z"); now.Before(at("2026-11-04T00:00:00Z")); now = now.Add(5 * time.Minute) {
		f.clock.Set(now)
		before := len(f.api.Messages("C1"))
		f.tick(p)
		if len(f.api.Messages("C1")) > before {
			postedAt = append(postedAt, now.Format(time.RFC3339))
		}
	}
	// 09:00 in New York: 13:00 UTC under daylight saving, 14:00 UTC after it
	// ends on Sunday 1 November.
	want := []string{"2026-10-26T13:00:00Z", "2026-11-02T14:00:00Z"}
	if strings.Join(postedAt, " ") != strings.Join(want, " ") {
		t.Errorf("posted at %v, want %v", postedAt, want)
	}
}

func TestSchedulerAmbiguousPost(t *testing.T) {
	t.Parallel()
	due := at("2026-11-02T09:00:00Z")
	monday := coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "UTC"}
	tests := []struct {
		name       string
		faults     []bottest.Fault // of chat.postMessage
		history    []bottest.Fault // of conversations.history
		wantPosts  int
		wantCalls  int
		wantState  string
		wantLogged string
	}{
		// Slack got the post but the answer was lost: the next look finds it.
		{"FoundInHistoryNotPostedAgain", []bottest.Fault{{Hang: true, Deliver: true}}, nil, 1, 1, coach.RunPosted, ""},
		// The post never arrived: history shows nothing, so it is posted once.
		{"NotInHistoryPostedOnce", []bottest.Fault{{Hang: true}}, nil, 1, 2, coach.RunPosted, ""},
		// History cannot be read: no second post, and the log says so.
		{"CannotTellNotPostedAgain", []bottest.Fault{{Hang: true}}, repeat(bottest.Fault{Error: "missing_scope"}, 20), 0, 1, coach.RunAmbiguous, "cannot tell"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newSchedFixture(t, due)
			p := f.process("p1")
			f.subscribe(p, "C1", monday, due.Add(-time.Hour))
			f.api.Fail("chat.postMessage", tt.faults...)
			f.api.Fail("conversations.history", tt.history...)

			f.tick(p)
			if r := f.lastRun(p, "C1"); r.State != coach.RunAmbiguous || r.RetryAt.IsZero() {
				t.Fatalf("after the time-out the run is %+v, want ambiguous, to look again", r)
			}
			for i := 1; i <= 10; i++ {
				f.clock.Set(due.Add(time.Duration(i) * 2 * time.Minute))
				f.tick(p)
			}
			if n := len(f.api.Messages("C1")); n != tt.wantPosts {
				t.Errorf("%d messages in the channel, want %d", n, tt.wantPosts)
			}
			if n := len(f.api.Calls("chat.postMessage")); n != tt.wantCalls {
				t.Errorf("chat.postMessage called %d times, want %d", n, tt.wantCalls)
			}
			r := f.lastRun(p, "C1")
			if r.State != tt.wantState || !r.Final() {
				t.Errorf("run = %+v, want final %s", r, tt.wantState)
			}
			if tt.wantLogged != "" && !strings.Contains(f.log.String(), tt.wantLogged) {
				t.Errorf("log lacks %q:\n%s", tt.wantLogged, f.log.String())
			}
		})
	}
}

func repeat(f bottest.Fault, n int) []bottest.Fault {
	out := make([]bottest.Fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}

func TestSchedulerRecoversCrashMidPost(t *testing.T) {
	t.Parallel()
	due := at("2026-11-02T09:00:00Z")
	monday := coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "UTC"}
	for _, posted := range []bool{true, false} {
		name := map[bool]string{true: "PostedBeforeDyingNotPostedAgain", false: "DiedBeforePostingPostedOnce"}[posted]
		t.Run(name, func(t *testing.T) {
			f := newSchedFixture(t, due)
			p := f.process("p2")
			sub := f.subscribe(p, "C1", monday, due.Add(-time.Hour))
			week := monday.Week(due)
			// A process claimed the week and died: no outcome was recorded.
			if _, ok, err := p.store.ClaimDigest(context.Background(), coach.DigestClaim{
				SubID: sub.ID, Week: week, Due: due, By: "dead", At: due, LeaseUntil: due.Add(10 * time.Minute),
			}); err != nil || !ok {
				t.Fatalf("claim: %v, %v", ok, err)
			}
			var seeded bottest.Message
			if posted {
				seeded = f.api.Seed(bottest.Message{Channel: "C1", Text: "digest", Metadata: ptr(digestMeta(sub.ID, week))})
			}

			f.clock.Set(due.Add(5 * time.Minute)) // the lease still runs
			f.tick(p)
			if n := len(f.api.Calls("chat.postMessage")) + len(f.api.Calls("conversations.history")); n != 0 {
				t.Fatalf("%d Slack calls while the dead process's lease ran", n)
			}
			f.clock.Set(due.Add(11 * time.Minute))
			f.tick(p)
			f.clock.Set(due.Add(30 * time.Minute))
			f.tick(p)

			msgs := f.api.Messages("C1")
			if len(msgs) != 1 {
				t.Fatalf("%d messages, want 1", len(msgs))
			}
			r := f.lastRun(p, "C1")
			if r.State != coach.RunPosted || r.TS != msgs[0].TS || r.Attempts != 2 {
				t.Errorf("run = %+v, want posted at %s on the second attempt", r, msgs[0].TS)
			}
			if posted && msgs[0].TS != seeded.TS {
				t.Errorf("the digest was posted again")
			}
			if len(f.api.Calls("conversations.history")) == 0 {
				t.Errorf("the take-over did not look for an earlier post")
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestSchedulerChecksTheChannel(t *testing.T) {
	t.Parallel()
	due := at("2026-11-02T09:00:00Z")
	monday := coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "UTC"}
	tests := []struct {
		name    string
		channel bottest.Channel
		want    coach.ChannelState
	}{
		{"Member", bottest.Channel{IsMember: true}, coach.ChannelOK},
		{"NotMember", bottest.Channel{IsMember: false}, coach.ChannelNotMember},
		{"SlackConnect", bottest.Channel{IsMember: true, IsExtShared: true}, coach.ChannelExternal},
		{"Private", bottest.Channel{NotFound: true}, coach.ChannelNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newSchedFixture(t, due.Add(-72*time.Hour))
			p := f.process("p1")
			f.api.SetChannel("C1", tt.channel)
			f.subscribe(p, "C1", monday, due.Add(-96*time.Hour))

			// A new subscription's channel is checked at the next tick, long
			// before its first digest.
			f.tick(p)
			sub, err := p.store.DigestIn(context.Background(), "T1", "C1")
			if err != nil {
				t.Fatal(err)
			}
			if sub.Channel != tt.want {
				t.Errorf("channel state %s, want %s", sub.Channel, tt.want)
			}
			dms := len(f.api.Messages("UBOSS"))
			if wantDM := !tt.want.Postable(); (dms == 1) != wantDM || dms > 1 {
				t.Errorf("%d direct messages to the subscriber, want one: %v", dms, wantDM)
			}

			f.clock.Set(due)
			f.tick(p)
			f.clock.Set(due.Add(time.Hour))
			f.tick(p)
			posts := len(f.api.Messages("C1"))
			if want := map[bool]int{true: 1, false: 0}[tt.want.Postable()]; posts != want {
				t.Errorf("%d digests posted, want %d", posts, want)
			}
			if n := len(f.api.Messages("UBOSS")); n != dms {
				t.Errorf("the subscriber was told again (%d messages)", n)
			}
			if r := f.lastRun(p, "C1"); !r.Final() {
				t.Errorf("run %+v is not final", r)
			}
		})
	}
}

// digestMeta is the metadata a digest carries, as Slack stores it.
func digestMeta(subID int64, week time.Time) slack.SlackMetadata {
	return slack.SlackMetadata{EventType: "salescoach_digest", EventPayload: map[string]any{
		"subscription": strconv.FormatInt(subID, 10), "week": week.Format("2006-01-02"),
	}}
}

func TestSchedulerServerErrorsTriedAgainLater(t *testing.T) {
	t.Parallel()
	due := at("2026-11-02T09:00:00Z")
	f := newSchedFixture(t, due)
	p := f.process("p1")
	f.subscribe(p, "C1", coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "UTC"}, due.Add(-time.Hour))
	// Five 503s use up one tick's attempts; Slack surely posted nothing.
	f.api.Fail("chat.postMessage", repeat(bottest.Fault{Status: 503}, 5)...)

	f.tick(p)
	r := f.lastRun(p, "C1")
	if r.State != coach.RunFailed || r.RetryAt.IsZero() || len(f.api.Messages("C1")) != 0 {
		t.Fatalf("after five 503s: run %+v, %d messages; want failed, to try again", r, len(f.api.Messages("C1")))
	}
	f.clock.Set(r.RetryAt.Add(-time.Second))
	f.tick(p)
	if n := len(f.api.Calls("chat.postMessage")); n != 5 {
		t.Fatalf("tried again before the retry time (%d calls)", n)
	}
	f.clock.Set(r.RetryAt)
	f.tick(p)
	if n := len(f.api.Messages("C1")); n != 1 {
		t.Errorf("%d messages, want 1", n)
	}
	if r := f.lastRun(p, "C1"); r.State != coach.RunPosted || r.Attempts != 2 {
		t.Errorf("run = %+v, want posted on the second attempt", r)
	}
}

func TestSchedulerAttachHook(t *testing.T) {
	t.Parallel()
	due := at("2026-11-02T09:00:00Z")
	f := newSchedFixture(t, due)
	var got []jobs.PostedDigest
	f.attach = func(_ context.Context, p jobs.PostedDigest) error {
		got = append(got, p)
		return errors.New("upload refused")
	}
	p := f.process("p1")
	f.subscribe(p, "C1", coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "UTC"}, due.Add(-time.Hour))
	f.tick(p)
	f.clock.Set(due.Add(time.Hour))
	f.tick(p)

	msgs := f.api.Messages("C1")
	if len(got) != 1 || len(msgs) != 1 || got[0].TS != msgs[0].TS || got[0].ChannelID != "C1" || got[0].Client == nil {
		t.Fatalf("hook called with %+v for messages %+v, want once with the digest's ts", got, msgs)
	}
	if r := f.lastRun(p, "C1"); r.State != coach.RunPosted {
		t.Errorf("a failed attachment changed the run: %+v", r)
	}
}

// TestDigestNamesMentionNoOne posts the digest of a team whose stale deal is
// named with Slack's mentions: the channel sees them as text, in the blocks
// and in the notification text, and no one is pinged.
func TestDigestNamesMentionNoOne(t *testing.T) {
	t.Parallel()
	due := at("2026-11-02T14:00:00Z")
	f := newSchedFixture(t, due)
	p := f.process("p1")
	f.subscribe(p, "C1", coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "America/New_York"}, due.Add(-48*time.Hour))
	const name = "<!channel> Acme <@U0BOSS> <#C1|x> <!subteam^S1>"
	if _, _, err := p.store.CreateDeal(context.Background(), "T1", coach.NewDeal{Name: name, OwnerID: "UREP", ActorID: "UREP",
		Amount: coach.Money{Currency: "USD"}, Stage: coach.Closing, At: due.AddDate(0, 0, -30)}); err != nil {
		t.Fatal(err)
	}
	f.tick(p)
	msgs := f.api.Messages("C1")
	if len(msgs) != 1 {
		t.Fatalf("%d digests posted, want 1", len(msgs))
	}
	blocks, _ := json.Marshal(msgs[0].Blocks)
	shown := strings.NewReplacer(`\u0026`, "&", `\u003c`, "<", `\u003e`, ">").Replace(string(blocks))
	if !strings.Contains(shown, "#1 &lt;!channel&gt; Acme &lt;@U0BOSS&gt; &lt;#C1|x&gt; &lt;!subteam^S1&gt;") {
		t.Errorf("the digest does not show the deal's name as text:\n%s", shown)
	}
	for _, live := range []string{"<!channel>", "<@U0BOSS>", "<#C1|x>", "<!subteam^S1>", "\uFDD0"} {
		if strings.Contains(shown, live) || strings.Contains(msgs[0].Text, live) {
			t.Errorf("the digest carries %q: text %q\nblocks %s", live, msgs[0].Text, shown)
		}
	}
	if !strings.Contains(shown, "<@UREP>") {
		t.Errorf("the owner's own mention is gone:\n%s", shown)
	}
}

// TestSchedulerWorkerPanic: a bug that panics while one digest is sent (here
// in the hook that attaches its pictures) is logged with its stack and
// counted, and the other workspaces' digests go out all the same; the
// scheduler keeps ticking.
func TestSchedulerWorkerPanic(t *testing.T) {
	t.Parallel()
	due := at("2026-11-02T09:00:00Z")
	f := newSchedFixture(t, due)
	f.attach = func(_ context.Context, p jobs.PostedDigest) error {
		if p.ChannelID == "C1" {
			panic("bug in attach")
		}
		return nil
	}
	metrics := observe.NewMetrics()
	p := f.process("p1")
	p.sched.Metrics = metrics
	f.subscribe(p, "C1", coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "UTC"}, due.Add(-time.Hour))
	f.subscribe(p, "C2", coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "UTC"}, due.Add(-time.Hour))
	f.tick(p)
	if n := len(f.api.Messages("C2")); n != 1 {
		t.Errorf("C2 got %d digests beside the one that panicked, want 1", n)
	}
	if log := f.log.String(); !strings.Contains(log, "bug in attach") || !strings.Contains(log, "goroutine") {
		t.Errorf("the log lacks the panic and its stack:\n%s", log)
	}
	if got := errorsOfKind(t, metrics, observe.KindPanic); got != "1" {
		t.Errorf(`salescoach_errors_total{kind="panic"} = %s, want 1`, got)
	}
	f.clock.Set(due.Add(time.Hour))
	f.tick(p)
	if n := len(f.api.Messages("C1")); n != 1 {
		t.Errorf("C1 has %d digests after the panic and another tick, want the one posted", n)
	}
}

// errorsOfKind reads salescoach_errors_total{kind} from the metrics' page.
func errorsOfKind(t *testing.T, m *observe.Metrics, kind string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if v, ok := strings.CutPrefix(line, `salescoach_errors_total{kind="`+kind+`"}`); ok {
			return strings.TrimSpace(v)
		}
	}
	return "0"
}
