package render

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"salescoach/coach"
)

// differs lists the messages whose languages use different values on
// purpose, and why.
var differs = map[string]string{
	"deal.ambiguous":      "English says how many deals match, Chinese only lists them",
	"deal.ambiguous.more": "English counts the deals not listed, Chinese counts them all",
	"digest.drop_out":     "English gives the count with its noun, Chinese the number before 笔商机",
}

// TestCatalogLanguages holds the two catalogs to the same keys, and each
// message to the same placeholders in both languages.
func TestCatalogLanguages(t *testing.T) {
	en, zh := catalog[coach.EN], catalog[coach.ZH]
	if len(en) == 0 {
		t.Fatal("the English catalog is empty")
	}
	for key, m := range en {
		z, ok := zh[key]
		if !ok {
			t.Errorf("%s has no Chinese message", key)
			continue
		}
		if m == "" || z == "" {
			t.Errorf("%s is empty in a language", key)
		}
		if _, ok := differs[key]; ok {
			continue
		}
		pe, pz := values(placeholders(m)), values(placeholders(z))
		slices.Sort(pe)
		slices.Sort(pz)
		if pe, pz = slices.Compact(pe), slices.Compact(pz); !slices.Equal(pe, pz) {
			t.Errorf("%s: English has %v, Chinese %v", key, pe, pz)
		}
	}
	for key := range zh {
		if _, ok := en[key]; !ok {
			t.Errorf("%s has no English message", key)
		}
	}
}

// TestCatalogNamesCommandsByPlaceholder keeps every command a message names
// in a {cmd:…} placeholder, so that the command table decides how it reads.
func TestCatalogNamesCommandsByPlaceholder(t *testing.T) {
	for lang, msgs := range catalog {
		for key, m := range msgs {
			rest := m
			for _, p := range placeholders(m) {
				rest = strings.Replace(rest, "{"+p+"}", "", 1)
			}
			if strings.Contains(rest, "/deal") || strings.Contains(rest, "/coach") {
				t.Errorf("%s (%s) names a command in its text: %q; write {cmd:…}", key, lang, m)
			}
		}
	}
}

// TestCatalogCommandsAreInTheTable holds every command the message catalog
// names ({cmd:deal list}) to a row of coach's command table, so a message
// cannot tell users to type a command that does not exist; a bare root
// (/deal) names the slash command.
func TestCatalogCommandsAreInTheTable(t *testing.T) {
	t.Parallel()
	refs := catalogCommands()
	if len(refs) == 0 {
		t.Fatal("the catalog names no command")
	}
	for _, ref := range refs {
		if _, ok := coach.ResolveCommand(ref); !ok {
			t.Errorf("the catalog names {cmd:%s}, which is not a row of the command table", ref)
		}
	}
}

// TestCommandPlaceholderShowsTheTable fills {cmd:…} from the table: a row by
// its name, by an alias (shown by its name), and a bare root.
func TestCommandPlaceholderShowsTheTable(t *testing.T) {
	t.Parallel()
	for tmpl, want := range map[string]string{
		"type {cmd:deal won}": "type /deal won",
		"type {cmd:deal win}": "type /deal won",
		"type {cmd:coach}":    "type /coach",
		"type {cmd:deal}":     "type /deal",
		"type {cmd:coach 统计}": "type /coach stats",
	} {
		if got := fill(tmpl, coach.EN, nil); got != want {
			t.Errorf("fill(%q) = %q, want %q", tmpl, got, want)
		}
	}
	if got := argText(coach.Command("deal lose"), coach.ZH); got != "/deal lost" {
		t.Errorf("coach.Command(\"deal lose\") shows as %q, want /deal lost", got)
	}
}

// values returns the values placeholders show: the plural form
// {n:deal|deals} shows n.
func values(ps []string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		if !strings.HasPrefix(p, "cmd:") {
			p, _, _ = strings.Cut(p, ":")
		}
		out[i] = p
	}
	return out
}

// call is a use of the catalog found in the source: the key and, when the
// call spells them out, the names of its arguments.
type call struct {
	pos  string
	key  string
	args []string // nil when not known (a variable)
	open bool     // more arguments may be added to args later
}

