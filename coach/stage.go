// Package coach is the domain of Sales Coach: the stages of the sales process,
// Kotler's 5A, deals and their event log, playbooks, the parsing of what a rep
// types, and the rules that pick the next step. It does no I/O; time is passed in.
package coach

import "strings"

// Stage is a step of the sales process, or an outcome (Won, Lost) when it names
// a stage entry in the event log.
type Stage string

// The process, in order.
const (
	Prospecting   Stage = "prospecting"
	Contact       Stage = "contact"
	Qualification Stage = "qualification"
	Presentation  Stage = "presentation"
	Objections    Stage = "objections"
	Closing       Stage = "closing"
	Retention     Stage = "retention"
)

// Outcomes, recorded as stage entries in the event log.
const (
	Won  Stage = "won"
	Lost Stage = "lost"
)

// OpenStages are the stages a deal can be in before it is won or lost, in
// process order.
var OpenStages = []Stage{Prospecting, Contact, Qualification, Presentation, Objections, Closing}

// ProcessStages are the seven stages of the process, retention last.
var ProcessStages = []Stage{Prospecting, Contact, Qualification, Presentation, Objections, Closing, Retention}

// Index returns the stage's position in the process (prospecting is 0,
// retention 6), or -1 for an outcome or an unknown stage.
func (s Stage) Index() int {
	for i, p := range ProcessStages {
		if p == s {
			return i
		}
	}
	return -1
}

// IsOpen reports whether s is one of the open stages (prospecting…closing).
func (s Stage) IsOpen() bool {
	i := s.Index()
	return i >= 0 && i < len(OpenStages)
}

// IsEntry reports whether s may be recorded as a stage entry: an open stage,
// won or lost.
func (s Stage) IsEntry() bool { return s.IsOpen() || s == Won || s == Lost }

// Next returns the open stage after s, or "" when s is closing or not open.
func (s Stage) Next() Stage {
	i := s.Index()
	if i < 0 || i+1 >= len(OpenStages) {
		return ""
	}
	return OpenStages[i+1]
}

// stageNames are the stages' names in replies, help and pictures. The
// Chinese are the names a Chinese sales team uses (商机确认 rather than the
// seed's 资格审查, which reads as an eligibility audit; 成交 for closing); the
// seed's names stay accepted as input (see stageAliases).
var stageNames = map[Stage][2]string{
	Prospecting:   {"Prospecting", "潜在客户开发"},
	Contact:       {"Initial contact", "初次接触"},
	Qualification: {"Qualification", "商机确认"},
	Presentation:  {"Presentation", "方案演示"},
	Objections:    {"Objection handling", "异议处理"},
	Closing:       {"Closing", "成交"},
	Retention:     {"Follow-up & retention", "客户维护"},
	Won:           {"Won", "赢单"},
	Lost:          {"Lost", "丢单"},
}

// Name returns the stage's display name in lang; an unknown stage is returned
// as it is.
func (s Stage) Name(lang Lang) string {
	n, ok := stageNames[s]
	if !ok {
		return string(s)
	}
	if lang == ZH {
		return n[1]
	}
	return n[0]
}

// FiveA is one of Kotler's five A's of the customer journey.
type FiveA string

// Kotler's 5A.
const (
	Aware    FiveA = "aware"
	Appeal   FiveA = "appeal"
	Ask      FiveA = "ask"
	Act      FiveA = "act"
	Advocate FiveA = "advocate"
)

// A returns the 5A phase the buyer is in while a deal sits in stage s.
func (s Stage) A() FiveA {
	switch s {
	case Prospecting:
		return Aware
	case Contact:
		return Appeal
	case Qualification, Presentation, Objections:
		return Ask
	case Closing:
		return Act
	case Retention, Won:
		return Advocate
	}
	return ""
}

var fiveANames = map[FiveA][4]string{
	Aware:    {"Aware", "认知", `"I know you"`, "“我知道你”"},
	Appeal:   {"Appeal", "吸引", `"I like you"`, "“我喜欢你”"},
	Ask:      {"Ask", "询问", `"I'm convinced"`, "“我被说服了”"},
	Act:      {"Act", "行动", `"I'm buying"`, "“我要买”"},
	Advocate: {"Advocate", "倡导", `"I recommend you"`, "“我推荐你”"},
}

// Name returns the phase's name in lang.
func (a FiveA) Name(lang Lang) string {
	if lang == ZH {
		return fiveANames[a][1]
	}
	return fiveANames[a][0]
}

// BuyerState returns what the buyer thinks in this phase, in lang.
func (a FiveA) BuyerState(lang Lang) string {
	if lang == ZH {
		return fiveANames[a][3]
	}
	return fiveANames[a][2]
}

// Lang is the language of a reply.
type Lang string

// The languages Sales Coach speaks.
const (
	EN Lang = "en"
	ZH Lang = "zh"
)

// LangFromLocale returns ZH for a Chinese Slack locale ("zh-CN", "zh-TW") and
// EN for anything else.
func LangFromLocale(locale string) Lang {
	if strings.HasPrefix(strings.ToLower(locale), "zh") {
		return ZH
	}
	return EN
}

// T returns en or zh, whichever lang asks for.
func (l Lang) T(en, zh string) string {
	if l == ZH {
		return zh
	}
	return en
}

// LostReason is why a deal was lost.
type LostReason string

// The lost reason codes.
const (
	ReasonPrice      LostReason = "price"
	ReasonTiming     LostReason = "timing"
	ReasonAuthority  LostReason = "authority"
	ReasonNeed       LostReason = "need"
	ReasonTrust      LostReason = "trust"
	ReasonNoDecision LostReason = "no-decision"
	ReasonCompetitor LostReason = "competitor"
	ReasonOther      LostReason = "other"
)

// LostReasons lists every reason code.
var LostReasons = []LostReason{ReasonPrice, ReasonTiming, ReasonAuthority, ReasonNeed, ReasonTrust, ReasonNoDecision, ReasonCompetitor, ReasonOther}

var reasonNames = map[LostReason][2]string{
	ReasonPrice:      {"price", "价格"},
	ReasonTiming:     {"timing", "时机"},
	ReasonAuthority:  {"authority", "决策权"},
	ReasonNeed:       {"need", "需求"},
	ReasonTrust:      {"trust / risk", "信任与风险"},
	ReasonNoDecision: {"no decision", "迟迟不决"},
	ReasonCompetitor: {"competitor", "竞争对手"},
	ReasonOther:      {"other", "其他"},
}

// Name returns the reason's display name in lang.
func (r LostReason) Name(lang Lang) string {
	n, ok := reasonNames[r]
	if !ok {
		return string(r)
	}
	if lang == ZH {
		return n[1]
	}
	return n[0]
}
