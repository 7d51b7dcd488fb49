package coach

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"
	"unicode/utf8"
)

// genericPhrases is advice too vague to act on (SPEC §10): no playbook text
// may contain one, in either language, whatever its case.
var genericPhrases = []string{
	"follow up with the customer",
	"just follow up",
	"build rapport",
	"build a relationship",
	"build relationships",
	"be persistent",
	"stay positive",
	"listen to the customer",
	"add value",
	"provide value",
	"think outside the box",
	"touch base",
	"keep in touch",
	"circle back",
	"check in with",
	"stay top of mind",
	"be confident",
	"be proactive",
	"know your product",
	"go the extra mile",
	"exceed expectations",
	"win-win",
	"与客户保持联系",
	"保持联系",
	"跟进客户",
	"保持跟进",
	"建立融洽关系",
	"保持积极",
	"坚持不懈",
	"倾听客户",
	"提供价值",
	"创造价值",
	"加强沟通",
	"跳出框框",
	"熟悉产品",
	"保持自信",
}

// minActionRunes is the shortest English tactic, next step, 5A tactic or
// objection answer that can still name a concrete action.
const minActionRunes = 40

// minActionRunesZH is the same bar for Chinese, which says as much in about
// half the characters.
const minActionRunesZH = 20

// playbookText is one text of a playbook, named by its path in the YAML file.
type playbookText struct {
	field  string
	text   Text
	action bool // a tactic, next step, 5A tactic or objection answer
}

