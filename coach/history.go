package coach

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// HistoryColumns are the columns of the stage-history CSV of §8, in the order
// export writes them. Import finds them by name, in any order; other columns
// are ignored.
var HistoryColumns = []string{"deal_id", "name", "owner", "amount", "currency", "stage", "entered_at", "reason"}

// MaxExternalIDLen bounds a deal_id, in characters.
const MaxExternalIDLen = 100

// HistoryRow is one row of a stage-history file: one stage entry of a deal,
// with the deal's attributes as that row states them.
type HistoryRow struct {
	Line      int    // the row's line in the file (the header is line 1); 0 when not from a file
	DealID    string // the external id
	Name      string
	Owner     string // a Slack user id
	Amount    Money  // Currency is "" when the row names none: the team's reporting currency
	HasAmount bool
	Stage     Stage      // an open stage, Won or Lost
	At        time.Time  // UTC, to the microsecond
	Reason    LostReason // on Lost rows
	Text      string     // the lost reason's free text
}

// HistoryNote is a note on a deal of a history, for the demo team: the
// stage-history file has none.
type HistoryNote struct {
	DealID string
	Author string
	At     time.Time
	Text   string
}

// HistoryDue is an expected close date set on a deal of a history (Date
// zero: cleared), for the demo team: the stage-history file has none.
type HistoryDue struct {
	DealID string
	Author string
	At     time.Time
	Date   time.Time // the day, midnight UTC
}

// History is what an import adds to a team: stage entries, notes, and close
// dates.
type History struct {
	Rows  []HistoryRow
	Notes []HistoryNote
	Dues  []HistoryDue
}

// ImportResult says what an import changed.
type ImportResult struct {
	Rows         int // rows read
	NewDeals     int // deals created
	Updated      int // existing deals that got new entries or attributes
	Events       int // events appended (stage entries, edits and notes)
	AlreadyThere int // rows and notes skipped because the team already had them
}

// RowError says why a row of a history was refused.
type RowError struct {
	Line int
	Err  *Error
}

// Error returns "line N: " and the error's key and arguments, for logs.
func (e RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Err.Error()) }

// ImportError refuses a whole import because of bad rows: nothing was
// imported.
type ImportError struct {
	Rows []RowError
}

// Error lists every bad row, one a line.
func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "nothing imported: %d bad %s", len(e.Rows), plural(len(e.Rows), "row", "rows"))
	for _, r := range e.Rows {
		b.WriteString("\n" + r.Error())
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func rowErr(line int, err *Error) RowError { return RowError{Line: line, Err: err} }

// ParseHistoryCSV reads a stage-history file (§8) and returns its rows, or
// every problem found, each with its line number: a missing column, an
// unknown stage, a time that is not RFC 3339, a reason on a row that is not
// lost, rows of a deal out of order or repeating a stage, a won or lost row
// that does not follow an open stage, a bad amount or currency, an empty
// name, owner or deal id. A lost reason is a code or alias of ParseLostReason
// ("no decision", "price: too high"); unknown text is kept as the free text
// of reason other. A row without a currency is in the team's currency.
// Times are kept to the microsecond, as the database stores them.
func ParseHistoryCSV(r io.Reader) ([]HistoryRow, []RowError) {
	hr := NewHistoryReader(r)
	var (
		rows []HistoryRow
		errs []RowError
		seq  HistorySequence
	)
	for {
		row, ok := hr.Next()
		if !ok {
			break
		}
		if e := seq.Check(row); e != nil {
			errs = append(errs, *e)
			continue
		}
		rows = append(rows, row)
	}
	errs = append(hr.Errors(), errs...)
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b RowError) int { return a.Line - b.Line })
		return nil, errs
	}
	return rows, nil
}

// HistoryReader reads a stage-history file (§8) row by row, so a file of any
// size is read in little memory. Next returns the rows whose fields are
// good; Errors lists the rest, and the problems of the file itself.
type HistoryReader struct {
	cr   *csv.Reader
	col  map[string]int
	errs []RowError
	read int // data rows read, good or bad
	done bool
}

// NewHistoryReader reads the header of a stage-history file.
func NewHistoryReader(r io.Reader) *HistoryReader {
	h := &HistoryReader{cr: csv.NewReader(r)}
	h.cr.FieldsPerRecord = -1
	h.cr.ReuseRecord = true
	header, err := h.cr.Read()
	if err != nil {
		h.done = true
		if errors.Is(err, io.EOF) {
			h.errs = []RowError{rowErr(1, Fail(EInvalid, "history.empty", Args{"columns": strings.Join(HistoryColumns, ",")}))}
			return h
		}
		h.errs = []RowError{csvError(err)}
		return h
	}
	h.col, h.errs = historyHeader(header)
	h.done = h.errs != nil
	return h
}

