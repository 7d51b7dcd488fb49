package coach

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Thresholds of a rep's coaching focus (the weekly digest).
const (
	// MinFocusVisits is how many visits to a stage a rep must have completed
	// in the window before their time in it is compared with the team's.
	MinFocusVisits = 8
	// focusRatio and focusDays: a rep is slow in a stage when their median
	// is at least this many times the team's, and this many days longer.
	focusRatio = 1.3
	focusDays  = 2.0
	// MinDropOut is how many deals must be lost straight from a stage in the
	// window before it is named the stage where most deals drop out.
	MinDropOut = 5
)

// Focus is what a manager should coach a rep on, when the numbers say so:
// a stage where the rep's deals sit clearly longer than the team's, or no
// open deal past qualification.
type Focus struct {
	User     string
	Stage    Stage   // the slow stage; "" with NoLatePipeline
	RepDays  float64 // the rep's median days in Stage
	TeamDays float64 // the team's
	Visits   int     // the rep's completed visits to Stage
	// NoLatePipeline: the rep has open deals, none past qualification.
	NoLatePipeline bool
	// NoPipeline: the rep closed deals in the window and has none open.
	NoPipeline bool
}

// CoachingFocus returns at most one focus per rep of a report (a window of
// 90 days, as the digest's), by user id: the stage where the rep is slowest
// against the team, on at least MinFocusVisits of the rep's visits and
// MinVisitsForBottleneck of the team's; else, for a rep with deals in the
// window, having no open deal left, or none past qualification. Reps the numbers say
// nothing about are left out; a manager who owns no deals is never a rep.
func CoachingFocus(q Report) []Focus {
	team := map[Stage]float64{}
	for _, s := range q.Stages {
		if s.CompletedVisits >= MinVisitsForBottleneck && s.MedianDays != nil {
			team[s.Stage] = *s.MedianDays
		}
	}
	byUser := map[string][]RepStage{}
	for _, rs := range q.RepStages {
		byUser[rs.User] = append(byUser[rs.User], rs)
	}
	var out []Focus
	for _, rep := range q.Reps {
		var best *Focus
		late := 0
		for _, rs := range byUser[rep.User] {
			if rs.Stage.Index() > Qualification.Index() {
				late += rs.Open
			}
			t, ok := team[rs.Stage]
			if !ok || rs.Visits < MinFocusVisits || rs.MedianDays == nil || t <= 0 {
				continue
			}
			d := *rs.MedianDays
			if d < t*focusRatio || d-t < focusDays {
				continue
			}
			if best == nil || d/t > best.RepDays/best.TeamDays {
				best = &Focus{User: rep.User, Stage: rs.Stage, RepDays: d, TeamDays: t, Visits: rs.Visits}
			}
		}
		switch {
		case best != nil:
			out = append(out, *best)
		case rep.Open == 0 && rep.Won+rep.Lost > 0:
			out = append(out, Focus{User: rep.User, NoPipeline: true})
		case late == 0 && rep.Open > 0:
			out = append(out, Focus{User: rep.User, NoLatePipeline: true})
		}
	}
	slices.SortFunc(out, func(a, b Focus) int { return cmp.Compare(a.User, b.User) })
	return out
}

// Text says the focus in lang, without the rep's name: "Objection handling
// 14 days against the team's 9 over 12 visits — coach on objection handling".
func (f Focus) Text(lang Lang) string {
	if f.NoPipeline {
		return lang.T("no open deal left — agree with them how many new deals to open this week, and from which accounts",
			"手上已经没有进行中的商机——和他商定本周要新开几笔商机、从哪些客户入手")
	}
	if f.NoLatePipeline {
		q := Qualification.Name(lang)
		return lang.T(fmt.Sprintf("no open deal past %s — go through their pipeline together and pick the deals to move to a presentation", q),
			fmt.Sprintf("没有%s之后的进行中商机——和他一起过一遍管道，选出可以推进到演示的商机", q))
	}
	name := f.Stage.Name(lang)
	return lang.T(fmt.Sprintf("%s %.0f days against the team's %.0f over %d visits — coach on %s", name, f.RepDays, f.TeamDays, f.Visits, strings.ToLower(name)),
		fmt.Sprintf("%s %.0f 天，团队为 %.0f 天（%d 次停留）——重点辅导%s", name, f.RepDays, f.TeamDays, f.Visits, name))
}

// DropOut returns the open stage most deals were lost straight from in the
// window, and how many, when that is at least MinDropOut; else "".
func (r *Report) DropOut() (Stage, int) {
	var best Stage
	n := 0
	for _, s := range r.Stages {
		if s.LostFrom > n {
			best, n = s.Stage, s.LostFrom
		}
	}
	if n < MinDropOut {
		return "", n
	}
	return best, n
}