func playbookTexts(p *Playbook) []playbookText {
	texts := []playbookText{
		{"goal", p.Goal, false},
		{"next_step", p.NextStep, true},
		{"five_a", p.FiveA, true},
	}
	for i, c := range p.ExitCriteria {
		texts = append(texts, playbookText{fmt.Sprintf("exit_criteria[%d]", i), c.Text, false})
		if c.Step != (Text{}) {
			texts = append(texts, playbookText{fmt.Sprintf("exit_criteria[%d].step", i), c.Step, true})
		}
	}
	if p.BeforeStep != (Text{}) {
		texts = append(texts, playbookText{"before_step", p.BeforeStep, true})
	}
	for i, t := range p.Habits {
		texts = append(texts, playbookText{fmt.Sprintf("habits[%d]", i), t, true})
	}
	for i, t := range p.Tactics {
		texts = append(texts, playbookText{fmt.Sprintf("tactics[%d]", i), t, true})
	}
	for _, o := range ObjectionTypes {
		if t, ok := p.Objections[o]; ok {
			texts = append(texts, playbookText{"objections." + string(o), t, true})
		}
	}
	return texts
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func TestEmbeddedPlaybooks(t *testing.T) {
	books, err := LoadPlaybooks(playbookFiles)
	if err != nil {
		t.Fatalf("LoadPlaybooks(embedded): %v", err)
	}
	if got, want := len(books), len(ProcessStages); got != want {
		t.Errorf("got %d playbooks, want %d", got, want)
	}
	for _, s := range ProcessStages {
		t.Run(string(s), func(t *testing.T) {
			p := books[s]
			if p == nil {
				t.Fatalf("no playbook for %s", s)
			}
			if p.Stage != s {
				t.Errorf("Stage = %q, want %q", p.Stage, s)
			}
			if n := len(p.Tactics); n < 3 || n > 5 {
				t.Errorf("%d tactics, want 3 to 5", n)
			}
			if n := len(p.ExitCriteria); n < 3 || n > 6 {
				t.Errorf("%d exit criteria, want 3 to 6", n)
			}
			for _, c := range p.ExitCriteria {
				if c.Step == (Text{}) {
					t.Errorf("exit criterion %s has no step", c.Key)
				}
			}
			keys := map[string]bool{}
			for _, c := range p.ExitCriteria {
				if keys[c.Key] {
					t.Errorf("exit criterion key %q twice", c.Key)
				}
				keys[c.Key] = true
			}
			if s == Objections {
				for _, o := range ObjectionTypes {
					if _, ok := p.Objections[o]; !ok {
						t.Errorf("objections.%s missing", o)
					}
				}
			}
			for _, lang := range []Lang{EN, ZH} {
				t.Run(string(lang), func(t *testing.T) { checkPlaybookLang(t, p, lang) })
			}
		})
	}
}

// checkPlaybookLang checks the content rules of SPEC §10 on every text of p in lang.
func checkPlaybookLang(t *testing.T, p *Playbook, lang Lang) {
	t.Helper()
	for _, f := range playbookTexts(p) {
		got := f.text.EN
		if lang == ZH {
			got = f.text.ZH
		}
		if strings.TrimSpace(got) == "" {
			t.Errorf("%s.%s is empty", f.field, lang)
			continue
		}
		lower := strings.ToLower(got)
		for _, phrase := range genericPhrases {
			if strings.Contains(lower, strings.ToLower(phrase)) {
				t.Errorf("%s.%s contains the generic phrase %q: %s", f.field, lang, phrase, got)
			}
		}
		switch lang {
		case EN:
			if n := utf8.RuneCountInString(got); f.action && n < minActionRunes {
				t.Errorf("%s.en has %d characters, want at least %d: %q", f.field, n, minActionRunes, got)
			}
			if hasHan(got) {
				t.Errorf("%s.en contains Chinese: %q", f.field, got)
			}
		case ZH:
			if n := utf8.RuneCountInString(got); f.action && n < minActionRunesZH {
				t.Errorf("%s.zh has %d characters, want at least %d: %q", f.field, n, minActionRunesZH, got)
			}
			if !hasHan(got) {
				t.Errorf("%s.zh has no Chinese characters: %q", f.field, got)
			}
			if got == f.text.EN {
				t.Errorf("%s.zh equals the English text", f.field)
			}
		}
	}
}

func TestPlaybooks(t *testing.T) {
	books := Playbooks()
	if books[Qualification] != Playbooks()[Qualification] {
		t.Error("Playbooks parses again on every call; want one shared parse")
	}
	for _, s := range ProcessStages {
		if got := PlaybookFor(s); got == nil || got.Stage != s {
			t.Errorf("PlaybookFor(%s) = %v, want the %s playbook", s, got, s)
		}
	}
	if got := PlaybookFor(Won); got == nil || got.Stage != Retention {
		t.Errorf("PlaybookFor(won) = %v, want the retention playbook", got)
	}
	for _, s := range []Stage{Lost, "", "qualifcation"} {
		if got := PlaybookFor(s); got != nil {
			t.Errorf("PlaybookFor(%q) = %v, want nil", s, got.Stage)
		}
	}
}

// testPlaybook returns a small valid playbook file for stage s; the loader
// tests break it one field at a time.
func testPlaybook(s Stage) string {
	return fmt.Sprintf(`# a comment a sales lead may keep
stage: %s
goal: {en: Goal, zh: 目标}
exit_criteria:
  - {key: one, aliases: [first, 第一], en: First criterion, zh: 第一条}
  - {key: two, en: Second criterion, zh: 第二条}
  - {key: three, en: Third criterion, zh: 第三条}
next_step: {en: Next step, zh: 下一步}
five_a:
  en: >-
    The 5A tactic: folded
    over two lines.
  zh: 5A 打法
tactics:
  - {en: Tactic one, zh: 打法一}
  - {en: Tactic two, zh: 打法二}
  - {en: Tactic three, zh: 打法三}
objections:
  price: {en: Price, zh: 价格}
  timing: {en: Timing, zh: 时机}
  authority: {en: Authority, zh: 决策权}
  need: {en: Need, zh: 需求}
  trust: {en: Trust, zh: 信任}
  indecision: {en: Indecision, zh: 犹豫}
  competitor: {en: Competitor, zh: 竞争}
`, s)
}

func testPlaybookFS() fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, s := range ProcessStages {
		fsys[playbookFile(s)] = &fstest.MapFile{Data: []byte(testPlaybook(s))}
	}
	return fsys
}

