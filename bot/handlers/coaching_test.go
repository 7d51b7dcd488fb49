package handlers_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"salescoach/bot/handlers"
	"salescoach/coach"
)

// past writes deal histories at chosen times, straight into the store, as if
// they had been typed days ago.
type past struct {
	t     *testing.T
	store handlers.Store
	team  string
	now   time.Time
}

func (p past) at(days float64) time.Time {
	return p.now.Add(-time.Duration(days * 24 * float64(time.Hour)))
}

func (p past) deal(owner, name string, stage coach.Stage, days float64) coach.Deal {
	p.t.Helper()
	return p.dealWorth(owner, name, stage, days, 0)
}

// dealWorth is deal with an amount in cents of USD (none when 0).
func (p past) dealWorth(owner, name string, stage coach.Stage, days float64, cents int64) coach.Deal {
	p.t.Helper()
	if _, err := p.store.Member(context.Background(), p.team, owner); err != nil {
		p.t.Fatal(err)
	}
	d, _, err := p.store.CreateDeal(context.Background(), p.team, coach.NewDeal{
		Name: name, OwnerID: owner, Amount: coach.Money{Cents: cents, Currency: "USD"}, HasAmount: cents > 0, Stage: stage, ActorID: owner, At: p.at(days)})
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
// attention, by urgency and value together, each with its next step and why
// under a label a rep reads, and says what it left out.
func TestCoachRanksDeals(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "UBOSS")
	p := past{t: t, store: f.store, team: "T1", now: time.Now()}
	onTrack := p.deal("U1", "Calm Co", coach.Prospecting, 1)      // #1
	stuck := p.deal("U1", "Stuck Inc", coach.Qualification, 20)   // #2: stuck, no team data
	p.note(stuck, 1)                                              //
	closing := p.deal("U1", "Closing Ltd", coach.Closing, 30)     // #3: stuck before signature
	p.note(closing, 1)                                            //
	paused := p.deal("U1", "Sleepy SA", coach.Contact, 40)        // #4: paused
	p.pause(paused, time.Now().Add(72*time.Hour), 1)              //
	back := p.deal("U1", "Backtrack AG", coach.Qualification, 10) // #5: moved back
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
	// Stuck before signature, stuck, moved back, then the paused deal (the
	// longest in its stage) and the on-track one.
	if got, want := strings.Join(order, ","), "3,2,5,4,1"; got != want {
		t.Errorf("deals in order %s, want %s:\n%s", got, want, all)
	}
	for _, w := range []string{"Why · Stuck before signature", "still a priority", "Why · Stuck in stage", "Why · Moved back", "⏸ paused until", "Next step"} {
		if !strings.Contains(all, w) {
			t.Errorf("/coach lacks %q:\n%s", w, all)
		}
	}
	noInternals(t, all)
	if strings.Contains(all, "Not Mine") {
		t.Errorf("/coach shows another rep's deal")
	}

	f.slack.Command("T1", "U1", "/coach", "lang zh")
	zh := f.slack.Command("T1", "U1", "/coach", "")
	if !strings.Contains(zh.Text, "您的 5 笔进行中商机里，有 3 笔需要关注") || !strings.Contains(zh.AllText(), "原因 · 迟迟签不下来") {
		t.Errorf("Chinese /coach:\n%s", zh.AllText())
	}
	noInternals(t, zh.AllText())

	// A manager asks for U1's list before a 1:1; U1 cannot ask for U2's.
	boss := f.slack.Command("T1", "UBOSS", "/coach", "<@U1|ann>")
	if !strings.Contains(boss.Text, "3 of <@U1>'s 5 open deals need attention") || !strings.Contains(boss.AllText(), "Closing Ltd") {
		t.Errorf("/coach @rep for a manager:\n%s", boss.AllText())
	}
	rep := f.slack.Command("T1", "U1", "/coach", "<@U2|bob>")
	if !strings.Contains(rep.AllText(), "只有经理可以") || strings.Contains(rep.AllText(), "Not Mine") {
		t.Errorf("/coach @rep for a rep:\n%s", rep.AllText())
	}
}

// TestCoachWeighsValue: a large deal that is only slow ranks above small
// deals that are stuck, and what was left out is counted.
func TestCoachWeighsValue(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := past{t: t, store: f.store, team: "T1", now: time.Now()}
	for i := range 6 {
		d := p.dealWorth("U1", fmt.Sprintf("Small %d", i), coach.Qualification, float64(15+i), 1_000_000)
		p.note(d, 1)
	}
	big := p.dealWorth("U1", "Huge Holdings", coach.Qualification, 8, 50_000_000) // slow, not stuck
	p.note(big, 1)
	reply := f.slack.Command("T1", "U1", "/coach", "")
	all := reply.AllText()
	if !strings.Contains(reply.Text, "7 of your 7 open deals need attention") {
		t.Errorf("headline %q", reply.Text)
	}
	first := ""
	for _, line := range strings.Split(all, "\n") {
		if strings.HasPrefix(line, "#") {
			first = line
			break
		}
	}
	if !strings.Contains(first, "Huge Holdings") {
		t.Errorf("the $500,000 deal is not first:\n%s", all)
	}
	if !strings.Contains(all, "Not shown: 2 more that need attention") {
		t.Errorf("/coach does not say what it left out:\n%s", all)
	}
}

// noInternals fails when a reply shows a rule id or analyst jargon.
func noInternals(t *testing.T, text string) {
	t.Helper()
	for _, id := range coach.Rules() {
		if strings.Contains(string(id), "_") && strings.Contains(text, string(id)) || strings.Contains(text, "· "+string(id)) {
			t.Errorf("reply shows the rule id %s:\n%s", id, text)
		}
	}
	if strings.Contains(strings.ToLower(text), "p90") || strings.Contains(strings.ToLower(text), "p75") {
		t.Errorf("reply shows p90 or p75:\n%s", text)
	}
}

// TestCoachDealUsesTeamNumbers: /coach <deal> compares the deal with the
// team's own visits of its stage and says which rule fired, in both languages.
func TestCoachDealUsesTeamNumbers(t *testing.T) {
	t.Parallel()
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
	for _, w := range []string{"Why · Stuck in stage", "In Qualification for 12 days — longer than 9 in 10 of your team's past visits (your team usually takes 5 days).", "Not confirmed yet: need, budget", "5A"} {
		if !strings.Contains(en, w) {
			t.Errorf("/coach late corp lacks %q:\n%s", w, en)
		}
	}
	noInternals(t, en)
	playbook := f.slack.Command("T1", "U1", "/coach", "qualification").AllText()
	if !strings.Contains(playbook, "10 stays in Qualification ended in the last 90 days: half took under 5 days") {
		t.Errorf("/coach qualification lacks the team's numbers:\n%s", playbook)
	}
	noInternals(t, playbook)
	f.slack.Command("T1", "U1", "/coach", "lang zh")
	zh := f.slack.Command("T1", "U1", "/coach", "#11").AllText()
	for _, w := range []string{"原因 · 本阶段卡住了", "比团队以往九成的停留都长（团队通常只要 5 天）。", "5A"} {
		if !strings.Contains(zh, w) {
			t.Errorf("/coach #11 (zh) lacks %q:\n%s", w, zh)
		}
	}
	noInternals(t, zh)
}
