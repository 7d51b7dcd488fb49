package bot_test

import (
	"encoding/json"
	"os"
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

// TestReadmeLayout keeps README's Layout true to the tree: every folder it
// names exists, every folder of the repository's top level is named, and
// every Go package is named, as an entry or in its parent's line (as
// db/dbtest is).
func TestReadmeLayout(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "\n## Layout\n")
	if !ok {
		t.Fatal("README has no Layout section")
	}
	_, rest, _ = strings.Cut(rest, "```\n")
	block, _, _ := strings.Cut(rest, "```")
	entries := map[string]string{} // folder → its line, continuations joined
	var last, parent string
	for _, line := range strings.Split(block, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		word, _, _ := strings.Cut(trimmed, " ")
		switch {
		case strings.HasSuffix(word, "/") && len(line)-len(trimmed) == 0:
			last, parent = strings.TrimSuffix(word, "/"), strings.TrimSuffix(word, "/")
		case strings.HasSuffix(word, "/") && len(line)-len(trimmed) == 2:
			last = parent + "/" + strings.TrimSuffix(word, "/")
		default:
			entries[last] += " " + trimmed // a continuation of the line before
			continue
		}
		entries[last] = line
	}
	for dir := range entries {
		if st, err := os.Stat("../" + dir); err != nil || !st.IsDir() {
			t.Errorf("README's Layout names %s/, which is not a folder", dir)
		}
	}
	for _, dir := range topFolders(t) {
		if entries[dir] == "" && !hasEntryUnder(entries, dir) {
			t.Errorf("README's Layout does not name the folder %s/", dir)
		}
	}
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}", "salescoach/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		dir := strings.TrimPrefix(pkg, "salescoach/")
		if _, ok := entries[dir]; ok {
			continue
		}
		i := strings.LastIndex(dir, "/")
		up := dir[:max(i, 0)]
		if i < 0 {
			t.Errorf("README's Layout does not name the package folder %s/", dir)
		} else if !strings.Contains(entries[up], dir[i+1:]) {
			t.Errorf("README's Layout does not name the package folder %s/ (as an entry, or in the line of %s/)", dir, up)
		}
	}
}

// topFolders returns the folders at the top of the repository that git
// tracks files in (so not bin/, which make build writes), or, outside a git
// checkout, every folder there but the hidden ones and bin/.
func topFolders(t *testing.T) []string {
	seen := map[string]bool{}
	var out []string
	if files, err := exec.Command("git", "-C", "..", "ls-files").Output(); err == nil {
		for _, f := range strings.Fields(string(files)) {
			if dir, _, ok := strings.Cut(f, "/"); ok && !strings.HasPrefix(dir, ".") && !seen[dir] {
				seen[dir] = true
				out = append(out, dir)
			}
		}
		return out
	}
	top, err := os.ReadDir("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range top {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") && e.Name() != "bin" {
			out = append(out, e.Name())
		}
	}
	return out
}

// hasEntryUnder reports whether the layout names a folder inside dir (cmd/
// is named through cmd/salescoach/ and cmd/bench/).
func hasEntryUnder(entries map[string]string, dir string) bool {
	for e := range entries {
		if strings.HasPrefix(e, dir+"/") {
			return true
		}
	}
	return false
}
