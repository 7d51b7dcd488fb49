package render

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"salescoach/coach"
)

// The message catalog: one file per language, catalog/en.txt and
// catalog/zh.txt, each line a key, " = " and the message. A message names its
// values as {name}, filled from the arguments, and a command as
// {cmd:deal list}, which shows as coach's command table says it is typed
// (coach.CommandText: an alias such as {cmd:deal win} shows as /deal won);
// {n:deal|deals} shows the first word when the value n is 1 and the second
// otherwise. A message that starts or ends with a space is written in double
// quotes, as in Go. coach and db return errors as a key and arguments; the
// wording lives here only.
//
//go:embed catalog/*.txt
var catalogFiles embed.FS

// catalog holds the messages by language and key, read once from the
// embedded files; it is never changed after.
var catalog = mustReadCatalog()

func mustReadCatalog() map[coach.Lang]map[string]string {
	c := map[coach.Lang]map[string]string{}
	for _, lang := range []coach.Lang{coach.EN, coach.ZH} {
		m, err := readCatalog(string(lang))
		if err != nil {
			panic(err) // embedded at build time; the tests read the same files
		}
		c[lang] = m
	}
	return c
}

func readCatalog(lang string) (map[string]string, error) {
	f, err := catalogFiles.Open("catalog/" + lang + ".txt")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, msg, ok := strings.Cut(line, " = ")
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			return nil, fmt.Errorf("catalog/%s.txt:%d: want key = message", lang, n)
		}
		if strings.HasPrefix(msg, `"`) && strings.HasSuffix(msg, `"`) && len(msg) > 1 {
			if msg, err = strconv.Unquote(msg); err != nil {
				return nil, fmt.Errorf("catalog/%s.txt:%d: %v", lang, n, err)
			}
		}
		if _, dup := m[key]; dup {
			return nil, fmt.Errorf("catalog/%s.txt:%d: %s is defined twice", lang, n, key)
		}
		m[key] = msg
	}
	return m, sc.Err()
}

// Msg returns the catalog's message key in lang with its placeholders filled
// from args; a key the catalog lacks is returned as it is (the tests keep
// every key used in both languages).
func Msg(lang coach.Lang, key string, args coach.Args) string {
	if lang != coach.ZH {
		lang = coach.EN
	}
	tmpl, ok := catalog[lang][key]
	if !ok {
		return key
	}
	return fill(tmpl, lang, args)
}

// fill replaces the placeholders of tmpl: {name} by args[name] in lang and
// {cmd:root name} by the command as the table has it typed. An unknown
// placeholder stays.
func fill(tmpl string, lang coach.Lang, args coach.Args) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(tmpl[:i])
		name := tmpl[i+1 : i+j]
		arg, forms, plural := strings.Cut(name, ":")
		switch v, ok := args[arg]; {
		case strings.HasPrefix(name, "cmd:"):
			b.WriteString(commandText(strings.TrimPrefix(name, "cmd:")))
		case plural && ok:
			one, many, _ := strings.Cut(forms, "|")
			if fmt.Sprint(v) == "1" {
				b.WriteString(one)
			} else {
				b.WriteString(many)
			}
		case ok:
			b.WriteString(argText(v, lang))
		default:
			b.WriteString(tmpl[i : i+j+1])
		}
		tmpl = tmpl[i+j+1:]
	}
	b.WriteString(tmpl)
	return b.String()
}

// commandText returns how a command of the table is typed, e.g. "/deal list"
// for "deal list", from coach's command table. The tests hold every command
// the catalog names to a row of it.
func commandText(ref string) string { return coach.CommandText(ref) }

func argText(v any, lang coach.Lang) string {
	switch v := v.(type) {
	case string:
		return v
	case coach.Text:
		if lang == coach.ZH {
			return v.ZH
		}
		return v.EN
	case *coach.Error:
		return Msg(lang, v.Key, v.Args)
	case coach.Message:
		return Msg(lang, v.Key, v.Args)
	case coach.Command:
		return commandText(string(v))
	}
	return fmt.Sprint(v)
}

// ErrorMessage returns the user-facing message of err in lang when it is or
// wraps a *coach.Error, and a generic apology otherwise.
func ErrorMessage(err error, lang coach.Lang) string {
	var e *coach.Error
	if errors.As(err, &e) {
		return Msg(lang, e.Key, e.Args)
	}
	return Msg(lang, "internal", nil)
}

// catalogCommands returns the commands the catalog's messages name, as
// "root name" ("deal list"), each once, for the test that holds them to the
// command table.
func catalogCommands() []string {
	seen := map[string]bool{}
	var out []string
	for _, msgs := range catalog {
		for _, m := range msgs {
			for _, p := range placeholders(m) {
				if ref, ok := strings.CutPrefix(p, "cmd:"); ok && !seen[ref] {
					seen[ref] = true
					out = append(out, ref)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// placeholders returns the names between braces in tmpl, in order.
func placeholders(tmpl string) []string {
	var out []string
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			return out
		}
		out = append(out, tmpl[i+1:i+j])
		tmpl = tmpl[i+j+1:]
	}
}

// pick returns one when cond holds and other otherwise: the key of a
// message's singular form or its plural.
func pick(cond bool, one, other string) string {
	if cond {
		return one
	}
	return other
}
