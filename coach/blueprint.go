package coach

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Lane is one of the five lanes of a service blueprint, in the order they are
// drawn from top to bottom.
type Lane int

// The lanes of a service blueprint. The line of interaction runs between the
// customer's actions and the frontstage, the line of visibility between the
// frontstage and the backstage, and the line of internal interaction between
// the backstage and the support processes.
const (
	LaneEvidence   Lane = iota // physical evidence: what the buyer sees and holds
	LaneCustomer               // customer actions
	LaneFrontstage             // the rep's actions the buyer sees
	LaneBackstage              // the rep's actions the buyer does not see
	LaneSupport                // support processes: what the work rests on
)

// Lanes lists the five lanes from top to bottom.
var Lanes = []Lane{LaneEvidence, LaneCustomer, LaneFrontstage, LaneBackstage, LaneSupport}

var laneNames = map[Lane][2]string{
	LaneEvidence:   {"Physical evidence", "有形证据"},
	LaneCustomer:   {"Customer actions", "客户行为"},
	LaneFrontstage: {"Frontstage", "前台行动"},
	LaneBackstage:  {"Backstage", "后台行动"},
	LaneSupport:    {"Support processes", "支持流程"},
}

// Name returns the lane's name in lang.
func (l Lane) Name(lang Lang) string { return lang.T(laneNames[l][0], laneNames[l][1]) }

// BlueprintItem is one entry of a lane: something the deal's log records, or,
// with Expected, what the stage's playbook expects (never shown as done).
type BlueprintItem struct {
	Text     string
	At       time.Time // when it was logged; zero for an expected item
	Expected bool
}

// BlueprintColumn is one stage entry of a deal and what happened until the
// next one: a visit of an open stage, or a stretch as won or lost. A stage the
// deal returns to gets a column per visit.
type BlueprintColumn struct {
	Stage     Stage     // an open stage, Won or Lost
	Visit     int       // 1 for the first visit of Stage, 2 for the second …
	Reopened  bool      // the entry reopened a won or lost deal
	Start     time.Time // the stage entry
	End       time.Time // the next stage entry; zero while the deal is still here
	Days      float64   // time in the column, up to now for the current one
	P90       *float64  // the team's p90 for Stage, only when it rests on enough visits
	FailPoint bool      // an open-stage visit that ran (or is running) past P90
	Lanes     [5][]BlueprintItem
}

// DealBlueprint is a deal's service blueprint: a column per stage entry,
// oldest first.
type DealBlueprint struct {
	Deal    Deal
	Columns []BlueprintColumn
	Now     time.Time
}

// Blueprint lays a deal's log out as a service blueprint as of now, in lang.
// Each column holds only what was logged while the deal was in it — notes,
// confirmed exit criteria, edits, the outcome — and nothing is invented: each
// note goes to one lane by what it says (NoteLane), and the artifacts a note
// the buyer saw names (a proposal, a contract …) show as physical evidence. The support lane holds the stage playbook's next step,
// marked Expected. rep gives the team's p90 per stage (a visit past it is a
// fail point) and may be nil; a p90 is used only when it rests on at least
// MinVisitsForBottleneck completed visits.
func Blueprint(d Deal, events []Event, rep *Report, now time.Time, lang Lang) DealBlueprint {
	bp := DealBlueprint{Deal: d, Now: now}
	live := Live(events)
	visits := map[Stage]int{}
	for _, e := range live {
		if !e.At.Before(now) {
			break // the blueprint is as of now; the log is oldest first
		}
		if e.Entry != "" {
			if n := len(bp.Columns); n > 0 {
				bp.Columns[n-1].End = e.At
			}
			visits[e.Entry]++
			col := BlueprintColumn{Stage: e.Entry, Visit: visits[e.Entry], Start: e.At, Reopened: e.Kind == EvReopen}
			if e.Entry == Won {
				col.Lanes[LaneCustomer] = append(col.Lanes[LaneCustomer], BlueprintItem{Text: lang.T("Signed: the deal is won", "签约：赢单"), At: e.At})
			}
			if e.Entry == Lost {
				text := lang.T("Said no: ", "拒绝：") + e.Reason.Name(lang)
				if e.Text != "" {
					text += " — " + e.Text
				}
				col.Lanes[LaneCustomer] = append(col.Lanes[LaneCustomer], BlueprintItem{Text: text, At: e.At})
			}
			bp.Columns = append(bp.Columns, col)
			continue
		}
		if len(bp.Columns) == 0 {
			continue // nothing is logged before a deal's first entry
		}
		col := &bp.Columns[len(bp.Columns)-1]
		for lane, text := range blueprintItems(e, lang) {
			for _, t := range text {
				if lane == LaneEvidence && slices.ContainsFunc(col.Lanes[lane], func(it BlueprintItem) bool { return it.Text == t }) {
					continue // an artifact named again in the same stay is the same evidence
				}
				col.Lanes[lane] = append(col.Lanes[lane], BlueprintItem{Text: t, At: e.At})
			}
		}
	}
	for i := range bp.Columns {
		c := &bp.Columns[i]
		end := c.End
		if end.IsZero() {
			end = now
		}
		c.Days = Days(end.Sub(c.Start))
		if p := PlaybookFor(c.Stage); p != nil {
			c.Lanes[LaneSupport] = append(c.Lanes[LaneSupport], BlueprintItem{Text: p.NextStep.In(lang), Expected: true})
		}
		if !c.Stage.IsOpen() || rep == nil {
			continue
		}
		if st := rep.Stage(c.Stage); st != nil && st.P90Days != nil && st.CompletedVisits >= MinVisitsForBottleneck {
			p90 := *st.P90Days
			c.P90 = &p90
			c.FailPoint = c.Days > p90
		}
	}
	return bp
}