// TestCatalogUses reads the Go source of coach, db and bot: every error and
// message names its key as a literal that both catalogs hold and gives
// every value the message shows; coach and db never write a sentence or a
// command into an error; and every message of the catalog is used.
func TestCatalogUses(t *testing.T) {
	used := map[string]bool{}
	for _, dir := range []string{"../../coach", "../../db", "..", "../handlers", "../jobs", "../transport", "../observe", "."} {
		domain := strings.HasPrefix(dir, "../../")
		for _, c := range catalogCalls(t, dir, domain) {
			used[c.key] = true
			en, ok := catalog[coach.EN][c.key]
			if !ok {
				t.Errorf("%s: the catalog has no message %q", c.pos, c.key)
				continue
			}
			if c.args == nil {
				continue
			}
			for _, p := range values(append(placeholders(en), placeholders(catalog[coach.ZH][c.key])...)) {
				if !strings.HasPrefix(p, "cmd:") && !slices.Contains(c.args, p) && !c.open {
					t.Errorf("%s: %s shows {%s}, which the call does not give", c.pos, c.key, p)
				}
			}
		}
	}
	for key := range catalog[coach.EN] {
		// help.* keys are named by the command table's rows (Command.HelpKey);
		// bot/handlers' TestCommandTable holds every row to one.
		if !used[key] && !strings.HasPrefix(key, "help.") {
			t.Errorf("the catalog's message %s is never used", key)
		}
	}
}

// catalogCalls returns the calls of Fail and Msg in the non-test Go files of
// dir. In coach and db (domain), it also fails the test for a string
// literal in such a call that reads like a sentence or names a command.
func catalogCalls(t *testing.T, dir string, domain bool) []call {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var out []call
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			ce, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			name := ""
			switch fn := ce.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			}
			keyAt, argsAt := -1, -1
			switch {
			case name == "Fail" && len(ce.Args) == 3:
				keyAt, argsAt = 1, 2
			case name == "Msg" && len(ce.Args) == 2:
				keyAt, argsAt = 0, 1
			case name == "Msg" && len(ce.Args) == 3:
				keyAt, argsAt = 1, 2
			default:
				return true
			}
			pos := fset.Position(ce.Pos()).String()
			if sel, ok := ce.Args[keyAt].(*ast.SelectorExpr); ok && sel.Sel.Name == "Key" {
				return true // rendering an error or message made elsewhere
			}
			if id, ok := ce.Args[keyAt].(*ast.Ident); ok && id.Name == "key" {
				return true // a function that passes its key on (Viewer.Msg)
			}
			if k, ok := ce.Args[keyAt].(*ast.CallExpr); ok {
				if sel, ok := k.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "HelpKey" {
					return true // a row's help: TestCommandTable checks them
				}
			}
			keys := []ast.Expr{ce.Args[keyAt]}
			if p, ok := ce.Args[keyAt].(*ast.CallExpr); ok && len(p.Args) == 3 {
				if id, ok := p.Fun.(*ast.Ident); ok && id.Name == "pick" {
					keys = p.Args[1:] // pick(cond, singular, plural)
				}
			}
			for _, k := range keys {
				out = append(out, keyCall(t, fset, src, pos, name, k, ce.Args[argsAt])...)
			}
			if domain {
				ast.Inspect(ce.Args[argsAt], func(n ast.Node) bool {
					if l, ok := n.(*ast.BasicLit); ok && l.Kind == token.STRING {
						s, _ := strconv.Unquote(l.Value)
						if strings.Contains(s, "/deal") || strings.Contains(s, "/coach") || strings.Count(s, " ") > 3 {
							t.Errorf("%s: an error carries the text %q; put it in the catalog", pos, s)
						}
					}
					return true
				})
			}
			return true
		})
	}
	return out
}

// keyCall returns the use of the catalog a call makes with key k, or fails
// the test when k is not a literal.
func keyCall(t *testing.T, fset *token.FileSet, src []byte, pos, name string, k, args ast.Expr) []call {
	lit, ok := k.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		t.Errorf("%s: %s names its message with %s, not a literal key", pos, name, src[fset.Position(k.Pos()).Offset:fset.Position(k.End()).Offset])
		return nil
	}
	key, _ := strconv.Unquote(lit.Value)
	c := call{pos: pos, key: key}
	c.args, c.open = argNames(args)
	return []call{c}
}

// argNames returns the names an Args expression gives: nil gives none,
// Args{…} its keys, dealArgs(d, …) n, name and the names after d. For any
// other expression it returns nil, unknown.
func argNames(e ast.Expr) (names []string, open bool) {
	switch e := e.(type) {
	case *ast.Ident:
		if e.Name == "nil" {
			return []string{}, false
		}
	case *ast.CompositeLit:
		names = []string{}
		for _, el := range e.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				if l, ok := kv.Key.(*ast.BasicLit); ok {
					s, _ := strconv.Unquote(l.Value)
					names = append(names, s)
				}
			}
		}
		return names, false
	case *ast.CallExpr:
		if id, ok := e.Fun.(*ast.Ident); ok && id.Name == "dealArgs" {
			names = []string{"n", "name"}
			for i := 1; i < len(e.Args); i += 2 {
				if l, ok := e.Args[i].(*ast.BasicLit); ok {
					s, _ := strconv.Unquote(l.Value)
					names = append(names, s)
				}
			}
			return names, false
		}
	}
	return nil, false
}
