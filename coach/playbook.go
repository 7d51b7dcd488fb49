package coach

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// The stage playbooks are data, not code: one YAML file per stage in
// playbooks/, named after the stage, so a sales lead can edit the wording
// without touching Go. The comment at the top of each file says what may change.
//
//go:embed playbooks/*.yaml
var playbookFiles embed.FS

// playbookDir is the folder of the playbook files inside the fs.FS given to
// LoadPlaybooks.
const playbookDir = "playbooks"

// Text is a sentence in both languages.
type Text struct {
	EN string `yaml:"en"`
	ZH string `yaml:"zh"`
}

// In returns the text in l, falling back to English when there is no Chinese.
func (t Text) In(l Lang) string {
	if l == ZH && t.ZH != "" {
		return t.ZH
	}
	return t.EN
}

// Criterion is one exit criterion of a stage, which a rep confirms with
// `/deal check <deal> <key>` (or one of its aliases).
type Criterion struct {
	Key     string   `yaml:"key"`
	Aliases []string `yaml:"aliases"`
	Text    `yaml:",inline"`
	// Step is the next step while this is the first criterion of the stage
	// not yet confirmed (and some other one is).
	Step Text `yaml:"step"`
}

// Objection is a type of buyer objection; each has its own handling.
type Objection string

// The objection types.
const (
	ObjPrice      Objection = "price"
	ObjTiming     Objection = "timing"
	ObjAuthority  Objection = "authority"
	ObjNeed       Objection = "need"
	ObjTrust      Objection = "trust"
	ObjIndecision Objection = "indecision"
	ObjCompetitor Objection = "competitor"
)

// ObjectionTypes lists every objection type, in the order the playbooks show them.
var ObjectionTypes = []Objection{ObjPrice, ObjTiming, ObjAuthority, ObjNeed, ObjTrust, ObjIndecision, ObjCompetitor}

// Objection returns the objection type behind a lost reason (no-decision is
// indecision), with ok=false for other.
func (r LostReason) Objection() (Objection, bool) {
	switch r {
	case ReasonPrice, ReasonTiming, ReasonAuthority, ReasonNeed, ReasonTrust, ReasonCompetitor:
		return Objection(r), true
	case ReasonNoDecision:
		return ObjIndecision, true
	}
	return "", false
}

// Playbook is the coaching content of one stage.
type Playbook struct {
	Stage        Stage       `yaml:"stage"`
	Goal         Text        `yaml:"goal"`
	ExitCriteria []Criterion `yaml:"exit_criteria"`
	NextStep     Text        `yaml:"next_step"`
	// BeforeStep, when set, is the next step until the visit has something
	// logged (Presentation: before the demo).
	BeforeStep Text               `yaml:"before_step"`
	FiveA      Text               `yaml:"five_a"`
	Tactics    []Text             `yaml:"tactics"`
	Objections map[Objection]Text `yaml:"objections"`
	// Habits are weekly habits of the stage that are about no single deal
	// (a prospecting block, the visitor report): the nudge carries them.
	Habits []Text `yaml:"habits"`
}

// Limits on the number of tactics (SPEC §10) and exit criteria per stage.
const (
	minItems    = 3
	maxItems    = 5
	maxCriteria = 6
)

// criterionKey is the form of a criterion key: short, lowercase ASCII, so a
// rep can type it anywhere.
var criterionKey = regexp.MustCompile(`^[a-z][a-z0-9-]{0,23}$`)

// LoadPlaybooks parses the playbooks in fsys, one file playbooks/<stage>.yaml
// per stage of the process, and validates them. It returns an error naming the
// file and the field on the first problem: invalid YAML, an unknown field, a
// missing or unknown stage, a file not named after its stage, a stage without
// a file, an empty text, fewer than 3 or more than 5 tactics or exit criteria,
// a malformed or duplicate criterion key or alias, an unknown objection type,
// or an objections playbook that misses one.
func LoadPlaybooks(fsys fs.FS) (map[Stage]*Playbook, error) {
	names, err := fs.Glob(fsys, playbookDir+"/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list playbooks: %w", err)
	}
	books := make(map[Stage]*Playbook, len(ProcessStages))
	for _, name := range names {
		p, err := loadPlaybook(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		books[p.Stage] = p
	}
	for _, s := range ProcessStages {
		if books[s] == nil {
			return nil, fmt.Errorf("%s: missing: every stage needs a playbook", playbookFile(s))
		}
	}
	return books, nil
}

