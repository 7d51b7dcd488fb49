package coach

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on what a rep may type (SPEC §13).
const (
	MaxNameLen = 200  // runes in a deal name
	MaxNoteLen = 3000 // runes in a note
)

// stageAliases are the words a rep may use for a stage, as they are suggested
// back. Retention and the follow-up names are the stage after a win: moving
// an open deal there asks whether it was won.
var stageAliases = []struct {
	text  string
	stage Stage
}{
	{"prospecting", Prospecting}, {"prospect", Prospecting}, {"prospects", Prospecting},
	{"lead", Prospecting}, {"leads", Prospecting}, {"lead generation", Prospecting},
	{"勘探", Prospecting}, {"潜在客户开发", Prospecting}, {"潜在客户", Prospecting}, {"客户开发", Prospecting}, {"线索", Prospecting},

	{"contact", Contact}, {"initial contact", Contact}, {"first contact", Contact}, {"contacted", Contact},
	{"intro", Contact}, {"introduction", Contact}, {"outreach", Contact},
	{"初次接触", Contact}, {"首次接触", Contact}, {"初步接触", Contact}, {"接触", Contact},

	{"qualification", Qualification}, {"qual", Qualification}, {"qualify", Qualification},
	{"qualifying", Qualification}, {"qualified", Qualification}, {"discovery", Qualification},
	{"资格审查", Qualification}, {"资质审查", Qualification}, {"资格", Qualification},
	{"商机确认", Qualification}, {"需求确认", Qualification},

	{"presentation", Presentation}, {"present", Presentation}, {"presenting", Presentation},
	{"presentation / demo", Presentation}, {"demo", Presentation}, {"demonstration", Presentation},
	{"pitch", Presentation}, {"proposal", Presentation},
	{"演示", Presentation}, {"推介", Presentation}, {"演示推介", Presentation}, {"演示 / 推介", Presentation}, {"产品演示", Presentation}, {"方案演示", Presentation},

	{"objections", Objections}, {"objection", Objections}, {"objection handling", Objections},
	{"handling objections", Objections},
	{"异议处理", Objections}, {"处理异议", Objections}, {"异议", Objections},

	{"closing", Closing}, {"close", Closing},
	{"完成销售", Closing}, {"成交", Closing}, {"促成交易", Closing}, {"促成签约", Closing},

	{"won", Won}, {"win", Won}, {"closed won", Won},
	{"赢单", Won},
	{"retention", Retention}, {"follow-up", Retention}, {"follow-up & retention", Retention}, {"follow-up and retention", Retention},
	{"跟进和客户保留", Retention}, {"跟进与客户保留", Retention}, {"客户保留", Retention}, {"跟进", Retention},
	{"客户维护", Retention}, {"客户成功", Retention},

	{"lost", Lost}, {"lose", Lost}, {"loss", Lost}, {"closed lost", Lost},
	{"丢单", Lost}, {"输单", Lost},
}

var stageByKey = func() map[string]Stage {
	m := map[string]Stage{}
	for _, a := range stageAliases {
		m[normKey(a.text)] = a.stage
	}
	return m
}()

// stageChoices are the stages a rep can name, as listed in errors.
var stageChoices = []Stage{Prospecting, Contact, Qualification, Presentation, Objections, Closing, Won, Lost}