func TestLoadPlaybooks(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		books, err := LoadPlaybooks(testPlaybookFS())
		if err != nil {
			t.Fatalf("LoadPlaybooks: %v", err)
		}
		p := books[Closing]
		if got, want := p.FiveA.EN, "The 5A tactic: folded over two lines."; got != want {
			t.Errorf("five_a.en = %q, want %q", got, want)
		}
		if got, want := p.ExitCriteria[0], (Criterion{Key: "one", Aliases: []string{"first", "第一"}, Text: Text{EN: "First criterion", ZH: "第一条"}}); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("exit_criteria[0] = %+v, want %+v", got, want)
		}
		if got, want := p.Objections[ObjIndecision].ZH, "犹豫"; got != want {
			t.Errorf("objections.indecision.zh = %q, want %q", got, want)
		}
	})

	// replace edits the stage's test file; "" as old replaces the whole file.
	replace := func(s Stage, old, new string) func(fstest.MapFS) {
		return func(fsys fstest.MapFS) {
			data := testPlaybook(s)
			if old == "" {
				data = new
			} else if !strings.Contains(data, old) {
				panic("test file has no " + old)
			}
			fsys[playbookFile(s)] = &fstest.MapFile{Data: []byte(strings.Replace(data, old, new, 1))}
		}
	}
	tests := []struct {
		name string
		edit func(fstest.MapFS)
		want []string // the file first, then the field and the problem
	}{
		{"MissingField", replace(Qualification, "goal: {en: Goal, zh: 目标}\n", ""),
			[]string{"playbooks/qualification.yaml: ", "goal.en: missing"}},
		{"EmptyChinese", replace(Contact, "zh: 打法二", `zh: ""`),
			[]string{"playbooks/contact.yaml: ", "tactics[1].zh: missing or empty"}},
		{"MissingStageField", replace(Presentation, "stage: presentation\n", ""),
			[]string{"playbooks/presentation.yaml: ", "stage: missing"}},
		{"UnknownStage", func(fsys fstest.MapFS) {
			fsys["playbooks/qualifcation.yaml"] = &fstest.MapFile{Data: []byte(testPlaybook("qualifcation"))}
		}, []string{"playbooks/qualifcation.yaml: ", `stage: "qualifcation" is not a stage`}},
		{"OutcomeIsNoStage", func(fsys fstest.MapFS) {
			fsys["playbooks/won.yaml"] = &fstest.MapFile{Data: []byte(testPlaybook(Won))}
		}, []string{"playbooks/won.yaml: ", `stage: "won" is not a stage`}},
		{"StageInWrongFile", replace(Closing, "stage: closing", "stage: contact"),
			[]string{"playbooks/closing.yaml: ", "stage: \"contact\" belongs in playbooks/contact.yaml"}},
		{"StageWithoutFile", func(fsys fstest.MapFS) { delete(fsys, playbookFile(Retention)) },
			[]string{"playbooks/retention.yaml: ", "missing"}},
		{"DuplicateKey", replace(Prospecting, "key: two", "key: one"),
			[]string{"playbooks/prospecting.yaml: ", `exit_criteria[1].key: "one" is already used by exit_criteria[0].key`}},
		{"KeyClashesWithAlias", replace(Prospecting, "key: two", "key: first"),
			[]string{"playbooks/prospecting.yaml: ", `exit_criteria[1].key: "first" is already used by exit_criteria[0].aliases[0]`}},
		{"UppercaseKey", replace(Prospecting, "key: two", "key: Two"),
			[]string{"playbooks/prospecting.yaml: ", "exit_criteria[1].key: ", "must be short lowercase ASCII"}},
		{"AliasClashesWithAlias", replace(Prospecting, "key: two,", "key: two, aliases: [第一],"),
			[]string{"playbooks/prospecting.yaml: ", `exit_criteria[1].aliases[0]: "第一" is already used by exit_criteria[0].aliases[1]`}},
		{"NonASCIIKey", replace(Prospecting, "key: two", "key: 二"),
			[]string{"playbooks/prospecting.yaml: ", "exit_criteria[1].key: ", "lowercase ASCII"}},
		{"UnknownObjection", replace(Closing, "price:", "cost:"),
			[]string{"playbooks/closing.yaml: ", "objections.cost: unknown objection type"}},
		{"ObjectionsStageMissesType", replace(Objections, "  trust: {en: Trust, zh: 信任}\n", ""),
			[]string{"playbooks/objections.yaml: ", "objections.trust: missing"}},
		{"EmptyObjection", replace(Closing, "need: {en: Need, zh: 需求}", "need: {en: Need}"),
			[]string{"playbooks/closing.yaml: ", "objections.need.zh: missing"}},
		{"UnknownField", replace(Contact, "tactics:", "tactic:"),
			[]string{"playbooks/contact.yaml: ", "field tactic not found"}},
		{"TooFewTactics", replace(Contact, "  - {en: Tactic three, zh: 打法三}\n", ""),
			[]string{"playbooks/contact.yaml: ", "tactics: has 2 items, want 3 to 5"}},
		{"TooManyCriteria", replace(Contact, "exit_criteria:\n", "exit_criteria:\n"+
			"  - {key: four, en: Four, zh: 四}\n  - {key: five, en: Five, zh: 五}\n  - {key: six, en: Six, zh: 六}\n  - {key: seven, en: Seven, zh: 七}\n"),
			[]string{"playbooks/contact.yaml: ", "exit_criteria: has 7 items, want 3 to 6"}},
		{"NotYAML", replace(Contact, "", "stage: [contact\n"),
			[]string{"playbooks/contact.yaml: ", "yaml"}},
		{"EmptyFile", replace(Contact, "", ""),
			[]string{"playbooks/contact.yaml: ", "empty"}},
		{"TwoDocuments", replace(Contact, "objections:", "---\nobjections:"),
			[]string{"playbooks/contact.yaml: "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := testPlaybookFS()
			tt.edit(fsys)
			books, err := LoadPlaybooks(fsys)
			if err == nil {
				t.Fatalf("LoadPlaybooks = %d playbooks and no error, want an error with %q", len(books), tt.want)
			}
			if !strings.HasPrefix(err.Error(), tt.want[0]) {
				t.Errorf("error %q does not start with the file %q", err, tt.want[0])
			}
			for _, w := range tt.want[1:] {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if books != nil {
				t.Errorf("LoadPlaybooks returned playbooks with its error")
			}
		})
	}
}