// Next returns the next row whose fields are good on their own, and false at
// the end of the file or where the CSV itself breaks (a stray quote: what
// follows cannot be trusted). Rows of one deal are not checked against each
// other: HistorySequence does that.
func (h *HistoryReader) Next() (HistoryRow, bool) {
	for !h.done {
		rec, err := h.cr.Read()
		if errors.Is(err, io.EOF) {
			h.done = true
			if h.read == 0 && len(h.errs) == 0 {
				h.errs = []RowError{rowErr(1, Fail(EInvalid, "history.no_rows", nil))}
			}
			break
		}
		if err != nil {
			h.done = true
			h.errs = append(h.errs, csvError(err))
			break
		}
		h.read++
		line, _ := h.cr.FieldPos(0)
		field := func(name string) string {
			if i := h.col[name]; i < len(rec) {
				if textColumn[name] {
					return strings.TrimSpace(unguardCell(rec[i]))
				}
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row, rerrs := parseHistoryRow(line, field)
		if len(rerrs) > 0 {
			h.errs = append(h.errs, rerrs...)
			continue
		}
		return row, true
	}
	return HistoryRow{}, false
}

// Errors returns the problems found so far, in the order of the file.
func (h *HistoryReader) Errors() []RowError { return h.errs }

// Rows returns how many data rows were read, good or bad.
func (h *HistoryReader) Rows() int { return h.read }

// HistorySequence checks the rows of deals against each other in the order
// of a file: each deal's rows oldest first, consecutive rows in different
// stages, an outcome after an open stage. It remembers the last good row of
// every deal it was given; Reset forgets them (a caller that hands it one
// deal at a time keeps it small).
type HistorySequence struct {
	last map[string]HistoryRow
}

// Check returns why row does not follow the previous good row of its deal,
// or nil and remembers row as that deal's last.
func (q *HistorySequence) Check(row HistoryRow) *RowError {
	if q.last == nil {
		q.last = map[string]HistoryRow{}
	}
	if prev, ok := q.last[row.DealID]; ok {
		if e := CheckNextEntry(prev.Stage, prev.At, row.Stage, row.At); e != nil {
			return &RowError{Line: row.Line, Err: withLine(e, prev.Line)}
		}
	}
	q.last[row.DealID] = row
	return nil
}

// Reset forgets every deal.
func (q *HistorySequence) Reset() { clear(q.last) }

func csvError(err error) RowError {
	line := 1
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		line = pe.Line
	}
	return rowErr(line, Fail(EInvalid, "history.bad_csv", Args{"reason": csvReason(err)}))
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// historyHeader maps each column of §8 to its index in the header row.
func historyHeader(header []string) (map[string]int, []RowError) {
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))) // a spreadsheet's byte-order mark
		if _, dup := col[h]; dup && h != "" {
			return nil, []RowError{rowErr(1, Fail(EInvalid, "history.column_twice", Args{"column": Quoted(h)}))}
		}
		col[h] = i
	}
	var missing []string
	for _, c := range HistoryColumns {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		want := strings.Join(HistoryColumns, ",")
		return nil, []RowError{rowErr(1, Fail(EInvalid, "history.columns_missing", Args{"missing": Joined(missing), "columns": want}))}
	}
	return col, nil
}

