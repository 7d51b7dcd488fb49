package coach_test

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"salescoach/coach"
)

// The seeds of these targets live in testdata/fuzz/<target>/.

// checkUserError fails unless err is an *coach.Error with one of codes and a
// one-line message in both languages.
func checkUserError(t *testing.T, err error, codes ...string) {
	t.Helper()
	code := coach.ErrorCode(err)
	for _, c := range codes {
		if code == c {
			e := err.(*coach.Error)
			if e.EN() == "" || e.ZH() == "" || strings.ContainsAny(e.EN()+e.ZH(), "\n\r") {
				t.Fatalf("error is not one friendly line in both languages: %+v", e)
			}
			return
		}
	}
	t.Fatalf("error %v has code %q, want one of %q", err, code, codes)
}

func FuzzParseAmount(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		m, err := coach.ParseAmount(s, "USD")
		if err != nil {
			checkUserError(t, err, coach.EInvalid)
			return
		}
		if m.Cents < 0 || m.Cents >= coach.MaxAmountCents {
			t.Fatalf("ParseAmount(%q) = %+v, out of range", s, m)
		}
		if c, err := coach.ParseCurrency(m.Currency); err != nil || c != m.Currency {
			t.Fatalf("ParseAmount(%q) = %+v, not an ISO currency", s, m)
		}
		if !coach.LooksLikeAmount(s) {
			t.Fatalf("ParseAmount(%q) succeeds but LooksLikeAmount is false", s)
		}
		out := coach.FormatMoney(m)
		back, err := coach.ParseAmount(out, "EUR")
		if err != nil || back != m {
			t.Fatalf("ParseAmount(%q) = %+v; FormatMoney gives %q which parses to %+v, %v", s, m, out, back, err)
		}
	})
}

func FuzzParseDealRef(f *testing.F) {
	f.Fuzz(func(t *testing.T, args string) {
		r, err := coach.ParseDealRef(args)
		if err != nil {
			checkUserError(t, err, coach.EInvalid)
			return
		}
		if r.Rest != strings.TrimSpace(r.Rest) {
			t.Fatalf("ParseDealRef(%q).Rest = %q, not trimmed", args, r.Rest)
		}
		switch {
		case r.Phrase != "":
			if r.Phrase != strings.Join(strings.Fields(r.Phrase), " ") || r.Search() != r.Phrase {
				t.Fatalf("ParseDealRef(%q).Phrase = %q, not collapsed", args, r.Phrase)
			}
		case len(r.Words) == 0:
			t.Fatalf("ParseDealRef(%q) = %+v: no phrase and no words", args, r)
		default:
			if r.Number < 0 || r.Search() == "" || !strings.Contains(r.Words[0], r.Search()) {
				t.Fatalf("ParseDealRef(%q) = %+v, search %q", args, r, r.Search())
			}
			for _, w := range r.Words {
				if w == "" || strings.IndexFunc(w, unicode.IsSpace) >= 0 {
					t.Fatalf("ParseDealRef(%q) word %q", args, w)
				}
			}
		}
	})
}

func FuzzResolveDeal(f *testing.F) {
	f.Fuzz(func(t *testing.T, args, name1, name2 string, number int) {
		candidates := []coach.DealName{
			{ID: 1, Number: number, Name: name1},
			{ID: 2, Number: 2, Name: name2},
			{ID: 3, Number: 3, Name: "Acme Corp"},
		}
		r, err := coach.ParseDealRef(args)
		if err != nil {
			return
		}
		d, rest, err := coach.ResolveDeal(r, candidates)
		if err != nil {
			checkUserError(t, err, coach.EInvalid, coach.ENotFound, coach.EAmbiguous)
			return
		}
		if d.ID < 1 || d.ID > 3 || d != candidates[d.ID-1] {
			t.Fatalf("ResolveDeal(%q) = %+v, not a candidate", args, d)
		}
		if rest != strings.TrimSpace(rest) || len(rest) > len(args) || !strings.Contains(args, rest) {
			t.Fatalf("ResolveDeal(%q) rest = %q, not the end of the line", args, rest)
		}
		if r.Number > 0 && r.Number == number && number != 2 && number != 3 && d.ID != 1 {
			t.Fatalf("ResolveDeal(%q) = %+v, want deal #%d", args, d, number)
		}
	})
}

func FuzzParseAddArgs(f *testing.F) {
	f.Fuzz(func(t *testing.T, args string) {
		a, err := coach.ParseAddArgs(args, "USD")
		if err != nil {
			checkUserError(t, err, coach.EInvalid)
			return
		}
		if n := utf8.RuneCountInString(a.Name); n == 0 || n > coach.MaxNameLen || !utf8.ValidString(a.Name) {
			t.Fatalf("ParseAddArgs(%q).Name = %q, %d characters", args, a.Name, n)
		}
		if again, err := coach.CheckName(a.Name); err != nil || again != a.Name {
			t.Fatalf("ParseAddArgs(%q).Name = %q, which CheckName makes %q, %v", args, a.Name, again, err)
		}
		if a.HasAmount && (a.Amount.Cents < 0 || a.Amount.Cents >= coach.MaxAmountCents || a.Amount.Currency == "") ||
			!a.HasAmount && a.Amount != (coach.Money{}) {
			t.Fatalf("ParseAddArgs(%q) amount = %+v (has %v)", args, a.Amount, a.HasAmount)
		}
		if a.Stage != "" && !a.Stage.IsOpen() {
			t.Fatalf("ParseAddArgs(%q).Stage = %q, not an open stage", args, a.Stage)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	now := time.Date(2026, 3, 4, 15, 30, 0, 0, time.FixedZone("CST", 8*3600))
	f.Fuzz(func(t *testing.T, s string) {
		d, err := coach.ParseDate(s, now)
		if err != nil {
			checkUserError(t, err, coach.EInvalid)
			return
		}
		if d.Location() != now.Location() || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("ParseDate(%q) = %v, not midnight in now's location", s, d)
		}
	})
}
