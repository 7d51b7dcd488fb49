package coach

// ErrorMessage renders err in lang through the message catalog of
// bot/render. coach cannot import bot/render; catalog_test.go, in package
// coach_test, sets it before the tests run.
var ErrorMessage func(err error, lang Lang) string

// EN returns e's message in English, for the tests.
func (e *Error) EN() string { return ErrorMessage(e, EN) }

// ZH returns e's message in Chinese, for the tests.
func (e *Error) ZH() string { return ErrorMessage(e, ZH) }
