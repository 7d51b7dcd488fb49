package coach

import "testing"

func TestSlackText(t *testing.T) {
	tests := []struct {
		name    string
		escaped string // as Slack sends it, with should_escape
		stored  string // FromSlack
		label   string // LinkLabels of the stored text: a deal name
		plain   string // ToPlain: the CSV
	}{
		{"Link", "<http://Acme.io|Acme.io>", "[Acme.io](http://Acme.io)", "Acme.io", "Acme.io (http://Acme.io)"},
		{"LinkNoLabel", "see <https://acme.io/pricing>", "see https://acme.io/pricing", "see https://acme.io/pricing", "see https://acme.io/pricing"},
		{"Mailto", "mail <mailto:bob@acme.io|bob@acme.io> today", "mail [bob@acme.io](mailto:bob@acme.io) today", "mail bob@acme.io today", "mail bob@acme.io (mailto:bob@acme.io) today"},
		{"Escaped", "Smith &amp; Sons &lt;UK&gt;", "Smith & Sons <UK>", "Smith & Sons <UK>", "Smith & Sons <UK>"},
		{"EscapedInLink", "<https://a.io/?x=1&amp;y=2|A &amp; B>", "[A & B](https://a.io/?x=1&y=2)", "A & B", "A & B (https://a.io/?x=1&y=2)"},
		{"Mentions", "ask <@U0123ABC> in <#C0456|deals>", "ask <@U0123ABC> in <#C0456|deals>", "ask <@U0123ABC> in <#C0456|deals>", "ask <@U0123ABC> in <#C0456|deals>"},
		{"Here", "<!here> and <!subteam^S1|@sales>", "@here and @sales", "@here and @sales", "@here and @sales"},
		{"Parens", "<https://en.wikipedia.org/wiki/Acme_(company)|Acme>", "[Acme](https://en.wikipedia.org/wiki/Acme_%28company%29)", "Acme", "Acme (https://en.wikipedia.org/wiki/Acme_(company))"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stored := FromSlack(tt.escaped)
			if stored != tt.stored {
				t.Fatalf("FromSlack(%q) = %q, want %q", tt.escaped, stored, tt.stored)
			}
			if got := LinkLabels(stored); got != tt.label {
				t.Errorf("LinkLabels(%q) = %q, want %q", stored, got, tt.label)
			}
			if got := ToPlain(stored); got != tt.plain {
				t.Errorf("ToPlain(%q) = %q, want %q", stored, got, tt.plain)
			}
			// Back to Slack: the same text, links clickable, mentions kept.
			back := ToSlack(stored)
			if again := FromSlack(back); again != stored {
				t.Errorf("ToSlack(%q) = %q reads back as %q", stored, back, again)
			}
		})
	}
	if got := ToSlack("[Acme.io](http://Acme.io) & <b>"); got != "<http://Acme.io|Acme.io> &amp; &lt;b&gt;" {
		t.Errorf("ToSlack = %q", got)
	}
}

// TestNamesAndNotesFromSlack: the command text the bot reads today (Slack's
// escaping undone, markup left) gives names and notes as people meant them.
func TestNamesAndNotesFromSlack(t *testing.T) {
	a, err := ParseAddArgs("<http://Acme.io|Acme.io> 12k", "USD")
	if err != nil || a.Name != "Acme.io" || a.Amount.Cents != 1200000 {
		t.Errorf("ParseAddArgs of a linked name = %+v, %v; want Acme.io at $12,000", a, err)
	}
	if n, err := CheckName("<mailto:bob@acme.io|bob@acme.io> deal"); err != nil || n != "bob@acme.io deal" {
		t.Errorf("CheckName = %q, %v", n, err)
	}
	n, err := CheckNote("pricing at <https://acme.io/p|the page>, ask <@U1>")
	if err != nil || n != "pricing at [the page](https://acme.io/p), ask <@U1>" {
		t.Errorf("CheckNote = %q, %v", n, err)
	}
	if got := ToSlack(n); got != "pricing at <https://acme.io/p|the page>, ask <@U1>" {
		t.Errorf("ToSlack(note) = %q", got)
	}
}
