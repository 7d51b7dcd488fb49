// Package demo makes up the history of a sales team for trying Sales Coach
// out: about six months of deals moving through the process — skips, loops
// back, losses with reasons, reopened deals, notes — and a pipeline that is
// open now, some of it stale. It is deterministic: the same seed and day give
// the same history. Synthetic makes the much larger teams the benchmarks
// measure. It does no I/O.
package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"salescoach/coach"
)

// Manager is the user the demo's console runs as; the reps own the rest.
const Manager = "U0MANAGER"

// Days is how far back the history reaches.
const Days = 182

// IDPrefix starts the deal_id of every demo deal.
const IDPrefix = "DEMO-"

// rep is a salesperson and how they sell.
type rep struct {
	id    string
	deals int     // deals over the six months
	pace  float64 // × the time a stage usually takes
	skill float64 // added to the chance of moving on, taken from the chance of losing
}

var team = []rep{
	{"U0ALICE", 38, 0.8, 0.08},  // quick and reliable
	{"U0BOB", 32, 1.4, 0.0},     // thorough, slow
	{"U0CAROL", 30, 1.0, -0.06}, // struggles with objections
	{"U0DAVE", 28, 0.9, 0.05},   // a strong closer
	{"U0ERIN", 16, 1.2, -0.04},  // joined three months ago
	{"U0FRANK", 24, 1.1, 0.0},   // steady
	{Manager, 8, 1.0, 0.1},      // a few key accounts of their own
}

// stageDays is the usual time in each open stage, in days (the median of a
// log-normal spread).
var stageDays = map[coach.Stage]float64{
	coach.Prospecting: 4, coach.Contact: 6, coach.Qualification: 8,
	coach.Presentation: 7, coach.Objections: 9, coach.Closing: 10,
}

// odds are what happens when a deal leaves a stage: move to the next stage,
// skip one, go back, or be lost; the rest of the probability is "stall": the
// deal takes another, slower look in the same stage (no entry).
type odds struct{ next, skip, back, lost float64 }

var stageOdds = map[coach.Stage]odds{
	coach.Prospecting:   {0.70, 0.10, 0, 0.16},
	coach.Contact:       {0.68, 0.08, 0.04, 0.16},
	coach.Qualification: {0.62, 0.06, 0.06, 0.22},
	coach.Presentation:  {0.62, 0.05, 0.12, 0.18},
	coach.Objections:    {0.58, 0, 0.14, 0.24},
	coach.Closing:       {0.62, 0, 0.10, 0.26}, // next is won
}

// lostReasons are the likely reasons for losing a deal from each stage.
var lostReasons = map[coach.Stage][]coach.LostReason{
	coach.Prospecting:   {coach.ReasonNeed, coach.ReasonTiming, coach.ReasonNeed},
	coach.Contact:       {coach.ReasonNoDecision, coach.ReasonTiming, coach.ReasonNeed},
	coach.Qualification: {coach.ReasonAuthority, coach.ReasonNeed, coach.ReasonPrice},
	coach.Presentation:  {coach.ReasonCompetitor, coach.ReasonNeed, coach.ReasonTrust},
	coach.Objections:    {coach.ReasonPrice, coach.ReasonTrust, coach.ReasonCompetitor},
	coach.Closing:       {coach.ReasonPrice, coach.ReasonCompetitor, coach.ReasonNoDecision, coach.ReasonOther},
}

// lostTexts are what reps write next to a reason, now and then.
var lostTexts = map[coach.LostReason][]string{
	coach.ReasonPrice:      {"20% over their budget after the CFO review", "预算只有报价的七成", "asked for a discount we could not give"},
	coach.ReasonTiming:     {"budget moved to next fiscal year", "项目推迟到明年", "reorganisation first, revisit in Q3"},
	coach.ReasonAuthority:  {"our champion left the company", "决策人换了，新领导不认可", "procurement owns it now"},
	coach.ReasonNeed:       {"they built it in-house", "现有系统够用了", "the pilot team was disbanded"},
	coach.ReasonTrust:      {"security review failed on SSO", "担心数据存放在境外", "wanted three reference customers in their industry"},
	coach.ReasonNoDecision: {"went dark after the demo", "一直没有回复", "committee never met"},
	coach.ReasonCompetitor: {"went with the incumbent", "选了本地供应商", "competitor bundled it for free"},
	coach.ReasonOther:      {"company was acquired", "公司被收购了"},
}

