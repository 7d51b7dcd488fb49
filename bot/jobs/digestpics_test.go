package jobs_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"salescoach/bot/bottest"
	"salescoach/bot/jobs"
	"salescoach/bot/render"
	"salescoach/bot/transport"
	"salescoach/coach"
	"salescoach/db"
)

// picturesProcess is a serve process whose digests get their pictures, as
// serve wires them: the pictures come from the store, and so does the
// once-only record of the files; they are painted by bottest.QuickPaint.
// uploadTimeout, when not 0, bounds each upload by it instead of
// DigestPictures' default.
func (f *schedFixture) picturesProcess(id string, uploadTimeout time.Duration) *process {
	f.t.Helper()
	store, err := db.Open(context.Background(), f.url, db.Options{MaxOpen: 4})
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { store.Close() })
	env := jobs.Env{
		Now:   f.clock.Now,
		Log:   slog.New(slog.NewTextHandler(f.log, nil)),
		Slack: transport.StaticClients{Token: "xoxb-test", APIURL: f.api.URL()},
		Retry: transport.Retry{Sleep: func(context.Context, time.Duration) error { return nil }},
	}
	pics := &jobs.DigestPictures{Pictures: jobs.NewPictures(store, bottest.QuickPaint), Files: store, UploadTimeout: uploadTimeout,
		Retry: env.Retry, Now: f.clock.Now}
	return &process{store: store,
		sched: jobs.NewScheduler(env, store, store, pics.Attach, jobs.SchedulerConfig{ID: id, CallTimeout: 5 * time.Second})}
}

// digestFiles returns what the store recorded of a digest's pictures, as
// "flow=uploaded trend=failed".
func digestFiles(t *testing.T, p *process, sub coach.DigestSub, week string) string {
	t.Helper()
	w, _ := time.Parse("2006-01-02", week)
	files, err := p.store.DigestFiles(context.Background(), sub.ID, w)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		out = append(out, f.Picture+"="+f.State)
	}
	return strings.Join(out, " ")
}

func TestDigestPicturesInThread(t *testing.T) {
	t.Parallel()
	due := at("2026-11-02T09:00:00Z")
	tests := []struct {
		name   string
		lang   coach.Lang
		titles []string
	}{
		{"English", coach.EN, []string{"Sales process, last 13 weeks", "Won sales cycle, last 12 weeks"}},
		{"Chinese", coach.ZH, []string{"销售流程（最近 13 周）", "赢单销售周期（最近 12 周）"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newSchedFixture(t, due.Add(-time.Hour))
			p := f.picturesProcess("p1", 0)
			sub := f.subscribe(p, "C1", coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "UTC"}, due.Add(-24*time.Hour))
			if _, err := p.store.SaveDigest(context.Background(), coach.DigestSub{TeamID: "T1", ChannelID: "C1",
				Schedule: sub.Schedule, Names: true, Lang: tt.lang, CreatedBy: "UBOSS", Since: sub.Since}); err != nil {
				t.Fatal(err)
			}
			f.tick(p)
			f.clock.Set(due)
			f.tick(p)
			f.clock.Set(due.Add(time.Hour))
			f.tick(p)

			msgs := f.api.Messages("C1")
			if len(msgs) != 1 {
				t.Fatalf("%d messages in the channel, want the digest alone", len(msgs))
			}
			files := f.api.Files("C1")
			if len(files) != 2 {
				t.Fatalf("%d files shared, want the flowchart and the trend", len(files))
			}
			wantNames := []string{"flow-T1-2026-11-02.png", "trend-T1-2026-11-02.png"}
			for i, file := range files {
				if file.Thread != msgs[0].TS {
					t.Errorf("%s shared in thread %q, want the digest's %q", file.Name, file.Thread, msgs[0].TS)
				}
				if file.Name != wantNames[i] || file.Title != tt.titles[i] {
					t.Errorf("file %d is %q titled %q, want %q titled %q", i, file.Name, file.Title, wantNames[i], tt.titles[i])
				}
				kind, lang, _ := bottest.QuickPicture(file.Data)
				if want := strings.Split(wantNames[i], "-")[0]; kind != want || lang != tt.lang || len(file.Data) != file.Declared {
					t.Errorf("%s: %d bytes (declared %d) hold the %q picture in %q, want the %s in %s", file.Name, len(file.Data), file.Declared, kind, lang, want, tt.lang)
				}
			}
			if got := digestFiles(t, p, sub, "2026-11-02"); got != "flow=uploaded trend=uploaded" {
				t.Errorf("recorded %q, want both uploaded", got)
			}
		})
	}
}

