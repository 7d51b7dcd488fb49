package coach

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes.
const (
	EInvalid     = "invalid"     // the input is malformed
	ENotFound    = "not_found"   // no such deal, stage, …
	EAmbiguous   = "ambiguous"   // a reference matches several deals
	EForbidden   = "forbidden"   // the caller may not do this
	EConflict    = "conflict"    // the change is already made or no longer applies
	EUnavailable = "unavailable" // the database cannot be reached
	EInternal    = "internal"    // a bug or an unexpected failure
)

// Error is an error safe to show a user. It carries no sentence: Key names a
// message of the catalog (bot/render/catalog) and Args fill its placeholders,
// so the wording, the languages and the command names live in one place.
// Code is the kind of failure, which the metrics count.
type Error struct {
	Code string
	Key  string
	Args Args
}

// Args are the values of a message's placeholders, by name. A value is shown
// as it is, except a Text, shown in the reader's language, and an *Error,
// whose message is shown.
type Args map[string]any

// Error returns the key and the arguments, for logs; users see the catalog's
// rendering (bot/render.ErrorMessage).
func (e *Error) Error() string {
	if len(e.Args) == 0 {
		return e.Key
	}
	names := make([]string, 0, len(e.Args))
	for n := range e.Args {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(e.Key)
	for i, n := range names {
		if i == 0 {
			b.WriteString(" (")
		} else {
			b.WriteString(", ")
		}
		switch v := e.Args[n].(type) {
		case Text:
			fmt.Fprintf(&b, "%s=%q", n, v.EN)
		case *Error:
			fmt.Fprintf(&b, "%s=[%s]", n, v.Error())
		case string:
			fmt.Fprintf(&b, "%s=%q", n, v)
		default:
			fmt.Fprintf(&b, "%s=%v", n, v)
		}
	}
	b.WriteString(")")
	return b.String()
}

// Fail returns an *Error of code showing the catalog's message key with args.
func Fail(code, key string, args Args) *Error { return &Error{Code: code, Key: key, Args: args} }

// Both returns a Text of en and zh, for an argument that differs between the
// languages.
func Both(en, zh string) Text { return Text{EN: en, ZH: zh} }

// Quoted returns what the user typed, shortened to one line and quoted the way
// each language quotes.
func Quoted(s string) Text { return Text{EN: quoteInput(s), ZH: quoteInputZH(s)} }

// Joined returns list joined the way each language lists things.
func Joined(list []string) Text {
	return Text{EN: strings.Join(list, ", "), ZH: strings.Join(list, "、")}
}

// Named returns the stage's display name in both languages.
func (s Stage) Named() Text { return Text{EN: s.Name(EN), ZH: s.Name(ZH)} }

// ErrUnavailable is returned by the store when the database cannot be reached.
var ErrUnavailable = Fail(EUnavailable, "unavailable", nil)

// ErrInterrupted is ErrUnavailable for a request that lost the database
// partway through, after it may have written: a statement whose answer was
// lost may have been committed, so "nothing was saved" would not be true.
var ErrInterrupted = Fail(EUnavailable, "interrupted", nil)

// ErrorCode returns the code of err when it is or wraps an *Error, and
// EInternal otherwise ("" for nil).
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EInternal
}

// Command names a row of the command table ("deal won"), for an argument
// that is a command; the catalog shows it as CommandText has it typed.
type Command string

// Message is a sentence of the catalog, for an argument that is a sentence
// itself (the list of stages one may type, say).
type Message struct {
	Key  string
	Args Args
}

// Msg returns the catalog's message key with args, for an argument.
func Msg(key string, args Args) Message { return Message{Key: key, Args: args} }