// notes are activities reps log, by stage.
var notes = map[coach.Stage][]string{
	coach.Prospecting:   {"Found them through the trade show list", "Warm intro from an existing customer", "在行业展会上拿到了名片", "Researched their tech stack and hiring plans"},
	coach.Contact:       {"First call booked for Thursday", "Sent a short intro deck after the call", "已加微信，约了下周电话", "Left a voicemail and followed up by email"},
	coach.Qualification: {"Budget confirmed for this fiscal year", "Decision maker is the VP of Operations", "确认了预算和采购流程", "Timeline: they want to go live before the summer"},
	coach.Presentation:  {"Demo went well; they asked about the API", "Tailored the demo to their warehouse workflow", "演示很顺利，对报表功能很感兴趣", "Sent the recording to the wider team"},
	coach.Objections:    {"Concern about migration effort; sent the plan", "Legal has questions on data retention", "客户担心价格，准备了 ROI 测算", "Arranged a call with a reference customer"},
	coach.Closing:       {"Contract with their legal team", "Agreed on a three-year term", "合同已发给法务审核", "Waiting for the purchase order"},
}

var companiesEN = []string{
	"Lakeshore Freight", "Globex", "Initech", "Umbrella Health", "Stark Logistics", "Wayne Foods", "Hooli", "Vandelay Imports",
	"Soylent Labs", "Cyberdyne Robotics", "Wonka Confectionery", "Tyrell Biotech", "Massive Dynamic", "Oscorp Energy",
	"Blue Sun Retail", "Gringotts Finance", "Pied Piper", "Dunder Mifflin", "Bluth Homes", "Prestige Worldwide",
	"Northwind Traders", "Contoso Bank", "Fabrikam", "Adventure Works", "Litware", "Tailspin Toys", "Wingtip Travel",
	"Proseware", "Alpine Ski House", "Coho Winery", "Fourth Coffee", "Lucerne Publishing", "Margie's Travel",
	"Nod Publishers", "Southridge Video", "Trey Research", "Woodgrove Bank", "Graphic Design Institute", "Humongous Insurance",
	"Lamna Healthcare", "Relecloud", "Best For You Organics", "VanArsdel", "Wide World Importers", "Bellows College",
}

var companiesZH = []string{
	"深圳星河科技", "杭州云帆网络", "北京华信软件", "上海星辰物流", "广州悦动体育", "成都天府数据", "南京紫金制造",
	"武汉光谷生物", "苏州工业园电子", "西安秦岭能源", "厦门海风贸易", "青岛蓝海食品", "天津滨海重工", "重庆山城汽车",
	"长沙湘江传媒", "宁波港湾航运", "合肥量子信息", "郑州中原粮油", "济南泉城医药", "大连北方船舶", "昆明花语旅游",
	"福州闽江家居", "沈阳东北机床", "无锡太湖纺织", "东莞智造精密", "佛山陶瓷集团", "珠海格林电器", "温州鞋业联合",
	"哈尔滨冰城乳业", "南昌赣江光电",
}

// Projects tell apart several deals with one company.
var (
	projectsEN = []string{"EMEA rollout", "pilot", "renewal", "phase 2", "APAC expansion", "HQ licences"}
	projectsZH = []string{"二期", "全国推广", "试点项目", "华南分公司", "续约"}
)

// History returns the demo team's history as of now: deals created over the
// Days before now, their stage entries up to now, and notes. seed picks the
// history; the same seed and the same day give the same history.
func History(seed int64, now time.Time) coach.History {
	g := &gen{rnd: rand.New(rand.NewPCG(uint64(seed), 0x5a1e5c0ac4)), now: now.UTC().Truncate(24 * time.Hour), names: map[string]bool{}}
	var h coach.History
	n := 0
	for _, r := range team {
		for i := range r.deals {
			// Spread each rep's deals over the period, newest joiners later.
			span := float64(Days - 2)
			if r.id == "U0ERIN" {
				span = 90
			}
			ago := span * (float64(i) + g.rnd.Float64()) / float64(r.deals)
			n++
			g.deal(&h, fmt.Sprintf("%s%03d", IDPrefix, n), r, g.now.Add(-time.Duration(ago*24*float64(time.Hour))))
		}
	}
	g.closeDates(&h)
	// Deals are numbered in order of first appearance: oldest first reads best.
	first := map[string]time.Time{}
	for _, row := range h.Rows {
		if _, ok := first[row.DealID]; !ok {
			first[row.DealID] = row.At
		}
	}
	slices.SortStableFunc(h.Rows, func(a, b coach.HistoryRow) int {
		if c := first[a.DealID].Compare(first[b.DealID]); c != 0 {
			return c
		}
		return a.At.Compare(b.At)
	})
	for i := range h.Rows {
		h.Rows[i].Line = i + 2
	}
	return h
}

