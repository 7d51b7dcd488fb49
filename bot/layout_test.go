package bot_test

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// TestLayout holds the arrows between the packages one way, as bot/doc.go
// and README's Layout draw them: a package may import only what its row
// allows of ours (the standard library and third-party modules are not
// checked here): cmd → bot, db; bot → coach; db → coach, migrations; coach
// → nothing of ours; picture → coach; and inside bot the rows below.
func TestLayout(t *testing.T) {
	out, err := exec.Command("go", "list", "-json", "salescoach/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	allowed := map[string][]string{
		"salescoach/migrations":    {},
		"salescoach/db":            {"salescoach/coach", "salescoach/migrations"},
		"salescoach/picture":       {"salescoach/coach"},
		"salescoach/bot/observe":   {"salescoach/coach"},
		"salescoach/bot/render":    {"salescoach/coach"},
		"salescoach/bot/transport": {"salescoach/coach", "salescoach/bot/render", "salescoach/bot/observe"},
		"salescoach/bot/jobs":      {"salescoach/coach", "salescoach/picture", "salescoach/bot/render", "salescoach/bot/observe", "salescoach/bot/transport"},
		"salescoach/bot/handlers":  {"salescoach/coach", "salescoach/picture", "salescoach/bot/render", "salescoach/bot/observe", "salescoach/bot/transport", "salescoach/bot/jobs"},
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := map[string]bool{}
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		seen[p.ImportPath] = true
		ours := func(imp string) bool { return imp == "salescoach" || strings.HasPrefix(imp, "salescoach/") }
		for _, imp := range p.Imports {
			if !ours(imp) {
				continue
			}
			switch {
			case strings.HasPrefix(p.ImportPath, "salescoach/bot") && imp == "salescoach/db":
				t.Errorf("%s imports the database: declare the interface it needs instead", p.ImportPath)
			case p.ImportPath == "salescoach/picture" && strings.HasPrefix(imp, "salescoach/bot"):
				t.Errorf("picture imports %s: pictures are drawn from coach's types only", imp)
			}
			if isCoach(p.ImportPath) && !isCoach(imp) {
				t.Errorf("%s imports %s: the domain imports nothing of ours", p.ImportPath, imp)
			}
			if isCoach(imp) {
				imp = "salescoach/coach" // coach's subpackages (forecast) count as coach
			}
			rule, ok := allowed[p.ImportPath]
			if !ok {
				continue // cmd, demo, internal and the test kits may wire anything
			}
			if !contains(rule, imp) {
				t.Errorf("%s imports %s, against the layout", p.ImportPath, imp)
			}
		}
	}
	allowed["salescoach/coach"] = nil
	for pkg := range allowed {
		if !seen[pkg] {
			t.Errorf("go list did not list %s: update the layout", pkg)
		}
	}
}

func isCoach(pkg string) bool {
	return pkg == "salescoach/coach" || strings.HasPrefix(pkg, "salescoach/coach/")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