// normKey folds s for matching names and aliases: lower case, with spaces,
// hyphens and underscores removed.
func normKey(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' || r == '_' {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

func lookupStage(s string) (Stage, bool) {
	st, ok := stageByKey[normKey(s)]
	return st, ok
}

// ParseStage returns the stage s names: its key, its English or Chinese name,
// or an alias (demo, pitch, close, follow-up, qual, …), in any case. Won
// returns Won; retention and the follow-up names return Retention (Move asks
// whether an open deal was won); lost returns Lost. It returns
// an EInvalid error, suggesting the closest name when there is one, for
// anything else.
func ParseStage(s string) (Stage, error) {
	if st, ok := lookupStage(s); ok {
		return st, nil
	}
	t := strings.TrimSpace(s)
	if t == "" {
		return "", Fail(EInvalid, "stage.which", Args{"choices": stageChoicesMsg()})
	}
	texts := make([]string, len(stageAliases))
	for i, a := range stageAliases {
		texts[i] = a.text
	}
	if m := closest(t, texts, normKey); m != "" {
		return "", Fail(EInvalid, "stage.unknown.did_you_mean", Args{"typed": Quoted(t), "stage": m})
	}
	return "", Fail(EInvalid, "stage.unknown", Args{"typed": Quoted(t), "choices": stageChoicesMsg()})
}

// stageChoicesMsg lists the stages one may type: their keys, and in Chinese
// their names beside them.
func stageChoicesMsg() Message {
	keys := make([]string, len(stageChoices))
	named := make([]string, len(stageChoices))
	for i, s := range stageChoices {
		keys[i] = string(s)
		named[i] = string(s) + "（" + s.Name(ZH) + "）"
	}
	return Msg("stage.choices", Args{"stages": Both(strings.Join(keys, ", "), strings.Join(named, "、"))})
}

// SplitTrailingStage looks for a stage name in the last three, two or one of
// words, longest first. It returns the words before it and the stage, or words
// unchanged and false when they do not end with a stage.
func SplitTrailingStage(words []string) (rest []string, stage Stage, ok bool) {
	for k := min(3, len(words)); k >= 1; k-- {
		if st, found := lookupStage(strings.Join(words[len(words)-k:], " ")); found {
			return words[:len(words)-k], st, true
		}
	}
	return words, "", false
}

// reasonAliases are the words a rep may use for a lost reason.
var reasonAliases = []struct {
	text   string
	reason LostReason
}{
	{"price", ReasonPrice}, {"pricing", ReasonPrice}, {"pricey", ReasonPrice}, {"budget", ReasonPrice},
	{"no budget", ReasonPrice}, {"expensive", ReasonPrice}, {"too expensive", ReasonPrice}, {"cost", ReasonPrice},
	{"价格", ReasonPrice}, {"太贵", ReasonPrice}, {"预算", ReasonPrice}, {"价钱", ReasonPrice},

	{"timing", ReasonTiming}, {"time", ReasonTiming}, {"later", ReasonTiming}, {"not now", ReasonTiming},
	{"bad timing", ReasonTiming}, {"too early", ReasonTiming},
	{"时机", ReasonTiming}, {"时间", ReasonTiming}, {"以后再说", ReasonTiming}, {"暂缓", ReasonTiming},

	{"authority", ReasonAuthority}, {"no authority", ReasonAuthority}, {"decision maker", ReasonAuthority},
	{"决策权", ReasonAuthority}, {"决策人", ReasonAuthority}, {"权限", ReasonAuthority},

	{"need", ReasonNeed}, {"no need", ReasonNeed}, {"fit", ReasonNeed}, {"no fit", ReasonNeed}, {"not a fit", ReasonNeed},
	{"需求", ReasonNeed}, {"不需要", ReasonNeed}, {"没有需求", ReasonNeed}, {"无需求", ReasonNeed},

	{"trust", ReasonTrust}, {"risk", ReasonTrust}, {"risky", ReasonTrust}, {"trust / risk", ReasonTrust},
	{"信任", ReasonTrust}, {"不信任", ReasonTrust}, {"风险", ReasonTrust}, {"信任与风险", ReasonTrust},

	{"no-decision", ReasonNoDecision}, {"no decision", ReasonNoDecision}, {"indecision", ReasonNoDecision},
	{"undecided", ReasonNoDecision}, {"stalled", ReasonNoDecision},
	{"无决定", ReasonNoDecision}, {"没有决定", ReasonNoDecision}, {"未决定", ReasonNoDecision},
	{"迟迟不决", ReasonNoDecision}, {"犹豫不决", ReasonNoDecision},

	{"competitor", ReasonCompetitor}, {"competitors", ReasonCompetitor}, {"competition", ReasonCompetitor},
	{"竞争对手", ReasonCompetitor}, {"竞品", ReasonCompetitor},

	{"other", ReasonOther}, {"others", ReasonOther}, {"其他", ReasonOther}, {"其它", ReasonOther},
}

var reasonByKey = func() map[string]LostReason {
	m := map[string]LostReason{}
	for _, a := range reasonAliases {
		m[normKey(a.text)] = a.reason
	}
	return m
}()

// cjkReasons are the Chinese reason aliases, longest first, for text typed
// without a space after the reason.
var cjkReasons = func() []string {
	var out []string
	for _, a := range reasonAliases {
		if !isASCIIText(a.text) {
			out = append(out, a.text)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}()

// reasonPunct may separate a reason from its free text ("price: too high").
const reasonPunct = ":,;.-–—：，；。、"

// ParseLostReason reads a lost reason code or alias (price, budget, timing,
// no decision, 价格, 竞争对手, …) from the start of text and returns it with
// the free text after it, trimmed. When text starts with no known reason it
// returns ReasonOther and the whole text. Chinese typed straight on after the
// reason ("太贵了") is kept whole as the free text, so no meaning is lost.
func ParseLostReason(text string) (LostReason, string) {
	t := strings.TrimSpace(text)
	spans := wordSpans(t)
	for k := min(3, len(spans)); k >= 1; k-- {
		end := spans[k-1].end
		if r, ok := reasonByKey[normKey(strings.TrimRight(t[:end], reasonPunct))]; ok {
			return r, trimReasonText(t[end:])
		}
	}
	for _, a := range cjkReasons {
		after, ok := strings.CutPrefix(t, a)
		if !ok {
			continue
		}
		r := reasonByKey[normKey(a)]
		if c, _ := utf8.DecodeRuneInString(after); after == "" || unicode.IsSpace(c) || strings.ContainsRune(reasonPunct, c) {
			return r, trimReasonText(after)
		}
		return r, t
	}
	return ReasonOther, t
}

func trimReasonText(s string) string {
	return strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(s), reasonPunct))
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "sun": time.Sunday, "monday": time.Monday, "mon": time.Monday,
	"tuesday": time.Tuesday, "tue": time.Tuesday, "tues": time.Tuesday,
	"wednesday": time.Wednesday, "wed": time.Wednesday,
	"thursday": time.Thursday, "thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday,
	"friday": time.Friday, "fri": time.Friday, "saturday": time.Saturday, "sat": time.Saturday,
}

// chineseWeekdays are the day characters after 周, 星期 or 礼拜.
var chineseWeekdays = map[string]time.Weekday{
	"一": time.Monday, "二": time.Tuesday, "三": time.Wednesday, "四": time.Thursday,
	"五": time.Friday, "六": time.Saturday, "日": time.Sunday, "天": time.Sunday,
}

// dateUnits are the units of a relative date, in days.
var dateUnits = map[string]int{
	"d": 1, "day": 1, "days": 1, "天": 1, "日": 1,
	"w": 7, "wk": 7, "wks": 7, "week": 7, "weeks": 7, "周": 7, "星期": 7, "个星期": 7,
}

// maxDateDays bounds a relative date: ten years ahead.
const maxDateDays = 3660

// ParseDate returns the day s names, at midnight in now's location:
// 2026-03-01; 3d or 2w (that many days or weeks after today); today or
// tomorrow; or a weekday (friday, fri, 周五, 星期五), meaning the next such
// day strictly after today. It returns an EInvalid error naming the accepted
// forms for anything else.
func ParseDate(s string, now time.Time) (time.Time, error) {
	t := strings.ToLower(strings.Join(strings.Fields(s), " "))
	day := func(n int) time.Time {
		y, m, d := now.Date()
		return time.Date(y, m, d+n, 0, 0, 0, 0, now.Location())
	}
	switch t {
	case "today", "今天":
		return day(0), nil
	case "tomorrow", "tmr", "tmrw", "明天":
		return day(1), nil
	case "后天":
		return day(2), nil
	}
	if wd, ok := parseWeekday(strings.TrimPrefix(t, "next ")); ok {
		n := (int(wd)-int(now.Weekday())+6)%7 + 1
		return day(n), nil
	}
	if i := strings.IndexFunc(t, func(r rune) bool { return r < '0' || r > '9' }); i > 0 {
		if unit, ok := dateUnits[strings.TrimSpace(t[i:])]; ok {
			n, err := strconv.Atoi(t[:i])
			if err != nil || n > maxDateDays/unit {
				return time.Time{}, Fail(EInvalid, "date.too_far", Args{"typed": Quoted(s)})
			}
			return day(n * unit), nil
		}
	}
	if d, err := time.ParseInLocation("2006-1-2", t, now.Location()); err == nil {
		return d, nil
	}
	return time.Time{}, Fail(EInvalid, "date.unreadable", Args{"typed": Quoted(s)})
}

func parseWeekday(t string) (time.Weekday, bool) {
	if wd, ok := weekdays[t]; ok {
		return wd, true
	}
	for _, p := range []string{"星期", "礼拜", "周"} {
		if rest, ok := strings.CutPrefix(t, p); ok {
			wd, ok := chineseWeekdays[rest]
			return wd, ok
		}
	}
	return 0, false
}

// DealRef is the parsed start of a command's arguments.
type DealRef struct {
	Number int      // > 0 when the reference is #12 or 12
	Phrase string   // the quoted phrase, when quoted
	Words  []string // the unquoted words of the line (the reference is some leading run of them)
	Rest   string   // for Number/Phrase refs: the rest of the line, trimmed

	line string // the line the words come from, so a name match keeps the rest as typed
	ends []int  // where each word ends in line
}

var errWhichDeal = Fail(EInvalid, "deal.which", nil)

// ParseDealRef splits the arguments of a command that starts with a deal: a
// number (#12 or 12), a quoted phrase ("…", '…', “…”, ‘…’, 「…」), or plain
// words to be matched against names by ResolveDeal. It returns an EInvalid
// error when args is empty or a quote is not closed.
func ParseDealRef(args string) (DealRef, error) {
	t := strings.TrimSpace(args)
	if t == "" {
		return DealRef{}, errWhichDeal
	}
	if inner, rest, quoted, err := cutQuoted(t); quoted {
		if err != nil {
			return DealRef{}, err
		}
		phrase := strings.Join(strings.Fields(inner), " ")
		if phrase == "" {
			return DealRef{}, errWhichDeal
		}
		return DealRef{Phrase: phrase, Rest: rest}, nil
	}
	r := DealRef{line: t}
	for _, sp := range wordSpans(t) {
		r.Words = append(r.Words, t[sp.start:sp.end])
		r.ends = append(r.ends, sp.end)
	}
	if n, ok := dealNumber(r.Words[0]); ok {
		r.Number, r.Rest = n, strings.TrimSpace(t[r.ends[0]:])
	}
	return r, nil
}

// dealNumber reads #12 or 12.
func dealNumber(w string) (int, bool) {
	d := strings.TrimPrefix(w, "#")
	if d == "" || len(d) > 9 || strings.TrimLeft(d, "0123456789") != "" {
		return 0, false
	}
	n, _ := strconv.Atoi(d)
	return n, n > 0
}

// Search returns the text a store should look for to load candidate deals:
// the phrase, or the first word (without trailing punctuation). For a number
// reference it is the digits: the store should load the deal numbered
// r.Number as well as the deals whose names contain them, since a bare 2026
// may also start a name.
func (r DealRef) Search() string {
	if r.Phrase != "" {
		return r.Phrase
	}
	if len(r.Words) == 0 {
		return ""
	}
	w := r.Words[0]
	if r.Number > 0 {
		return strings.TrimPrefix(w, "#")
	}
	if t := strings.TrimRight(w, refPunct); t != "" {
		return t
	}
	return w
}

// refPunct may end the word before the argument ("acme: price").
const refPunct = ",:;，：；"

// DealName is what ResolveDeal needs to know of a candidate deal.
type DealName struct {
	ID     int64
	Number int
	Name   string
}

// ResolveDeal picks the deal the reference means among candidates (deals the
// caller may see whose name contains r.Search(), case-insensitively, plus the
// deal numbered r.Number) and returns it with the rest of the line. A number
// picks that deal; a bare number that no deal has is tried as a name. A phrase
// or the longest run of leading words that matches picks the deal whose name
// contains it, an exact name beating a part. It returns an ENotFound error
// when nothing matches and an EAmbiguous error listing the candidates when
// several do.
func ResolveDeal(r DealRef, candidates []DealName) (DealName, string, error) {
	names := make([]string, len(candidates))
	longest := 0
	for i, c := range candidates {
		names[i] = foldName(c.Name)
		longest = max(longest, len(names[i]))
	}
	if r.Phrase != "" {
		if d, ok, err := pick(foldName(r.Phrase), r.Phrase, candidates, names); ok || err != nil {
			return d, r.Rest, err
		}
		return DealName{}, "", notFound(r.Phrase)
	}
	if r.Number > 0 {
		for _, c := range candidates {
			if c.Number == r.Number {
				return c, r.Rest, nil
			}
		}
		if len(r.Words) == 0 || strings.HasPrefix(r.Words[0], "#") {
			return DealName{}, "", notFoundNumber(r.Number)
		}
		// A bare number that no deal has is a name only where a name has it
		// as a whole word ("Initech 2026" for 2026, "7-Eleven" for 7):
		// /deal move 20 demo must not move "Initech 2026" when #20 is gone.
		var named []DealName
		var namedFolded []string
		for i, c := range candidates {
			if hasWord(names[i], r.Words[0]) {
				named, namedFolded = append(named, c), append(namedFolded, names[i])
			}
		}
		if len(named) == 0 {
			return DealName{}, "", notFoundNumber(r.Number)
		}
		candidates, names = named, namedFolded
	}
	if len(r.Words) == 0 {
		return DealName{}, "", errWhichDeal
	}
	typedLen := len(r.Words) - 1
	for _, w := range r.Words {
		typedLen += len(w)
	}
	for k := len(r.Words); k >= 1; k-- {
		if k < len(r.Words) {
			typedLen -= len(r.Words[k]) + 1
		}
		// Lower-casing changes a character's length at most threefold, so a
		// run this long cannot be part of any name.
		if typedLen > 3*longest+3 {
			continue
		}
		typed := strings.Join(r.Words[:k], " ")
		phrase := foldName(typed)
		for i, p := range []string{phrase, strings.TrimRight(phrase, refPunct)} {
			if p == "" || len(p) > longest || (i > 0 && p == phrase) {
				continue
			}
			if d, ok, err := pick(p, typed, candidates, names); ok || err != nil {
				return d, r.restAfter(k), err
			}
		}
	}
	if r.Number > 0 {
		return DealName{}, "", notFoundNumber(r.Number)
	}
	return DealName{}, "", notFound(r.Search())
}

// pick chooses among the candidates whose folded name (in names) contains p:
// the only one, or the only exact match. ok is false when none contains p;
// err is an EAmbiguous error when several do.
func pick(p, typed string, candidates []DealName, names []string) (d DealName, ok bool, err error) {
	var part, exact []DealName
	for i, c := range candidates {
		if strings.Contains(names[i], p) {
			part = append(part, c)
			if names[i] == p {
				exact = append(exact, c)
			}
		}
	}
	switch {
	case len(part) == 0:
		return DealName{}, false, nil
	case len(part) == 1:
		return part[0], true, nil
	case len(exact) == 1:
		return exact[0], true, nil
	case len(exact) > 1:
		part = exact
	}
	return DealName{}, true, ambiguous(typed, part)
}

// restAfter returns the line after the first k words, as typed.
func (r DealRef) restAfter(k int) string {
	if len(r.ends) == len(r.Words) && r.ends[k-1] <= len(r.line) {
		return strings.TrimSpace(r.line[r.ends[k-1]:])
	}
	return strings.Join(r.Words[k:], " ")
}

// foldName prepares a name for matching: lower case, whitespace collapsed.
func foldName(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// SameName reports whether two deal names are one but for case and spacing,
// as references to deals read them.
func SameName(a, b string) bool { return foldName(a) == foldName(b) }

// hasWord reports whether name holds word with no letter or digit either
// side of it.
func hasWord(name, word string) bool {
	for i := 0; word != ""; {
		j := strings.Index(name[i:], word)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(word)
		before, _ := utf8.DecodeLastRuneInString(name[:start])
		after, _ := utf8.DecodeRuneInString(name[end:])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		i = start + 1
	}
	return false
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func notFound(typed string) error {
	return Fail(ENotFound, "deal.no_match", Args{"typed": Quoted(typed)})
}

func notFoundNumber(n int) error {
	return Fail(ENotFound, "deal.no_number", Args{"n": n})
}

// maxListed is how many candidates an ambiguous reference lists.
const maxListed = 5

func ambiguous(typed string, deals []DealName) error {
	deals = slices.Clone(deals)
	slices.SortStableFunc(deals, func(a, b DealName) int { return a.Number - b.Number })
	var names []string
	for _, d := range deals[:min(len(deals), maxListed)] {
		names = append(names, "#"+strconv.Itoa(d.Number)+" "+shorten(oneLine(d.Name), 60))
	}
	args := Args{"typed": Quoted(typed), "count": len(deals), "names": Joined(names), "first": deals[0].Number}
	if n := len(deals) - maxListed; n > 0 {
		args["more"] = n
		return Fail(EAmbiguous, "deal.ambiguous.more", args)
	}
	return Fail(EAmbiguous, "deal.ambiguous", args)
}

// AddArgs are the arguments of /deal add.
type AddArgs struct {
	Name      string
	Amount    Money
	HasAmount bool
	Stage     Stage // "" when not given
}

var errAddUsage = Fail(EInvalid, "add.usage", nil)

// ParseAddArgs reads the arguments of /deal add: a name, then optionally an
// amount and a stage. A quoted name is taken as it is and an amount and a
// stage may follow it in either order; otherwise one trailing stage and then
// one trailing amount are taken off the end, as long as a name is left. It
// returns an EInvalid error for a missing or bad name, a bad amount, words
// it cannot place after a quoted name, or a stage of won or lost.
func ParseAddArgs(args, defaultCurrency string) (AddArgs, error) {
	var a AddArgs
	t := strings.TrimSpace(args)
	if t == "" {
		return a, errAddUsage
	}
	takeAmount := func(words []string, n int) ([]string, error) {
		m, err := ParseAmount(strings.Join(words[len(words)-n:], " "), defaultCurrency)
		a.Amount, a.HasAmount = m, err == nil
		return words[:len(words)-n], err
	}
	var stageWords string
	inner, rest, quoted, err := cutQuoted(t)
	if err != nil {
		return AddArgs{}, err
	}
	if quoted {
		words := strings.Fields(rest)
		for len(words) > 0 {
			if r, st, ok := SplitTrailingStage(words); ok && a.Stage == "" {
				a.Stage, stageWords, words = st, strings.Join(words[len(r):], " "), r
			} else if n := amountTail(words); n > 0 && !a.HasAmount {
				if words, err = takeAmount(words, n); err != nil {
					return AddArgs{}, err
				}
			} else {
				return AddArgs{}, Fail(EInvalid, "add.after_quote", Args{"typed": Quoted(strings.Join(words, " "))})
			}
		}
	} else {
		words := strings.Fields(t)
		if r, st, ok := SplitTrailingStage(words); ok && len(r) > 0 {
			a.Stage, stageWords, words = st, strings.Join(words[len(r):], " "), r
		}
		if n := len(words); n > 1 && LooksScientific(words[n-1]) {
			return AddArgs{}, errScientific(words[n-1])
		}
		if n := len(words); n >= 2 && spacedThousands(words[n-2], words[n-1]) {
			return AddArgs{}, Fail(EInvalid, "amount.spaced", Args{"typed": Quoted(words[n-2] + " " + words[n-1]), "forms": amountForms})
		}
		if n := amountTail(words); n > 0 && n < len(words) {
			if words, err = takeAmount(words, n); err != nil {
				return AddArgs{}, err
			}
		}
		inner = strings.Join(words, " ")
	}
	if a.Stage == Retention {
		a.Stage = Won
	}
	if a.Stage == Won || a.Stage == Lost {
		args := Args{"stage": Both(string(a.Stage), a.Stage.Name(ZH)), "command": Command("deal " + string(a.Stage))}
		if quoted {
			return AddArgs{}, Fail(EInvalid, "add.closed", args)
		}
		args["typed"] = Quoted(stageWords)
		return AddArgs{}, Fail(EInvalid, "add.closed.quote", args)
	}
	if a.Name, err = CheckName(inner); err != nil {
		return AddArgs{}, err
	}
	return a, nil
}

// amountTail returns how many of the last words form an amount: 2 for
// "12000 EUR" or "EUR 12000", 1 for "$12,000", 0 when they do not end with one.
// A currency code before the number must be in capitals, so a name ending in
// "Top" keeps it.
// spacedThousands reports whether "a b" reads as one amount written with a
// space between its thousands, as in "12 000" or "$1 500": a number of one
// to three digits (a currency symbol before it allowed) and then exactly
// three digits. Taken apart, the name would keep "12" and the amount be 0.
func spacedThousands(a, b string) bool {
	if len(b) != 3 || strings.Trim(b, "0123456789") != "" {
		return false
	}
	if r, n := utf8.DecodeRuneInString(a); n < len(a) {
		if _, ok := currencySymbols[r]; ok {
			a = a[n:]
		}
	}
	return len(a) >= 1 && len(a) <= 3 && strings.Trim(a, "0123456789") == ""
}

func amountTail(words []string) int {
	n := len(words)
	if n == 0 {
		return 0
	}
	last := words[n-1]
	if n >= 2 && isCurrencyToken(last, false) && LooksLikeAmount(words[n-2]) {
		return 2
	}
	if p, ok := scanAmount(last); ok {
		if n >= 2 && len(p.currencies) == 0 && p.unknown == "" && isCurrencyToken(words[n-2], true) {
			return 2
		}
		return 1
	}
	return 0
}

// isCurrencyToken reports whether w alone names a currency: a symbol or an
// ISO code (in capitals when upper is set).
func isCurrencyToken(w string, upper bool) bool {
	if r, n := utf8.DecodeRuneInString(w); n == len(w) && n > 0 {
		_, ok := currencySymbols[r]
		return ok
	}
	_, ok := currencyWord(w)
	return ok && (!upper || w == strings.ToUpper(w))
}

// CheckName returns s as a deal name: links replaced by their labels
// (LinkLabels), trimmed, inner whitespace collapsed to single spaces. It returns an EInvalid error when the name is empty, longer
// than MaxNameLen characters, or holds control characters.
func CheckName(s string) (string, error) {
	name := strings.Join(strings.Fields(LinkLabels(s)), " ")
	if name == "" {
		return "", Fail(EInvalid, "name.empty", nil)
	}
	if !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return "", Fail(EInvalid, "name.control", nil)
	}
	if r, bad := spoofing(name); bad {
		return "", Fail(EInvalid, "name.spoofing", Args{"char": fmt.Sprintf("U+%04X", r)})
	}
	if n := utf8.RuneCountInString(name); n > MaxNameLen {
		return "", Fail(EInvalid, "name.too_long", Args{"max": MaxNameLen, "n": n})
	}
	return name, nil
}

// spoofing returns the first character of s that could make a name look
// like another: a bidirectional embedding, override or isolate (U+202A–U+202E,
// U+2066–U+2069), or a zero-width character (U+200B–U+200D, U+2060, U+FEFF).
// A zero-width joiner between two emoji joins them into one (👩‍💻) and is
// kept.
func spoofing(s string) (rune, bool) {
	runes := []rune(s)
	for i, r := range runes {
		switch {
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200B, r == 0x200C, r == 0x2060, r == 0xFEFF:
			return r, true
		case r == 0x200D:
			if i == 0 || i == len(runes)-1 || !emojiPart(runes[i-1]) || !unicode.Is(unicode.So, runes[i+1]) {
				return r, true
			}
		}
	}
	return 0, false
}

// emojiPart reports whether r can end an emoji that a zero-width joiner
// continues: a symbol, a skin-tone modifier or the emoji presentation
// selector.
func emojiPart(r rune) bool {
	return unicode.Is(unicode.So, r) || r >= 0x1F3FB && r <= 0x1F3FF || r == 0xFE0F
}

// CheckNote returns s as a note: links in their stored form (StoredLinks),
// trimmed, with line breaks kept (\r\n becomes \n). It returns an EInvalid
// error when the note is empty, longer than MaxNoteLen characters, or holds
// control characters other than newline and tab.
func CheckNote(s string) (string, error) {
	note := strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(StoredLinks(s), "\r\n", "\n"), "\r", "\n"))
	if note == "" {
		return "", Fail(EInvalid, "note.empty", nil)
	}
	if !utf8.ValidString(note) || strings.IndexFunc(note, func(r rune) bool {
		return unicode.IsControl(r) && r != '\n' && r != '\t'
	}) >= 0 {
		return "", Fail(EInvalid, "note.control", nil)
	}
	if n := utf8.RuneCountInString(note); n > MaxNoteLen {
		return "", Fail(EInvalid, "note.too_long", Args{"n": n})
	}
	return note, nil
}