// TestDigestPicturesTwoSchedulers races two processes over a digest's week:
// the digest is posted once and its pictures shared once. The same posted
// digest handed to the pictures again shares nothing: the claims hold.
func TestDigestPicturesTwoSchedulers(t *testing.T) {
	t.Parallel()
	due := at("2026-11-02T09:00:00Z")
	f := newSchedFixture(t, due.Add(-time.Hour))
	p1, p2 := f.picturesProcess("p1", 0), f.picturesProcess("p2", 0)
	sub := f.subscribe(p1, "C1", coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "UTC"}, due.Add(-24*time.Hour))
	for _, now := range []time.Time{due.Add(-time.Hour), due, due.Add(time.Minute), due.Add(time.Hour)} {
		f.clock.Set(now)
		f.tick(p1, p2, p1, p2)
	}
	msgs := f.api.Messages("C1")
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want the digest once", len(msgs))
	}
	if n := len(f.api.Files("C1")); n != 2 {
		t.Fatalf("%d files, want 2", n)
	}
	again := jobs.PostedDigest{
		Client: slack.New("xoxb-test", slack.OptionAPIURL(f.api.URL())), TeamID: "T1", ChannelID: "C1", TS: msgs[0].TS,
		At: due, View: render.DigestView{Lang: coach.EN, Loc: time.UTC}, SubID: sub.ID, Week: at("2026-11-02T00:00:00Z"),
	}
	if err := (&jobs.DigestPictures{Pictures: jobs.NewPictures(p2.store, bottest.QuickPaint), Files: p2.store}).Attach(context.Background(), again); err != nil {
		t.Fatal(err)
	}
	if n := len(f.api.Files("C1")); n != 2 {
		t.Errorf("handed the same digest again, the files are %d, want still 2", n)
	}
	if got := digestFiles(t, p2, sub, "2026-11-02"); got != "flow=uploaded trend=uploaded" {
		t.Errorf("recorded %q, want both uploaded", got)
	}
}

// TestDigestPictureFailure: a picture that cannot be uploaded leaves the
// digest posted once, is logged and recorded, and is not tried again; the
// other picture is still shared.
func TestDigestPictureFailure(t *testing.T) {
	t.Parallel()
	due := at("2026-11-02T09:00:00Z")
	tests := []struct {
		name      string
		method    string
		faults    []bottest.Fault
		wantFiles int
		wantState string
	}{
		{"RefusedOnce", "files.getUploadURLExternal", []bottest.Fault{{Error: "missing_scope"}}, 1, "flow=failed trend=uploaded"},
		{"UploadDown", "upload", repeat(bottest.Fault{Status: 503}, 10), 0, "flow=failed trend=failed"},
		{"CompleteTimesOut", "files.completeUploadExternal", []bottest.Fault{{Hang: true}}, 1, "flow=failed trend=uploaded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newSchedFixture(t, due)
			p := f.picturesProcess("p1", 3*time.Second)
			sub := f.subscribe(p, "C1", coach.Schedule{Weekday: time.Monday, Hour: 9, Zone: "UTC"}, due.Add(-time.Hour))
			f.api.Fail(tt.method, tt.faults...)
			for i := range 5 {
				f.clock.Set(due.Add(time.Duration(i) * 10 * time.Minute))
				f.tick(p)
			}
			if n := len(f.api.Messages("C1")); n != 1 {
				t.Errorf("%d messages, want the digest once", n)
			}
			if n := len(f.api.Calls("chat.postMessage")); n != 1 {
				t.Errorf("chat.postMessage called %d times, want 1", n)
			}
			if n := len(f.api.Files("C1")); n != tt.wantFiles {
				t.Errorf("%d files, want %d", n, tt.wantFiles)
			}
			if r := f.lastRun(p, "C1"); r.State != coach.RunPosted {
				t.Errorf("the picture's failure changed the run: %+v", r)
			}
			if got := digestFiles(t, p, sub, "2026-11-02"); got != tt.wantState {
				t.Errorf("recorded %q, want %q", got, tt.wantState)
			}
			if log := f.log.String(); !strings.Contains(log, "digest attachment failed") || !strings.Contains(log, "flow") {
				t.Errorf("the failure is not logged:\n%s", log)
			}
		})
	}
}