// blueprintItems returns what one non-entry event shows, by lane.
func blueprintItems(e Event, lang Lang) map[Lane][]string {
	out := map[Lane][]string{}
	switch e.Kind {
	case EvNote:
		lane := NoteLane(e.Text)
		out[lane] = append(out[lane], e.Text)
		if internalWork.MatchString(e.Text) && !repWithBuyer.MatchString(e.Text) {
			break // an artifact worked on backstage is not yet evidence the buyer sees
		}
		for _, a := range artifacts {
			if a.re.MatchString(e.Text) {
				out[LaneEvidence] = append(out[LaneEvidence], lang.T(a.en, a.zh))
			}
		}
	case EvCheck:
		out[LaneCustomer] = append(out[LaneCustomer], Describe(e, lang).Done)
	case EvEdit, EvAssign, EvPause, EvDue, EvArchive, EvRestore:
		// A picture cannot show a mention: <@U2> is drawn as @U2.
		done := strings.NewReplacer("<@", "@", ">", "").Replace(Describe(e, lang).Done)
		out[LaneBackstage] = append(out[LaneBackstage], done)
	}
	return out
}

// criterionText returns the text of an exit criterion in lang, or its key
// when the playbook no longer has it.
func criterionText(s Stage, key string, lang Lang) string {
	if p := PlaybookFor(s); p != nil {
		if c, ok := p.Criterion(key); ok {
			return c.In(lang)
		}
	}
	return key
}

// NoteLane returns the lane a note belongs to, by what it says: what the
// buyer did or said ("they asked about the API", "客户要求…") is a customer
// action, unless the rep also did something with them in it ("CFO pushed
// back; sent a phased proposal"), which is frontstage; work the buyer does
// not see ("prepared the ROI model internally") is backstage; anything else
// is the rep's frontstage work, the usual subject of a note.
func NoteLane(text string) Lane {
	switch repActs := repWithBuyer.MatchString(text); {
	case buyerActs.MatchString(text) && !repActs:
		return LaneCustomer
	case internalWork.MatchString(text) && !repActs:
		return LaneBackstage
	}
	return LaneFrontstage
}

// The words NoteLane goes by.
var (
	buyerActs = regexp.MustCompile(`(?i)\b(they|customer|client|buyer|prospect|cfo|ceo|coo|cto|cio|vp|procurement|champion|decision maker)\s+(\w+\s+)?` +
		`(said|says|asked|asks|wants?|wanted|agreed|agrees|signed|signs|confirmed|confirms|requested|requests|declined|declines|pushed|pushes|chose|chooses|approved|approves|accepted|accepts|rejected|rejects|needs?|needed|raised|raises|replied|replies)\b` +
		`|(客户|对方|买方)(说|要求|希望|同意|提出|表示|确认|拒绝|选择|签|问|想)`)
	repWithBuyer = regexp.MustCompile(`(?i)\b(sent|send|emailed|called|visited|presented|shared|walked|met)\b|发给|发送|拜访|见面|通话`)
	internalWork = regexp.MustCompile(`(?i)\b(internal(ly)?|prepar(ed|ing)|drafted|drafting|research(ed)?|crm|approval|legal review|pricing desk|forecast)\b|内部|准备|起草|草拟|审批|调研|法务|预测`)
)

// artifacts are the tangible things a note may name, with their names.
var artifacts = []struct {
	en, zh string
	re     *regexp.Regexp
}{
	{"Proposal", "方案", regexp.MustCompile(`(?i)\bproposals?\b|提案|方案|建议书`)},
	{"Quote", "报价", regexp.MustCompile(`(?i)\b(quotes?|quotation|pricing|price list)\b|报价`)},
	{"Contract", "合同", regexp.MustCompile(`(?i)\b(contracts?|agreement|msa|sow|order form)\b|合同|框架协议|服务协议|采购协议`)},
	{"Demo", "演示", regexp.MustCompile(`(?i)\bdemo(s|ed)?\b|演示`)},
	{"Slides", "演示文稿", regexp.MustCompile(`(?i)\b(deck|slides)\b|幻灯片|ppt`)},
	{"Recap", "纪要", regexp.MustCompile(`(?i)\b(recap|summary|minutes)\b|纪要|总结`)},
	{"Action plan", "行动计划", regexp.MustCompile(`(?i)\b(mutual action plan|action plan|map)\b|行动计划`)},
	{"Case study", "客户案例", regexp.MustCompile(`(?i)\b(case stud(y|ies)|references?)\b|案例`)},
	{"Pilot", "试点", regexp.MustCompile(`(?i)\b(pilot|trial|poc|proof of concept)\b|试点|试用`)},
	{"NDA", "保密协议", regexp.MustCompile(`(?i)\bnda\b|保密协议`)},
	{"Invoice / PO", "发票/采购单", regexp.MustCompile(`(?i)\b(invoice|purchase order|po)\b|发票|采购单`)},
}