// SuggestClosest returns the option closest to word by edit distance, ignoring
// case, or "" when none is close enough to be a likely typo (at most two
// edits, and at most one edit per three characters of the option).
func SuggestClosest(word string, options []string) string {
	return closest(word, options, strings.ToLower)
}

func closest(word string, options []string, key func(string) string) string {
	w := []rune(key(word))
	if len(w) == 0 || len(w) > 64 {
		return ""
	}
	best, bestD := "", 3
	for _, o := range options {
		k := []rune(key(o))
		if len(k)-len(w) > 2 || len(w)-len(k) > 2 {
			continue
		}
		if d := editDistance(w, k); d < bestD && 3*d <= len(k) {
			best, bestD = o, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b:
// the insertions, deletions, substitutions and swaps of neighbours that turn
// one into the other.
func editDistance(a, b []rune) int {
	prev2, prev, cur := make([]int, len(b)+1), make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// quotePairs maps an opening quote to the quotes that may close it. Slack
// clients turn straight quotes into curly ones, not always in matching pairs.
var quotePairs = map[rune]string{
	'"': `"”“`, '“': `”"“`, '”': `”"`, '„': `“”"`,
	'\'': `'’`, '‘': `’'`, '’': `’'`,
	'「': "」", '『': "』", '«': "»",
}

// cutQuoted splits a line that starts with a quote into the quoted text and
// the rest, trimmed. quoted is false when the line does not start with a
// quote, or starts with a single quote that no other closes (an apostrophe).
// err is set when a double quote or bracket is not closed.
func cutQuoted(t string) (inner, rest string, quoted bool, err error) {
	open, n := utf8.DecodeRuneInString(t)
	closers, ok := quotePairs[open]
	if !ok {
		return "", "", false, nil
	}
	single := strings.ContainsRune(`'‘’`, open)
	for i, r := range t[n:] {
		if !strings.ContainsRune(closers, r) {
			continue
		}
		after := t[n+i+utf8.RuneLen(r):]
		if single {
			// an apostrophe inside the name ("'O'Brien Ltd' 5k") does not close it
			if c, _ := utf8.DecodeRuneInString(after); after != "" && !unicode.IsSpace(c) {
				continue
			}
		}
		return t[n : n+i], strings.TrimSpace(after), true, nil
	}
	if single {
		return "", "", false, nil
	}
	return "", "", true, Fail(EInvalid, "quote.open", Args{"typed": Quoted(t)})
}

type wordSpan struct{ start, end int }

// wordSpans returns where each whitespace-separated word of s starts and ends.
func wordSpans(s string) []wordSpan {
	var out []wordSpan
	start := -1
	for i, r := range s {
		if unicode.IsSpace(r) {
			if start >= 0 {
				out = append(out, wordSpan{start, i})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, wordSpan{start, len(s)})
	}
	return out
}

// quoteInput returns what a user typed, shortened and on one line, in
// straight quotes for an English message.
func quoteInput(s string) string { return `"` + shorten(oneLine(s), 40) + `"` }

// quoteInputZH is quoteInput in Chinese quotes.
func quoteInputZH(s string) string { return "“" + shorten(oneLine(s), 40) + "”" }

func oneLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
}

// shorten shortens s to n characters, marking the cut with an ellipsis.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func isASCIIText(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// DidYouMean returns err, a reference ResolveDeal found nothing for, with the
// deal among names (the caller's deals) whose name is closest to what r typed
// when it is close enough to be a typo ("globx" for Globex, "initeck" for
// Initech): "… Did you mean #12 Globex?". It returns err unchanged when no
// name is close, several are equally close, or err is not ENotFound.
func DidYouMean(err error, r DealRef, names []DealName) error {
	if ErrorCode(err) != ENotFound || r.Number > 0 && r.Phrase == "" && len(r.Words) > 0 && strings.HasPrefix(r.Words[0], "#") {
		return err
	}
	words := r.Words
	if r.Phrase != "" {
		words = strings.Fields(r.Phrase)
	}
	best, bestD, tie := DealName{}, 3, false
	for k := min(len(words), 6); k >= 1; k-- {
		typed := []rune(foldName(strings.Join(words[:k], " ")))
		if len(typed) < 3 {
			continue
		}
		for _, n := range names {
			nw := strings.Fields(foldName(n.Name))
			if len(nw) < k {
				continue
			}
			cand := []rune(strings.Join(nw[:k], " "))
			if len(cand)-len(typed) > 2 || len(typed)-len(cand) > 2 {
				continue
			}
			d := editDistance(typed, cand)
			if d == 0 || 3*d > len(cand) {
				continue
			}
			switch {
			case d < bestD:
				best, bestD, tie = n, d, false
			case d == bestD && n.ID != best.ID && foldName(n.Name) != foldName(best.Name):
				tie = true
			}
		}
		if best.ID != 0 {
			break // the longest run that comes close wins
		}
	}
	if best.ID == 0 || tie {
		return err
	}
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	title := "#" + strconv.Itoa(best.Number) + " " + shorten(oneLine(best.Name), 60)
	switch e.Key {
	case "deal.no_match":
		return Fail(ENotFound, "deal.no_match.did_you_mean", Args{"typed": e.Args["typed"], "title": title})
	case "deal.no_number":
		return Fail(ENotFound, "deal.no_number.did_you_mean", Args{"n": e.Args["n"], "title": title})
	}
	return Fail(ENotFound, "did_you_mean", Args{"error": e, "title": title})
}
