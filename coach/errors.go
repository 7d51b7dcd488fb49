package coach

import (
	"errors"
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

// Error is an error safe to show a user: one friendly line in English and in
// Chinese saying what was wrong and, where it helps, the correct form.
type Error struct {
	Code string
	EN   string
	ZH   string
}

func (e *Error) Error() string { return e.EN }

// Msg returns the message in lang.
func (e *Error) Msg(lang Lang) string { return lang.T(e.EN, e.ZH) }

// Fail returns an *Error with code and its message in both languages.
func Fail(code, en, zh string) *Error { return &Error{Code: code, EN: en, ZH: zh} }

// ErrUnavailable is returned by the store when the database cannot be reached.
var ErrUnavailable = Fail(EUnavailable,
	"Sales Coach is temporarily unavailable, nothing was saved. Please try again in a minute.",
	"Sales Coach 暂时不可用，本次操作没有保存任何内容。请稍后再试。")

// ErrInterrupted is ErrUnavailable for a request that lost the database
// partway through, after it may have written: a statement whose answer was
// lost may have been committed, so "nothing was saved" would not be true.
var ErrInterrupted = Fail(EUnavailable,
	"Sales Coach lost its database partway through, so this change may or may not have been saved. Please check with /deal list or /deal show in a minute before trying again.",
	"Sales Coach 处理到一半时与数据库断开了连接，这次改动可能已经保存，也可能没有。请一分钟后用 /deal list 或 /deal show 查看，再决定是否重试。")

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

// ErrorMessage returns the user-facing message of err in lang when it is or
// wraps an *Error, and a generic apology otherwise.
func ErrorMessage(err error, lang Lang) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Msg(lang)
	}
	return lang.T("Something went wrong on our side and nothing was saved. Please try again.",
		"系统出了点问题，本次操作没有保存任何内容。请再试一次。")
}