// parseHistoryRow checks the fields of one row on their own.
func parseHistoryRow(line int, field func(string) string) (HistoryRow, []RowError) {
	row := HistoryRow{Line: line, DealID: field("deal_id"), Owner: field("owner")}
	var errs []RowError
	bad := func(err error) {
		var e *Error
		if !errors.As(err, &e) {
			e = Fail(EInvalid, "text", Args{"text": err.Error()})
		}
		errs = append(errs, RowError{Line: line, Err: e})
	}

	switch n := utf8.RuneCountInString(row.DealID); {
	case n == 0:
		bad(Fail(EInvalid, "history.no_deal_id", nil))
	case n > MaxExternalIDLen || !utf8.ValidString(row.DealID) || strings.IndexFunc(row.DealID, unicode.IsControl) >= 0:
		bad(Fail(EInvalid, "history.bad_deal_id", Args{"max": MaxExternalIDLen}))
	}

	name, err := CheckName(field("name"))
	if err != nil {
		bad(err)
	}
	row.Name = name

	if !IsUserID(row.Owner) {
		bad(Fail(EInvalid, "history.bad_owner", Args{"owner": Quoted(row.Owner)}))
	}

	cur := field("currency")
	if cur != "" {
		c, err := ParseCurrency(cur)
		if err != nil {
			bad(err)
		}
		cur = c
	}
	if a := field("amount"); a != "" {
		m, err := ParseAmount(a, "USD")
		if err != nil {
			bad(err)
		} else {
			// An amount that names its currency ($12,000) must agree with the column.
			other, _ := ParseAmount(a, "EUR")
			if named := other.Currency == m.Currency; !named {
				m.Currency = cur
			} else if cur != "" && m.Currency != cur {
				bad(Fail(EInvalid, "history.currency_mismatch", Args{"amount": Quoted(a), "currency": cur}))
			}
			row.Amount, row.HasAmount = m, true
		}
	} else {
		row.Amount.Currency = cur
	}

	// §8: a stage key (prospecting … closing), won or lost, in any case;
	// not a stage's name or alias (Demo), which /deal move reads.
	stage := field("stage")
	st := Stage(strings.ToLower(stage))
	stageOK := st.IsEntry()
	if !stageOK {
		switch named, err := ParseStage(stage); {
		case err != nil:
			bad(err) // a typo: the closest stage is suggested
		case named == Retention:
			bad(Fail(EInvalid, "history.stage_not_key", Args{"stage": Quoted(stage), "key": string(Won)}))
		case named.IsEntry():
			bad(Fail(EInvalid, "history.stage_not_key", Args{"stage": Quoted(stage), "key": string(named)}))
		default:
			bad(Fail(EInvalid, "history.unknown_stage", Args{"stage": Quoted(stage)}))
		}
	}
	row.Stage = st

	at := field("entered_at")
	t, err := time.Parse(time.RFC3339, at)
	switch {
	case err != nil:
		bad(Fail(EInvalid, "history.bad_time", Args{"at": Quoted(at)}))
	case t.UTC().Year() < 1900 || t.UTC().Year() > 9999:
		// A zone offset can push year 0000 or 9999 out of what RFC 3339
		// (and the export) can write.
		bad(Fail(EInvalid, "history.time_range", Args{"at": Quoted(at)}))
	}
	row.At = t.UTC().Truncate(time.Microsecond)

	reason := field("reason")
	switch {
	case reason != "" && st != Lost && stageOK:
		bad(Fail(EInvalid, "history.reason_not_lost", Args{"reason": Quoted(reason), "stage": string(st)}))
	case st == Lost:
		row.Reason, row.Text = ParseLostReason(reason)
		// Text never starts with what could separate it from a code, so that
		// "code: text" reads back the same.
		row.Text = strings.TrimLeftFunc(row.Text, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(reasonPunct, r) })
		if utf8.RuneCountInString(row.Text) > MaxNoteLen {
			bad(Fail(EInvalid, "history.reason_too_long", Args{"max": MaxNoteLen}))
		}
	}
	return row, errs
}