func playbookFile(s Stage) string { return playbookDir + "/" + string(s) + ".yaml" }

// loadPlaybook parses and validates one file; its errors name the field.
func loadPlaybook(fsys fs.FS, name string) (*Playbook, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true) // a misspelt field is an error, not silently empty
	var p Playbook
	if err := dec.Decode(&p); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the file is empty")
		}
		return nil, err
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("one playbook per file: remove the second YAML document (---)")
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	if want := playbookFile(p.Stage); name != want {
		return nil, fmt.Errorf("stage: %q belongs in %s", p.Stage, want)
	}
	return &p, nil
}

// validate checks p field by field and trims the surrounding space of its
// texts; its error starts with the field's path in the file.
func (p *Playbook) validate() error {
	if p.Stage == "" {
		return errors.New("stage: missing")
	}
	if p.Stage.Index() < 0 {
		return fmt.Errorf("stage: %q is not a stage; use one of %s", p.Stage, stageList())
	}
	texts := []struct {
		field string
		t     *Text
	}{{"goal", &p.Goal}, {"next_step", &p.NextStep}, {"five_a", &p.FiveA}}
	for _, f := range texts {
		if err := f.t.validate(f.field); err != nil {
			return err
		}
	}
	if n := len(p.ExitCriteria); n < minItems || n > maxCriteria {
		return fmt.Errorf("exit_criteria: has %d items, want %d to %d", n, minItems, maxCriteria)
	}
	if p.BeforeStep != (Text{}) {
		if err := p.BeforeStep.validate("before_step"); err != nil {
			return err
		}
	}
	for i := range p.Habits {
		if err := p.Habits[i].validate(fmt.Sprintf("habits[%d]", i)); err != nil {
			return err
		}
	}
	seen := map[string]string{} // a key or alias, normalised → the field that claimed it
	for i := range p.ExitCriteria {
		if err := p.ExitCriteria[i].validate(fmt.Sprintf("exit_criteria[%d]", i), seen); err != nil {
			return err
		}
	}
	if err := countItems("tactics", len(p.Tactics)); err != nil {
		return err
	}
	for i := range p.Tactics {
		if err := p.Tactics[i].validate(fmt.Sprintf("tactics[%d]", i)); err != nil {
			return err
		}
	}
	return p.validateObjections()
}

func (p *Playbook) validateObjections() error {
	for o, t := range p.Objections {
		if !knownObjection(o) {
			return fmt.Errorf("objections.%s: unknown objection type; use %s", o, objectionList())
		}
		if err := t.validate("objections." + string(o)); err != nil {
			return err
		}
		p.Objections[o] = t
	}
	if p.Stage != Objections {
		return nil
	}
	for _, o := range ObjectionTypes {
		if _, ok := p.Objections[o]; !ok {
			return fmt.Errorf("objections.%s: missing: the objections stage answers every type (%s)", o, objectionList())
		}
	}
	return nil
}

func (c *Criterion) validate(field string, seen map[string]string) error {
	if c.Key == "" {
		return fmt.Errorf("%s.key: missing", field)
	}
	if !criterionKey.MatchString(c.Key) {
		return fmt.Errorf("%s.key: %q must be short lowercase ASCII (a-z, 0-9, -)", field, c.Key)
	}
	words := append([]string{c.Key}, c.Aliases...)
	for i, w := range words {
		at := field + ".key"
		if i > 0 {
			at = fmt.Sprintf("%s.aliases[%d]", field, i-1)
		}
		n := criterionWord(w)
		if n == "" {
			return fmt.Errorf("%s: empty", at)
		}
		if prev, dup := seen[n]; dup {
			return fmt.Errorf("%s: %q is already used by %s", at, w, prev)
		}
		seen[n] = at
	}
	if c.Step != (Text{}) {
		if err := c.Step.validate(field + ".step"); err != nil {
			return err
		}
	}
	return c.Text.validate(field)
}

