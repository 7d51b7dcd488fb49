package coach

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestCommandTableWords keeps the table one that can be looked up: each
// "root name" and "root alias" names one row, and each resolves to how that
// row is typed, an alias to its row's name.
func TestCommandTableWords(t *testing.T) {
	t.Parallel()
	rows := Commands()
	if len(rows) == 0 {
		t.Fatal("the command table is empty")
	}
	owner := map[string]string{} // "root word" → the row's ref
	claim := func(ref, by string) {
		if prev, ok := owner[ref]; ok {
			t.Errorf("%q names both /%s and /%s", ref, prev, by)
		}
		owner[ref] = by
	}
	for _, c := range rows {
		if c.Root != "deal" && c.Root != "coach" {
			t.Errorf("row %q: unknown root %q", c.Ref(), c.Root)
		}
		claim(c.Ref(), c.Ref())
		for _, al := range c.Aliases {
			if al == "" || al != strings.ToLower(al) || strings.ContainsAny(al, " \t") {
				t.Errorf("/%s: alias %q is not one lower-case word", c.Ref(), al)
			}
			claim(c.Root+" "+al, c.Ref())
		}
	}
	for ref, row := range owner {
		got, ok := ResolveCommand(ref)
		if want := "/" + row; !ok || got != want {
			t.Errorf("ResolveCommand(%q) = %q, %v; want %q", ref, got, ok, want)
		}
	}
	for ref, want := range map[string]string{
		"deal won":  "/deal won",
		"deal win":  "/deal won",
		"deal log":  "/deal note",
		"deal 预计成交": "/deal due",
		"coach":     "/coach",
		"deal":      "/deal",
		"coach 统计":  "/coach stats",
	} {
		if got := CommandText(ref); got != want {
			t.Errorf("CommandText(%q) = %q, want %q", ref, got, want)
		}
	}
	if _, ok := ResolveCommand("deal nosuch"); ok {
		t.Error(`ResolveCommand("deal nosuch") resolves`)
	}
	if got := CommandText("deal nosuch"); got != "/deal nosuch" {
		t.Errorf(`CommandText("deal nosuch") = %q`, got)
	}
}

// TestCommandsIsACopy: a caller that changes what Commands returns changes
// nothing of the table.
func TestCommandsIsACopy(t *testing.T) {
	t.Parallel()
	a := Commands()
	a[0].Name = "changed"
	a[0].Aliases[0] = "changed"
	b := Commands()
	if b[0].Name == "changed" || b[0].Aliases[0] == "changed" {
		t.Errorf("Commands shares its rows: %+v", b[0])
	}
}

func TestCommandWordsForms(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		c                   CommandWords
		ref, typed, key, us string
	}{
		{CommandWords{Root: "deal", Name: "move", Args: "<deal> <stage>"}, "deal move", "/deal move", "help.deal.move", "/deal move <deal> <stage>"},
		{CommandWords{Root: "deal", Name: "undo"}, "deal undo", "/deal undo", "help.deal.undo", "/deal undo"},
		{CommandWords{Root: "coach"}, "coach", "/coach", "help.coach", "/coach"},
		{CommandWords{Root: "coach", Args: "[deal|stage|@rep]"}, "coach", "/coach", "help.coach", "/coach [deal|stage|@rep]"},
	} {
		if got := tt.c.Ref(); got != tt.ref {
			t.Errorf("Ref() = %q, want %q", got, tt.ref)
		}
		if got := tt.c.Typed(); got != tt.typed {
			t.Errorf("Typed() = %q, want %q", got, tt.typed)
		}
		if got := tt.c.HelpKey(); got != tt.key {
			t.Errorf("HelpKey() = %q, want %q", got, tt.key)
		}
		if got := tt.c.Usage(); got != tt.us {
			t.Errorf("Usage() = %q, want %q", got, tt.us)
		}
	}
}

// literalCommand finds a command written out in a string: /deal or /coach
// as a word.
var literalCommand = regexp.MustCompile(`/(deal|coach)\b`)

// commandUses reads the Go source src (named name) and returns the string
// literals that write a command out, and the refs given as literals to
// CommandText, ResolveCommand or Command. Import paths are not strings a
// user sees and are skipped.
func commandUses(t *testing.T, name string, src any) (literals, refs []string) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			continue
		}
		ast.Inspect(d, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if n.Kind != token.STRING {
					break
				}
				if s, err := strconv.Unquote(n.Value); err == nil && literalCommand.MatchString(s) {
					literals = append(literals, fset.Position(n.Pos()).String()+": "+n.Value)
				}
			case *ast.CallExpr:
				fn, ok := n.Fun.(*ast.Ident)
				if !ok || len(n.Args) != 1 || (fn.Name != "CommandText" && fn.Name != "ResolveCommand" && fn.Name != "Command") {
					break
				}
				if lit, ok := n.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						refs = append(refs, s)
					}
				}
			}
			return true
		})
	}
	return literals, refs
}

// TestNoCommandWrittenOut reads coach's Go source (its packages below too):
// no string a user may see writes a command out, so that every command the
// advice names comes from the table through CommandText; and every command
// named so is a row of the table.
func TestNoCommandWrittenOut(t *testing.T) {
	t.Parallel()
	files, uses := 0, 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		files++
		literals, refs := commandUses(t, path, nil)
		for _, l := range literals {
			t.Errorf("%s writes a command out; use CommandText(\"deal …\")", l)
		}
		for _, ref := range refs {
			uses++
			if _, ok := ResolveCommand(ref); !ok {
				t.Errorf("%s names the command %q, which is not a row of the command table", path, ref)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 || uses < 10 {
		t.Fatalf("read %d files and %d commands named; the walk missed the source", files, uses)
	}
	// Commands named by a value: add refuses won and lost as a stage and
	// names the command that records them (parse.go).
	for _, st := range []Stage{Won, Lost} {
		if _, ok := ResolveCommand("deal " + string(st)); !ok {
			t.Errorf("/deal %s is not a row of the command table", st)
		}
	}
}

// TestCommandUsesSeesLiterals shows the reader of TestNoCommandWrittenOut
// finds what it looks for.
func TestCommandUsesSeesLiterals(t *testing.T) {
	t.Parallel()
	src := `package x

import "salescoach/coach"

var a = "record it with /deal won #1"
var b = fmt.Sprintf("use %s or /coach", CommandText("deal note"))
var c = "the /coaching notes and /dealer are fine"

func f() error { return Fail(EInvalid, "k", Args{"command": Command("deal nosuch")}) }
`
	literals, refs := commandUses(t, "x.go", src)
	if len(literals) != 2 {
		t.Errorf("found %d literal commands, want 2: %q", len(literals), literals)
	}
	if strings.Join(refs, ",") != "deal note,deal nosuch" {
		t.Errorf("found refs %q, want deal note, deal nosuch", refs)
	}
}
