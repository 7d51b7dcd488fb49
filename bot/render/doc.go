// Package render is what users see: a Reply (text, sections, buttons) and
// its Block Kit and plain-text forms, the weekly digest, the stats text, the
// App Home tab and the modals. It reads no database and calls no Slack: it
// takes the data and a Viewer (language, time zone, the time) and returns
// what to show, so cmd/salescoach prints reports and digests with it alone.
// Its message catalog (catalog.go, catalog/*.txt) holds the wording of
// coach's and db's errors, which carry only a key and values.
package render