type gen struct {
	rnd   *rand.Rand
	now   time.Time
	names map[string]bool
}

func (g *gen) pick(s []string) string { return s[g.rnd.IntN(len(s))] }

// name returns a deal name not used yet: a company, and a project when the
// company already has a deal.
func (g *gen) name() string {
	list, projects := companiesEN, projectsEN
	if g.rnd.IntN(3) == 0 {
		list, projects = companiesZH, projectsZH
	}
	base := g.pick(list)
	name := base
	for tries := 0; g.names[name]; tries++ {
		name = base + " " + g.pick(projects)
		if tries > 5 {
			name = fmt.Sprintf("%s %d", base, tries)
		}
	}
	g.names[name] = true
	return name
}

// amount returns a deal's value: mostly USD, some EUR and CNY.
func (g *gen) amount() coach.Money {
	usd := math.Exp(math.Log(3000) + g.rnd.Float64()*(math.Log(150000)-math.Log(3000)))
	usd = math.Round(usd/500) * 500
	switch x := g.rnd.IntN(100); {
	case x < 8:
		return coach.Money{Cents: int64(usd*0.9) * 100, Currency: "EUR"}
	case x < 15:
		return coach.Money{Cents: int64(math.Round(usd*7/1000)*1000) * 100, Currency: "CNY"}
	}
	return coach.Money{Cents: int64(usd) * 100, Currency: "USD"}
}

// stay returns how long a visit to stage s lasts for a rep: log-normal around
// the stage's usual time.
func (g *gen) stay(s coach.Stage, r rep) time.Duration {
	d := stageDays[s] * r.pace * math.Exp(g.rnd.NormFloat64()*0.55)
	return g.workHours(time.Duration(math.Max(d, 0.2) * 24 * float64(time.Hour)))
}

// workHours nudges a duration so that what it ends on falls in office hours.
func (g *gen) workHours(d time.Duration) time.Duration {
	return d.Truncate(time.Hour) + time.Duration(g.rnd.IntN(60))*time.Minute
}

// deal simulates one deal from its creation at start until it closes for good
// or now comes.
func (g *gen) deal(h *coach.History, id string, r rep, start time.Time) {
	name, amount := g.name(), g.amount()
	at := start.Truncate(24 * time.Hour).Add(time.Duration(9+g.rnd.IntN(9))*time.Hour + time.Duration(g.rnd.IntN(60))*time.Minute)
	if !at.Before(g.now) {
		return
	}
	row := func(s coach.Stage, at time.Time) {
		h.Rows = append(h.Rows, coach.HistoryRow{DealID: id, Name: name, Owner: r.id, Amount: amount, HasAmount: true, Stage: s, At: at})
	}
	stage := coach.Prospecting
	switch x := g.rnd.IntN(100); {
	case x < 15:
		stage = coach.Contact // a referral: the first call is already booked
	case x < 22:
		stage = coach.Qualification // an inbound request with a budget
	}
	row(stage, at)
	reopened := false
	for {
		// Time in this visit, plus a slower second look now and then.
		end := at.Add(g.stay(stage, r))
		o := stageOdds[stage]
		roll := g.rnd.Float64()
		next := coach.Stage("")
		switch {
		case roll < o.next+r.skill:
			next = stage.Next()
			if stage == coach.Closing {
				next = coach.Won
			}
		case roll < o.next+r.skill+o.skip && stage.Index()+2 < len(coach.OpenStages):
			next = coach.OpenStages[stage.Index()+2]
		case roll < o.next+r.skill+o.skip+o.back && stage.Index() > 0:
			next = coach.OpenStages[max(stage.Index()-1-g.rnd.IntN(2), 0)]
		case roll < o.next+o.skip+o.back+o.lost:
			next = coach.Lost
		default:
			end = end.Add(g.stay(stage, r)) // stalls, then goes on
			next = stage.Next()
			if stage == coach.Closing {
				next = coach.Won
			}
		}
		g.notes(h, id, r, stage, at, end)
		if !end.Before(g.now) {
			return // still there now
		}
		at = end
		switch next {
		case coach.Won:
			row(coach.Won, at)
			return
		case coach.Lost:
			reason := g.pickReason(stage)
			text := ""
			if g.rnd.IntN(2) == 0 {
				text = g.pick(lostTexts[reason])
			}
			h.Rows = append(h.Rows, coach.HistoryRow{DealID: id, Name: name, Owner: r.id, Amount: amount, HasAmount: true,
				Stage: coach.Lost, At: at, Reason: reason, Text: text})
			// Now and then the buyer comes back.
			if reopened || g.rnd.IntN(100) >= 12 {
				return
			}
			reopened = true
			at = at.Add(g.workHours(time.Duration(10+g.rnd.IntN(30)) * 24 * time.Hour))
			if !at.Before(g.now) {
				return
			}
		}
		if next != coach.Lost {
			stage = next
		}
		row(stage, at)
	}
}

