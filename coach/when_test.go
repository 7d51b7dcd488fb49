package coach

import (
	"strings"
	"testing"
	"time"
)

func TestSplitTrailingTime(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	// Thursday 2026-12-03 10:15 in Shanghai.
	now := time.Date(2026, 12, 3, 10, 15, 0, 0, shanghai)
	tests := []struct {
		in   string
		rest string
		at   string // 2006-01-02 15:04 in Shanghai; "" when no time is taken
		err  string
	}{
		{in: "objections yesterday", rest: "objections", at: "2026-12-02 10:15"},
		{in: "qual on monday", rest: "qual", at: "2026-11-30 10:15"},
		{in: "qual last monday", rest: "qual", at: "2026-11-30 10:15"},
		{in: "demo thursday", rest: "demo", at: "2026-11-26 10:15"}, // today is Thursday: the one before
		{in: "price too high 3d", rest: "price too high", at: "2026-11-30 10:15"},
		{in: "price 3 days ago", rest: "price", at: "2026-11-30 10:15"},
		{in: "demo 2w", rest: "demo", at: "2026-11-19 10:15"},
		{in: "demo 2026-12-01", rest: "demo", at: "2026-12-01 10:15"},
		{in: "demo 2026-12-01 14:30", rest: "demo", at: "2026-12-01 14:30"},
		{in: "demo at 2026-12-01 14:30", rest: "demo", at: "2026-12-01 14:30"},
		{in: "yesterday 9:05", rest: "", at: "2026-12-02 09:05"},
		{in: "演示 昨天", rest: "演示", at: "2026-12-02 10:15"},
		{in: "演示 前天", rest: "演示", at: "2026-12-01 10:15"},
		{in: "资格审查 周一", rest: "资格审查", at: "2026-11-30 10:15"},
		{in: "资格审查 星期一 14:30", rest: "资格审查", at: "2026-11-30 14:30"},
		{in: "价格 3天前", rest: "价格", at: "2026-11-30 10:15"},
		{in: "Called the CFO", rest: "Called the CFO"},
		{in: "call back in 3d", rest: "call back in 3d"},
		{in: "meet again next monday", rest: "meet again next monday"},
		{in: "lunch on wed", rest: "lunch on wed"},
		{in: "", rest: ""},
		// A note that ends with a word of time is the note's: today and
		// tomorrow are not read as when it happened.
		{in: "met them today", rest: "met them today"},
		{in: "call them tomorrow", rest: "call them tomorrow"},
		{in: "demo 2026-12-05", err: "in the future"},
		{in: "demo today 2026-12-03 18:00", err: "in the future"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			rest, at, given, err := SplitTrailingTime(tt.in, now)
			if tt.err != "" {
				if err == nil || !strings.Contains(ErrorMessage(err, EN), tt.err) || ErrorMessage(err, ZH) == ErrorMessage(err, EN) {
					t.Fatalf("SplitTrailingTime(%q) = %q, %v, %v; want an error with %q in both languages", tt.in, rest, at, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("SplitTrailingTime(%q): %v", tt.in, err)
			}
			if rest != tt.rest || given != (tt.at != "") {
				t.Fatalf("SplitTrailingTime(%q) = %q, given %v; want %q, given %v", tt.in, rest, given, tt.rest, tt.at != "")
			}
			if given && FormatWhen(at, shanghai) != tt.at {
				t.Errorf("SplitTrailingTime(%q) at %s; want %s", tt.in, FormatWhen(at, shanghai), tt.at)
			}
			if !given && !at.Equal(now) {
				t.Errorf("SplitTrailingTime(%q) at %v without a time; want now", tt.in, at)
			}
		})
	}
}

func TestBackdatedChanges(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	created := now.AddDate(0, 0, -10)
	d := Deal{ID: 1, TeamID: "T1", Number: 7, Name: "Delta", OwnerID: "U1", Status: StatusOpen,
		Stage: Qualification, CreatedAt: created, StageSince: now.AddDate(0, 0, -2)}
	yesterday := now.AddDate(0, 0, -1)

	e, err := Move(rep, d, Objections, yesterday)
	if err != nil || !e.At.Equal(yesterday) || e.Entry != Objections {
		t.Fatalf("Move dated yesterday = %+v, %v; want an entry into objections dated yesterday", e, err)
	}
	if _, err := Win(rep, d, yesterday); err != nil {
		t.Fatalf("Win dated yesterday: %v", err)
	}
	if _, err := Lose(rep, d, ReasonPrice, "", yesterday); err != nil {
		t.Fatalf("Lose dated yesterday: %v", err)
	}
	// Before the latest stage entry: refused, with how to fix it.
	for _, try := range []func() (Event, error){
		func() (Event, error) { return Move(rep, d, Objections, now.AddDate(0, 0, -3)) },
		func() (Event, error) { return Advance(rep, d, now.AddDate(0, 0, -3)) },
		func() (Event, error) { return Win(rep, d, now.AddDate(0, 0, -3)) },
	} {
		_, err := try()
		if msg := ErrorMessage(err, EN); !strings.Contains(msg, "entered Qualification on 2026-12-01 10:00") || !strings.Contains(msg, "/deal undo") {
			t.Errorf("a change dated before the latest stage entry: %v; want it refused with how to fix it", err)
		}
	}
	// Before the deal was created.
	fresh := d
	fresh.StageSince = created
	if _, err := Move(rep, fresh, Objections, created.Add(-time.Hour)); !strings.Contains(ErrorMessage(err, EN), "was added on 2026-11-23 10:00") {
		t.Errorf("a move dated before the deal was added: %v", err)
	}
	if _, err := AddNote(rep, d, "Met the CFO", created.Add(-time.Hour)); !strings.Contains(ErrorMessage(err, EN), "was added on") {
		t.Errorf("a note dated before the deal was added: %v", err)
	}
	// A note may be dated before the latest stage entry.
	if _, err := AddNote(rep, d, "Met the CFO", now.AddDate(0, 0, -5)); err != nil {
		t.Errorf("a note dated before the latest stage entry: %v", err)
	}
}

func TestReplayFollowsEffectiveTime(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	created := now.AddDate(0, 0, -10)
	log := []Event{
		{ID: 1, Kind: EvCreate, Entry: Prospecting, At: created, TypedAt: created, Fields: Fields{Name: "Delta", Owner: "U1"}},
		{ID: 2, Kind: EvNote, Text: "call", At: now, TypedAt: now},
		{ID: 3, Kind: EvMove, Entry: Qualification, At: now.AddDate(0, 0, -1), TypedAt: now},
	}
	d := Replay(Deal{ID: 1, CreatedAt: created}, log)
	if !d.StageSince.Equal(now.AddDate(0, 0, -1)) {
		t.Errorf("stage since %v; want the back-dated entry's time", d.StageSince)
	}
	if !d.LastActive.Equal(now) {
		t.Errorf("last active %v; want the later note's time", d.LastActive)
	}
	if !log[2].Backdated() || log[1].Backdated() {
		t.Errorf("Backdated: %v, %v; want true for the entry logged late only", log[2].Backdated(), log[1].Backdated())
	}
	// Undo goes by when a change was typed, not when it is dated.
	if !Undoable(rep, Event{ActorID: "U1", Kind: EvMove, At: now.AddDate(0, 0, -3), TypedAt: now.Add(-time.Hour)}, now) {
		t.Error("a change typed an hour ago, dated three days back, is not undoable")
	}
}

func TestGuardedOutcomes(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	base := Deal{ID: 1, TeamID: "T1", Number: 184, Name: "Hooli Cloud", OwnerID: "U1", Stage: Closing,
		CreatedAt: now.AddDate(0, 0, -30), StageSince: now.AddDate(0, 0, -3)}
	won, lost, open := base, base, base
	won.Status, lost.Status, open.Status = StatusWon, StatusLost, StatusOpen

	tests := []struct {
		name string
		do   func() (Event, error)
		want string
	}{
		{"LostOnWon", func() (Event, error) { return Lose(rep, won, ReasonPrice, "", now) }, "is won — nothing changed. If it was lost after all, reopen it first with /deal reopen #184"},
		{"MoveLostOnWon", func() (Event, error) { return Move(rep, won, Lost, now) }, "is won — nothing changed"},
		{"WonOnLost", func() (Event, error) { return Win(rep, lost, now) }, "is lost — nothing changed. If it was won after all, reopen it first with /deal reopen #184"},
		{"MoveWonOnLost", func() (Event, error) { return Move(rep, lost, Won, now) }, "is lost — nothing changed"},
		{"WonOnWon", func() (Event, error) { return Win(rep, won, now) }, "already won — nothing changed"},
		{"FollowUpOnOpen", func() (Event, error) { return Move(rep, open, Retention, now) }, "Was #184 Hooli Cloud won? Record it with /deal won #184"},
		{"FollowUpOnLost", func() (Event, error) { return Move(rep, lost, Retention, now) }, "is lost — nothing changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := tt.do()
			if err == nil || !strings.Contains(ErrorMessage(err, EN), tt.want) || ErrorMessage(err, ZH) == ErrorMessage(err, EN) {
				t.Fatalf("got %+v, %v; want a refusal with %q in both languages", e, err, tt.want)
			}
		})
	}
	for _, word := range []string{"follow-up", "跟进", "retention"} {
		st, err := ParseStage(word)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Move(rep, open, st, now); !strings.Contains(ErrorMessage(err, EN), "/deal won #184") {
			t.Errorf("move to %q on an open deal: %v; want the question whether it was won", word, err)
		}
	}
	// Still one step: won on an open deal, lost on an open deal.
	if e, err := Move(rep, open, Won, now); err != nil || e.Entry != Won {
		t.Errorf("move won on an open deal = %+v, %v", e, err)
	}
	if e, err := Move(rep, open, Lost, now); err != nil || e.Entry != Lost {
		t.Errorf("move lost on an open deal = %+v, %v", e, err)
	}
}

func TestParseMoveStage(t *testing.T) {
	for in, want := range map[string]string{
		"demo":               "",
		"initial contact":    "",
		"qual 12/03/2026":    `I can't read "12/03/2026" as when it happened`,
		"qual tomorrow":      `I can't read "tomorrow" as when it happened`,
		"objections handlin": `Unknown stage "objections handlin"`,
		"nowhere":            `Unknown stage "nowhere"`,
		"资格审查 明天":            "无法把“明天”理解为发生的时间",
	} {
		_, err := ParseMoveStage(in)
		got := ""
		if err != nil {
			got = ErrorMessage(err, EN) + " | " + ErrorMessage(err, ZH)
		}
		if (want == "") != (err == nil) || !strings.Contains(got, want) {
			t.Errorf("ParseMoveStage(%q): %q, want %q", in, got, want)
		}
	}
}
