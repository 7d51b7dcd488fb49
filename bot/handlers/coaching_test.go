package handlers_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"salescoach/coach"
	"salescoach/db"
)

// past writes deal histories at chosen times, straight into the store, as if
// they had been typed days ago.
type past struct {
	t     *testing.T
	store *db.DB
	team  string
	now   time.Time
}

func (p past) at(days float64) time.Time {
	return p.now.Add(-time.Duration(days * 24 * float64(time.Hour)))
}

func (p past) deal(owner, name string, stage coach.Stage, days float64) coach.Deal {
	p.t.Helper()
	if _, err := p.store.Member(context.Background(), p.team, owner); err != nil {
		p.t.Fatal(err)
	}
	d, _, err := p.store.CreateDeal(context.Background(), p.team, coach.NewDeal{
		Name: name, OwnerID: owner, Amount: coach.Money{Currency: "USD"}, Stage: stage, ActorID: owner, At: p.at(days)})
	if err != nil {
		p.t.Fatal(err)
	}
	return d
}

func (p past) change(d coach.Deal, days float64, decide func(c coach.Caller, d coach.Deal, at time.Time) (coach.Event, error)) {
	p.t.Helper()
	c := coach.Caller{TeamID: p.team, UserID: d.OwnerID}
	if _, _, err := p.store.Change(context.Background(), c, d.ID, func(d coach.Deal, _ []coach.Event) (coach.Event, error) {
		return decide(c, d, p.at(days))
	}); err != nil {
		p.t.Fatal(err)
	}
}

func (p past) move(d coach.Deal, to coach.Stage, days float64) {
	p.change(d, days, func(c coach.Caller, d coach.Deal, at time.Time) (coach.Event, error) { return coach.Move(c, d, to, at) })
}

func (p past) note(d coach.Deal, days float64) {
	p.change(d, days, func(c coach.Caller, d coach.Deal, at time.Time) (coach.Event, error) {
		return coach.AddNote(c, d, "called them", at)
	})
}

func (p past) pause(d coach.Deal, until time.Time, days float64) {
	p.change(d, days, func(c coach.Caller, d coach.Deal, at time.Time) (coach.Event, error) {
		return coach.Pause(c, d, coach.PauseArgs{Until: until}, at)
	})
}

var dealNumber = regexp.MustCompile(`^#(\d+) `)

// TestCoachRanksDeals: /coach lists the caller's deals that most need
// attention, the most urgent rule first, each with why and its next step.
func TestCoachRanksDeals(t *testing.T) {
	f := newFixture(t)
	p := past{t: t, store: f.store, team: "T1", now: time.Now()}
	onTrack := p.deal("U1", "Calm Co", coach.Prospecting, 1)      // #1
	stuck := p.deal("U1", "Stuck Inc", coach.Qualification, 20)   // #2: stage_14d
	p.note(stuck, 1)                                              //
	closing := p.deal("U1", "Closing Ltd", coach.Closing, 30)     // #3: closing_stuck
	p.note(closing, 1)                                            //
	paused := p.deal("U1", "Sleepy SA", coach.Contact, 40)        // #4: paused
	p.pause(paused, time.Now().Add(72*time.Hour), 1)              //
	back := p.deal("U1", "Backtrack AG", coach.Qualification, 10) // #5: moved_back
	p.move(back, coach.Presentation, 5)                           //
	p.move(back, coach.Qualification, 2)                          //
	p.deal("U2", "Not Mine", coach.Closing, 90)                   // #6: another rep's
	_, _ = onTrack, paused

	reply := f.slack.Command("T1", "U1", "/coach", "")
	all := reply.AllText()
	if !strings.Contains(reply.Text, "3 of your 5 open deals need attention") {
		t.Errorf("headline %q", reply.Text)
	}
	var order []string
	for _, line := range strings.Split(all, "\n") {
		if m := dealNumber.FindStringSubmatch(line); m != nil && strings.HasPrefix(line, "#") {
			order = append(order, m[1])
		}
	}
	// closing_stuck, stage_14d, moved_back, then the paused and the on-track deal.
	if got, want := strings.Join(order, ","), "3,2,5,4,1"; got != want {
		t.Errorf("deals in order %s, want %s:\n%s", got, want, all)
	}
	for _, w := range []string{"Why · closing_stuck", "still a priority", "Why · stage_14d", "Why · moved_back", "Why · paused", "Next step"} {
		if !strings.Contains(all, w) {
			t.Errorf("/coach lacks %q:\n%s", w, all)
		}
	}
	if strings.Contains(all, "Not Mine") {
		t.Errorf("/coach shows another rep's deal")
	}

	f.slack.Command("T1", "U1", "/coach", "lang zh")
	zh := f.slack.Command("T1", "U1", "/coach", "")
	if !strings.Contains(zh.Text, "您的 5 笔进行中交易里，有 3 笔需要关注") || !strings.Contains(zh.AllText(), "原因 · closing_stuck") {
		t.Errorf("Chinese /coach:\n%s", zh.AllText())
	}
}

// TestCoachDealUsesTeamNumbers: /coach <deal> compares the deal with the
// team's own visits of its stage and says which rule fired, in both languages.
func TestCoachDealUsesTeamNumbers(t *testing.T) {
	f := newFixture(t)
	p := past{t: t, store: f.store, team: "T1", now: time.Now()}
	// Ten completed visits of qualification: 3 4 5 5 5 5 6 7 9 9 days
	// (median 5, p90 at rank 8.1 = 9).
	for i, d := range []float64{3, 4, 5, 5, 5, 5, 6, 7, 9, 9} {
		done := p.deal("U2", "Done "+string(rune('A'+i)), coach.Qualification, 30+d)
		p.move(done, coach.Presentation, 30)
	}
	late := p.deal("U1", "Late Corp", coach.Qualification, 12)
	p.note(late, 1)

	en := f.slack.Command("T1", "U1", "/coach", "late corp").AllText()
	for _, w := range []string{"Why · stage_p90", "In Qualification for 12 days; your team's median is 5 and p90 is 9.", "Not confirmed yet: need, budget"} {
		if !strings.Contains(en, w) {
			t.Errorf("/coach late corp lacks %q:\n%s", w, en)
		}
	}
	playbook := f.slack.Command("T1", "U1", "/coach", "qualification").AllText()
	if !strings.Contains(playbook, "10 visits of Qualification completed in the last 90 days: median 5 days") {
		t.Errorf("/coach qualification lacks the team's numbers:\n%s", playbook)
	}
	f.slack.Command("T1", "U1", "/coach", "lang zh")
	zh := f.slack.Command("T1", "U1", "/coach", "#11").AllText()
	for _, w := range []string{"原因 · stage_p90", "已在资格审查阶段停留 12 天；团队的中位数是 5 天，p90 是 9 天。"} {
		if !strings.Contains(zh, w) {
			t.Errorf("/coach #11 (zh) lacks %q:\n%s", w, zh)
		}
	}
}