// closeDates gives most deals that reached presentation an expected close
// date, set by their owner a day or two after entering it: the rest of the
// process's usual time, a little optimistic. When the date passes with the
// deal still open, the owner usually pushes it two to five weeks later (a
// slip) within a few days; now and then they forget, and the deal is
// overdue.
func (g *gen) closeDates(h *coach.History) {
	type life struct {
		owner string
		pace  float64
		dated time.Time // entry into presentation
		stage coach.Stage
		end   time.Time // won or lost; now while open
		seen  bool
	}
	pace := map[string]float64{}
	for _, r := range team {
		pace[r.id] = r.pace
	}
	var order []string
	lives := map[string]*life{}
	for _, row := range h.Rows {
		l := lives[row.DealID]
		if l == nil {
			l = &life{owner: row.Owner, pace: pace[row.Owner], end: g.now}
			lives[row.DealID] = l
			order = append(order, row.DealID)
		}
		if !l.seen && row.Stage.Index() >= coach.Presentation.Index() && row.Stage.IsOpen() {
			l.seen, l.dated, l.stage = true, row.At, row.Stage
		}
		if row.Stage == coach.Won || row.Stage == coach.Lost {
			l.end = row.At
		} else {
			l.end = g.now
		}
	}
	for _, id := range order {
		l := lives[id]
		if !l.seen || g.rnd.IntN(100) >= 70 {
			continue
		}
		rest := 0.0
		for _, st := range coach.OpenStages[l.stage.Index():] {
			rest += stageDays[st]
		}
		set := l.dated.Add(time.Duration(20+g.rnd.IntN(30)) * time.Hour)
		date := coach.DayOf(set.Add(time.Duration(rest * l.pace * 0.8 * math.Exp(g.rnd.NormFloat64()*0.3) * 24 * float64(time.Hour))))
		for set.Before(l.end) {
			h.Dues = append(h.Dues, coach.HistoryDue{DealID: id, Author: l.owner, At: set, Date: date})
			if g.rnd.IntN(100) < 25 {
				break // forgotten: overdue if still open
			}
			next := date.Add(time.Duration(24+g.rnd.IntN(72))*time.Hour + 9*time.Hour)
			if !next.After(set) {
				next = set.Add(24 * time.Hour)
			}
			set, date = next, date.AddDate(0, 0, 14+g.rnd.IntN(22))
		}
	}
}

func (g *gen) pickReason(s coach.Stage) coach.LostReason {
	rs := lostReasons[s]
	return rs[g.rnd.IntN(len(rs))]
}

// notes logs a few activities during a visit to stage s from start to end
// (or now), by the owner.
func (g *gen) notes(h *coach.History, id string, r rep, s coach.Stage, start, end time.Time) {
	if end.After(g.now) {
		end = g.now
	}
	span := end.Sub(start)
	if span < 2*time.Hour {
		return
	}
	for range g.rnd.IntN(3) {
		at := start.Add(time.Hour + time.Duration(g.rnd.Int64N(int64(span-2*time.Hour)))).Truncate(time.Minute)
		h.Notes = append(h.Notes, coach.HistoryNote{DealID: id, Author: r.id, At: at, Text: g.pick(notes[s])})
	}
}