func TestPlaybookCriterion(t *testing.T) {
	p := &Playbook{ExitCriteria: []Criterion{
		{Key: "budget", Aliases: []string{"money", "预算"}},
		{Key: "decision-maker", Aliases: []string{"economic_buyer"}},
	}}
	tests := []struct {
		word string
		want string // "" when none matches
	}{
		{"budget", "budget"},
		{"BUDGET", "budget"},
		{" Money ", "budget"},
		{"预算", "budget"},
		{"decision-maker", "decision-maker"},
		{"Decision maker", "decision-maker"},
		{"decision_maker", "decision-maker"},
		{"economic buyer", "decision-maker"},
		{"bud", ""},
		{"authority", ""},
		{"", ""},
		{" - ", ""},
	}
	for _, tt := range tests {
		c, ok := p.Criterion(tt.word)
		if ok != (tt.want != "") || c.Key != tt.want {
			t.Errorf("Criterion(%q) = %q, %v, want %q", tt.word, c.Key, ok, tt.want)
		}
	}

	t.Run("Embedded", func(t *testing.T) {
		for _, s := range ProcessStages {
			p := PlaybookFor(s)
			for _, c := range p.ExitCriteria {
				for _, w := range append([]string{c.Key, strings.ToUpper(c.Key)}, c.Aliases...) {
					if got, ok := p.Criterion(w); !ok || got.Key != c.Key {
						t.Errorf("%s: Criterion(%q) = %q, %v, want %q", s, w, got.Key, ok, c.Key)
					}
				}
			}
		}
		// SPEC §3.1's example: `/deal check <deal> budget`.
		if c, ok := PlaybookFor(Qualification).Criterion("budget"); !ok || c.Key != "budget" {
			t.Errorf("qualification has no budget criterion")
		}
	})
}

func TestPlaybookTacticFor(t *testing.T) {
	for _, s := range ProcessStages {
		p := PlaybookFor(s)
		n := len(p.Tactics)
		for _, base := range []int{0, 17, -23, 1 << 40} {
			seen := map[string]bool{}
			for i := range n {
				seen[p.TacticFor(base+i).EN] = true
			}
			if len(seen) != n {
				t.Errorf("%s: %d seeds from %d gave %d different tactics, want all %d", s, n, base, len(seen), n)
			}
			if p.TacticFor(base) != p.TacticFor(base+n) {
				t.Errorf("%s: TacticFor(%d) and TacticFor(%d) differ; want a cycle of %d", s, base, base+n, n)
			}
		}
	}
	if got := (&Playbook{}).TacticFor(3); got != (Text{}) {
		t.Errorf("TacticFor on no tactics = %v, want an empty Text", got)
	}
}

func TestTextIn(t *testing.T) {
	tests := []struct {
		text Text
		lang Lang
		want string
	}{
		{Text{EN: "Call", ZH: "打电话"}, EN, "Call"},
		{Text{EN: "Call", ZH: "打电话"}, ZH, "打电话"},
		{Text{EN: "Call"}, ZH, "Call"},
		{Text{EN: "Call", ZH: "打电话"}, "fr", "Call"},
	}
	for _, tt := range tests {
		if got := tt.text.In(tt.lang); got != tt.want {
			t.Errorf("%v.In(%s) = %q, want %q", tt.text, tt.lang, got, tt.want)
		}
	}
}

func TestLostReasonObjection(t *testing.T) {
	tests := []struct {
		reason LostReason
		want   Objection // "" when no objection type fits
	}{
		{ReasonPrice, ObjPrice},
		{ReasonTiming, ObjTiming},
		{ReasonAuthority, ObjAuthority},
		{ReasonNeed, ObjNeed},
		{ReasonTrust, ObjTrust},
		{ReasonNoDecision, ObjIndecision},
		{ReasonCompetitor, ObjCompetitor},
		{ReasonOther, ""},
	}
	for _, tt := range tests {
		got, ok := tt.reason.Objection()
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%s.Objection() = %q, %v, want %q", tt.reason, got, ok, tt.want)
		}
	}
}