// IsUserID reports whether s looks like a Slack user id: U or W, then capital
// letters and digits.
func IsUserID(s string) bool {
	if len(s) < 2 || (s[0] != 'U' && s[0] != 'W') {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// CheckNextEntry checks that a deal whose latest stage entry is prev (at
// prevAt; "" for a deal with no entry yet) may next enter stage next at at:
// later in time, a different stage, and an outcome only after an open stage
// or as the deal's first entry. It returns an EInvalid error saying which
// rule the entry breaks.
func CheckNextEntry(prev Stage, prevAt time.Time, next Stage, at time.Time) *Error {
	if prev == "" {
		return nil
	}
	switch {
	case !at.After(prevAt):
		return Fail(EInvalid, "history.out_of_order", Args{"at": at.Format(time.RFC3339), "prev": prevAt.Format(time.RFC3339)})
	case next == prev:
		return Fail(EInvalid, "history.same_stage", Args{"stage": string(next)})
	case (next == Won || next == Lost) && !prev.IsOpen():
		return Fail(EInvalid, "history.outcome_after_closed", Args{"stage": string(next), "prev": string(prev)})
	}
	return nil
}

// withLine adds "(line N)" naming the previous row to a cross-row error.
func withLine(e *Error, prevLine int) *Error {
	return Fail(e.Code, "history.previous_row", Args{"error": e, "line": prevLine})
}

// EntryKind returns the kind of event that records a deal entering next
// after its latest entry prev ("" when it has none): its creation, a move,
// closing it won or lost, or reopening it (an open stage after an outcome).
func EntryKind(prev, next Stage) EventKind {
	switch {
	case prev == "":
		return EvCreate
	case next == Won:
		return EvWon
	case next == Lost:
		return EvLost
	case prev == Won || prev == Lost:
		return EvReopen
	}
	return EvMove
}

// ExportID returns the deal_id a deal is exported under: its external id, or
// SC-<number> for a deal made in Slack.
func ExportID(externalID string, number int) string {
	if externalID != "" {
		return externalID
	}
	return "SC-" + strconv.Itoa(number)
}

// ExportNumber returns the deal number of an id made by ExportID for a deal
// made in Slack, and false for any other id.
func ExportNumber(dealID string) (int, bool) {
	rest, ok := strings.CutPrefix(dealID, "SC-")
	if !ok || rest == "" || rest[0] == '0' {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n > 0 && strconv.Itoa(n) == rest
}

// Exportable returns a deal's live stage entries (oldest first) as a history
// the format accepts: an entry into the stage the deal is already in is
// dropped, and of two outcomes in a row (won, then lost) only the later one is
// kept. Both can only arise when an undo cancels the change between them.
func Exportable(rows []HistoryRow) []HistoryRow {
	out := make([]HistoryRow, 0, len(rows))
	for _, r := range rows {
		n := len(out)
		switch {
		case n > 0 && out[n-1].DealID != r.DealID:
			out = append(out, r)
		case n > 0 && out[n-1].Stage == r.Stage && r.Stage.IsOpen():
			// already there
		case n > 0 && !out[n-1].Stage.IsOpen() && !r.Stage.IsOpen():
			out[n-1] = r
		default:
			out = append(out, r)
		}
	}
	return out
}

// WriteHistoryCSV writes rows in the stage-history format of §8, header
// first. A lost row's reason is its code, followed by ": " and the free text
// when there is some, which ParseHistoryCSV reads back.
func WriteHistoryCSV(w io.Writer, rows []HistoryRow) error {
	cw := csv.NewWriter(w)
	cw.Write(HistoryColumns)
	for _, r := range rows {
		amount := ""
		if r.HasAmount {
			amount = formatCents(r.Amount.Cents)
		}
		reason := ""
		if r.Stage == Lost {
			reason = string(r.Reason)
			if reason == "" {
				reason = string(ReasonOther)
			}
			if r.Text != "" {
				reason += ": " + ToPlain(r.Text) // a link as "label (url)"
			}
		}
		cw.Write([]string{guardCell(r.DealID), guardCell(LinkLabels(r.Name)), r.Owner, amount, r.Amount.Currency, string(r.Stage),
			r.At.UTC().Format(time.RFC3339Nano), guardCell(reason)})
	}
	cw.Flush()
	return cw.Error()
}

// textColumn names the columns that hold user text, which export guards
// against spreadsheet formulas.
var textColumn = map[string]bool{"deal_id": true, "name": true, "reason": true}

// formulaStart reports whether a spreadsheet would run a cell that starts
// with s: a formula (=, +, -, @), or one after a tab or carriage return.
func formulaStart(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

// guardCell keeps a spreadsheet from running a cell of user text: text that
// would start a formula gets a leading apostrophe, which spreadsheets show as
// text. Text that already starts with apostrophes before such a character
// gets one more, so that unguardCell gives back exactly the text.
func guardCell(s string) string {
	if formulaStart(strings.TrimLeft(s, "'")) {
		return "'" + s
	}
	return s
}

// unguardCell undoes guardCell: one apostrophe comes off a cell whose rest,
// past its apostrophes, would start a formula.
func unguardCell(s string) string {
	if rest, ok := strings.CutPrefix(s, "'"); ok && formulaStart(strings.TrimLeft(rest, "'")) {
		return rest
	}
	return s
}

// HistoryCSV returns rows as the bytes of a stage-history file.
func HistoryCSV(rows []HistoryRow) []byte {
	var b bytes.Buffer
	WriteHistoryCSV(&b, rows) // a bytes.Buffer does not fail
	return b.Bytes()
}

// formatCents writes an amount for a file: 12000, 12000.5 → 12000.50.
func formatCents(c int64) string {
	s := strconv.FormatInt(c/100, 10)
	if c%100 != 0 {
		s += fmt.Sprintf(".%02d", c%100)
	}
	return s
}