func (t *Text) validate(field string) error {
	t.EN, t.ZH = strings.TrimSpace(t.EN), strings.TrimSpace(t.ZH)
	if t.EN == "" {
		return fmt.Errorf("%s.en: missing or empty", field)
	}
	if t.ZH == "" {
		return fmt.Errorf("%s.zh: missing or empty", field)
	}
	return nil
}

func countItems(field string, n int) error {
	if n < minItems || n > maxItems {
		return fmt.Errorf("%s: has %d items, want %d to %d", field, n, minItems, maxItems)
	}
	return nil
}

func knownObjection(o Objection) bool {
	for _, k := range ObjectionTypes {
		if k == o {
			return true
		}
	}
	return false
}

func objectionList() string {
	s := make([]string, len(ObjectionTypes))
	for i, o := range ObjectionTypes {
		s[i] = string(o)
	}
	return strings.Join(s, ", ")
}

func stageList() string {
	s := make([]string, len(ProcessStages))
	for i, st := range ProcessStages {
		s[i] = string(st)
	}
	return strings.Join(s, ", ")
}

// embeddedPlaybooks parses the embedded files once, on first use.
var embeddedPlaybooks = sync.OnceValue(func() map[Stage]*Playbook {
	books, err := LoadPlaybooks(playbookFiles)
	if err != nil {
		// TestEmbeddedPlaybooks keeps this from happening in a released binary.
		panic("coach: invalid embedded playbook: " + err.Error())
	}
	return books
})

// Playbooks returns the playbooks embedded in the binary, one per stage of the
// process. They are parsed once and shared: callers must not modify them. It
// panics only if the embedded files are invalid, which a test prevents.
func Playbooks() map[Stage]*Playbook { return embeddedPlaybooks() }

// PlaybookFor returns the embedded playbook of s: Retention's for Won, and nil
// for Lost or a stage that is not in the process.
func PlaybookFor(s Stage) *Playbook {
	if s == Won {
		s = Retention
	}
	return Playbooks()[s]
}

// Criterion returns the exit criterion of p whose key or alias is word,
// ignoring case and treating spaces, underscores and hyphens alike ("Decision
// maker" finds decision-maker); ok is false when none matches.
func (p *Playbook) Criterion(word string) (Criterion, bool) {
	w := criterionWord(word)
	if w == "" {
		return Criterion{}, false
	}
	for _, c := range p.ExitCriteria {
		if criterionWord(c.Key) == w {
			return c, true
		}
		for _, a := range c.Aliases {
			if criterionWord(a) == w {
				return c, true
			}
		}
	}
	return Criterion{}, false
}

// criterionWord normalises a key or alias for comparison: lowercase, with runs
// of spaces, underscores and hyphens as one hyphen.
func criterionWord(s string) string {
	parts := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ' ' || r == '_' || r == '-' || r == '\t'
	})
	return strings.Join(parts, "-")
}

// TacticFor returns one of p's tactics, chosen by seed: consecutive seeds (a
// deal number plus the day, say) walk through every tactic in turn, and any
// int, negative included, is a valid seed.
func (p *Playbook) TacticFor(seed int) Text {
	n := len(p.Tactics)
	if n == 0 {
		return Text{}
	}
	i := seed % n
	if i < 0 {
		i += n
	}
	return p.Tactics[i]
}

var objectionNames = map[Objection][2]string{
	ObjPrice:      {"Price", "价格"},
	ObjTiming:     {"Timing", "时机"},
	ObjAuthority:  {"Authority", "决策权"},
	ObjNeed:       {"Need", "需求"},
	ObjTrust:      {"Trust / risk", "信任与风险"},
	ObjIndecision: {"Indecision", "迟迟不决"},
	ObjCompetitor: {"Competitor", "竞争对手"},
}

// Name returns the objection type's display name in lang.
func (o Objection) Name(lang Lang) string {
	n, ok := objectionNames[o]
	if !ok {
		return string(o)
	}
	return lang.T(n[0], n[1])
}
