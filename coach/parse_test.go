package coach_test

import (
	"strings"
	"testing"
	"time"

	"salescoach/coach"
)

// mustCode fails the test unless err is an *coach.Error with code whose
// English message contains want and which has a Chinese message.
func mustCode(t *testing.T, err error, code, want string) {
	t.Helper()
	if got := coach.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
	e := err.(*coach.Error)
	if !strings.Contains(e.EN(), want) {
		t.Errorf("message %q does not mention %q", e.EN(), want)
	}
	if e.ZH() == "" || strings.ContainsAny(e.EN()+e.ZH(), "\n\r") {
		t.Errorf("message is not one line in both languages: %+v", e)
	}
}

func TestParseStage(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for _, tt := range []struct {
			in   string
			want coach.Stage
		}{
			{"prospecting", coach.Prospecting},
			{"Prospecting", coach.Prospecting},
			{"prospect", coach.Prospecting},
			{"lead", coach.Prospecting},
			{"勘探", coach.Prospecting},
			{"潜在客户开发", coach.Prospecting},
			{"contact", coach.Contact},
			{"Initial contact", coach.Contact},
			{"initial-contact", coach.Contact},
			{"initial_contact", coach.Contact},
			{"  initial    contact ", coach.Contact},
			{"first contact", coach.Contact},
			{"intro", coach.Contact},
			{"初次接触", coach.Contact},
			{"qualification", coach.Qualification},
			{"QUALIFICATION", coach.Qualification},
			{"qual", coach.Qualification},
			{"qualify", coach.Qualification},
			{"discovery", coach.Qualification},
			{"资格审查", coach.Qualification},
			{"presentation", coach.Presentation},
			{"present", coach.Presentation},
			{"demo", coach.Presentation},
			{"Demo", coach.Presentation},
			{"pitch", coach.Presentation},
			{"Presentation / demo", coach.Presentation},
			{"演示", coach.Presentation},
			{"推介", coach.Presentation},
			{"演示推介", coach.Presentation},
			{"objections", coach.Objections},
			{"objection", coach.Objections},
			{"Objection handling", coach.Objections},
			{"objection-handling", coach.Objections},
			{"异议处理", coach.Objections},
			{"closing", coach.Closing},
			{"close", coach.Closing},
			{"完成销售", coach.Closing},
			{"成交", coach.Closing},
			{"won", coach.Won},
			{"WIN", coach.Won},
			{"retention", coach.Retention},
			{"follow-up", coach.Retention},
			{"followup", coach.Retention},
			{"follow up", coach.Retention},
			{"Follow-up & retention", coach.Retention},
			{"跟进和客户保留", coach.Retention},
			{"客户保留", coach.Retention},
			{"跟进", coach.Retention},
			{"赢单", coach.Won},
			{"lost", coach.Lost},
			{"lose", coach.Lost},
			{"丢单", coach.Lost},
		} {
			t.Run(tt.in, func(t *testing.T) {
				got, err := coach.ParseStage(tt.in)
				if err != nil {
					t.Fatalf("ParseStage(%q): %v", tt.in, err)
				}
				if got != tt.want {
					t.Errorf("ParseStage(%q) = %q, want %q", tt.in, got, tt.want)
				}
			})
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		for _, tt := range []struct{ in, want string }{
			{"qualifcation", `Unknown stage "qualifcation". Did you mean qualification?`},
			{"presentaton", "Did you mean presentation?"},
			{"demp", "Did you mean demo?"},
			{"objectoins", "Did you mean objections?"},
			{"closng", "Did you mean closing?"},
			{"initial contcat", "Did you mean initial contact?"},
			{"xyzzy", "Use one of: prospecting, contact, qualification, presentation, objections, closing, won, lost."},
			{"negotiation", "Use one of:"},
			{"", "Which stage?"},
			{"   ", "Which stage?"},
			{strings.Repeat("demo", 2500), "Use one of:"},
			{"Robert'); DROP TABLE deals;--", "Use one of:"},
		} {
			t.Run(tt.in, func(t *testing.T) {
				_, err := coach.ParseStage(tt.in)
				mustCode(t, err, coach.EInvalid, tt.want)
			})
		}
	})

	t.Run("ChineseMessage", func(t *testing.T) {
		_, err := coach.ParseStage("qualifcation")
		want := "未知阶段“qualifcation”。您是想输入 qualification 吗？"
		if got := coach.ErrorMessage(err, coach.ZH); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

func TestSplitTrailingStage(t *testing.T) {
	for _, tt := range []struct {
		name      string
		in        string
		wantRest  string
		wantStage coach.Stage
		wantOK    bool
	}{
		{"OneWord", "Acme Corp demo", "Acme Corp", coach.Presentation, true},
		{"TwoWords", "acme initial contact", "acme", coach.Contact, true},
		{"ThreeWords", "Globex follow-up and retention", "Globex", coach.Retention, true},
		{"LongestFirst", "Acme objection handling", "Acme", coach.Objections, true},
		{"OnlyStage", "closing", "", coach.Closing, true},
		{"Chinese", "深圳科技 8万 演示", "深圳科技 8万", coach.Presentation, true},
		{"NoStage", "Acme Corp 12k", "Acme Corp 12k", "", false},
		{"Empty", "", "", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rest, stage, ok := coach.SplitTrailingStage(strings.Fields(tt.in))
			if got := strings.Join(rest, " "); got != tt.wantRest || stage != tt.wantStage || ok != tt.wantOK {
				t.Errorf("SplitTrailingStage(%q) = %q, %q, %v, want %q, %q, %v", tt.in, got, stage, ok, tt.wantRest, tt.wantStage, tt.wantOK)
			}
		})
	}
}

func TestParseLostReason(t *testing.T) {
	for _, tt := range []struct {
		in       string
		want     coach.LostReason
		wantText string
	}{
		{"price too high", coach.ReasonPrice, "too high"},
		{"Price: too high", coach.ReasonPrice, "too high"},
		{"price", coach.ReasonPrice, ""},
		{"budget cut in Q3", coach.ReasonPrice, "cut in Q3"},
		{"too expensive for them", coach.ReasonPrice, "for them"},
		{"expensive", coach.ReasonPrice, ""},
		{"timing next year maybe", coach.ReasonTiming, "next year maybe"},
		{"later", coach.ReasonTiming, ""},
		{"authority CFO said no", coach.ReasonAuthority, "CFO said no"},
		{"need", coach.ReasonNeed, ""},
		{"no need for it", coach.ReasonNeed, "for it"},
		{"trust", coach.ReasonTrust, ""},
		{"risk - security review failed", coach.ReasonTrust, "security review failed"},
		{"no-decision", coach.ReasonNoDecision, ""},
		{"no decision", coach.ReasonNoDecision, ""},
		{"No Decision went quiet", coach.ReasonNoDecision, "went quiet"},
		{"nodecision", coach.ReasonNoDecision, ""},
		{"indecision", coach.ReasonNoDecision, ""},
		{"competitor Globex was cheaper", coach.ReasonCompetitor, "Globex was cheaper"},
		{"competition", coach.ReasonCompetitor, ""},
		{"other", coach.ReasonOther, ""},
		{"other reorg", coach.ReasonOther, "reorg"},
		{"价格 太高", coach.ReasonPrice, "太高"},
		{"价格：太高", coach.ReasonPrice, "太高"},
		{"价格太高", coach.ReasonPrice, "价格太高"},
		{"太贵", coach.ReasonPrice, ""},
		{"太贵了", coach.ReasonPrice, "太贵了"},
		{"时机", coach.ReasonTiming, ""},
		{"决策权 老板不同意", coach.ReasonAuthority, "老板不同意"},
		{"需求", coach.ReasonNeed, ""},
		{"信任", coach.ReasonTrust, ""},
		{"风险", coach.ReasonTrust, ""},
		{"无决定", coach.ReasonNoDecision, ""},
		{"没有决定", coach.ReasonNoDecision, ""},
		{"竞争对手 价格更低", coach.ReasonCompetitor, "价格更低"},
		{"其他", coach.ReasonOther, ""},
		{"they went with a spreadsheet", coach.ReasonOther, "they went with a spreadsheet"},
		{"priceless", coach.ReasonOther, "priceless"},
		{"", coach.ReasonOther, ""},
		{"  ", coach.ReasonOther, ""},
		{"Robert'); DROP TABLE deals;--", coach.ReasonOther, "Robert'); DROP TABLE deals;--"},
		{"🚀 rocket", coach.ReasonOther, "🚀 rocket"},
	} {
		t.Run(tt.in, func(t *testing.T) {
			got, text := coach.ParseLostReason(tt.in)
			if got != tt.want || text != tt.wantText {
				t.Errorf("ParseLostReason(%q) = %q, %q, want %q, %q", tt.in, got, text, tt.want, tt.wantText)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip("no tz data:", err)
	}
	// Wednesday 4 March 2026, 15:30 in Shanghai.
	now := time.Date(2026, 3, 4, 15, 30, 0, 0, shanghai)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, shanghai) }

	t.Run("OK", func(t *testing.T) {
		for _, tt := range []struct {
			in   string
			want time.Time
		}{
			{"2026-03-01", day(2026, 3, 1)},
			{"2026-3-9", day(2026, 3, 9)},
			{"2027-12-31", day(2027, 12, 31)},
			{"today", day(2026, 3, 4)},
			{"Tomorrow", day(2026, 3, 5)},
			{"明天", day(2026, 3, 5)},
			{"3d", day(2026, 3, 7)},
			{"3 days", day(2026, 3, 7)},
			{"30d", day(2026, 4, 3)},
			{"0d", day(2026, 3, 4)},
			{"2w", day(2026, 3, 18)},
			{"2W", day(2026, 3, 18)},
			{"1 week", day(2026, 3, 11)},
			{"3天", day(2026, 3, 7)},
			{"2周", day(2026, 3, 18)},
			{"thursday", day(2026, 3, 5)},
			{"Friday", day(2026, 3, 6)},
			{"fri", day(2026, 3, 6)},
			{"next friday", day(2026, 3, 6)},
			{"wednesday", day(2026, 3, 11)}, // strictly after today
			{"wed", day(2026, 3, 11)},
			{"tue", day(2026, 3, 10)},
			{"mon", day(2026, 3, 9)},
			{"sunday", day(2026, 3, 8)},
			{"周一", day(2026, 3, 9)},
			{"周三", day(2026, 3, 11)},
			{"周日", day(2026, 3, 8)},
			{"周天", day(2026, 3, 8)},
			{"星期五", day(2026, 3, 6)},
			{"星期天", day(2026, 3, 8)},
			{"礼拜六", day(2026, 3, 7)},
		} {
			t.Run(tt.in, func(t *testing.T) {
				got, err := coach.ParseDate(tt.in, now)
				if err != nil {
					t.Fatalf("ParseDate(%q): %v", tt.in, err)
				}
				if !got.Equal(tt.want) || got.Location() != shanghai {
					t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
				}
			})
		}
	})

	t.Run("AcrossDST", func(t *testing.T) {
		ny, err := time.LoadLocation("America/New_York")
		if err != nil {
			t.Skip("no tz data:", err)
		}
		// Saturday 7 March 2026, the day before clocks go forward.
		got, err := coach.ParseDate("2d", time.Date(2026, 3, 7, 23, 0, 0, 0, ny))
		if want := time.Date(2026, 3, 9, 0, 0, 0, 0, ny); err != nil || !got.Equal(want) {
			t.Errorf("ParseDate(2d) = %v, %v, want %v", got, err, want)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		for _, tt := range []struct{ in, want string }{
			{"", "Use 2026-03-01, 3d, 2w"},
			{"soon", "Use 2026-03-01, 3d, 2w"},
			{"3m", "Use 2026-03-01"},
			{"2026-02-30", "Use 2026-03-01"},
			{"2026-13-01", "Use 2026-03-01"},
			{"01/03/2026", "Use 2026-03-01"},
			{"-3d", "Use 2026-03-01"},
			{"3", "Use 2026-03-01"},
			{"周八", "Use 2026-03-01"},
			{"99999d", "too far"},
			{"99999999999999999999999d", "too far"},
			{"9223372036854775807w", "too far"},
		} {
			t.Run(tt.in, func(t *testing.T) {
				_, err := coach.ParseDate(tt.in, now)
				mustCode(t, err, coach.EInvalid, tt.want)
			})
		}
	})
}

// deals are the candidates of the ResolveDeal tests, as a store would load them.
var deals = []coach.DealName{
	{ID: 1, Number: 12, Name: "Acme Corp"},
	{ID: 2, Number: 15, Name: "Acme Ltd"},
	{ID: 3, Number: 3, Name: "Globex"},
	{ID: 4, Number: 4, Name: "深圳科技"},
	{ID: 5, Number: 5, Name: "Acme"},
	{ID: 6, Number: 6, Name: "Project 42"},
	{ID: 7, Number: 7, Name: "2026 Expansion"},
	{ID: 8, Number: 8, Name: "Robert'); DROP TABLE deals;--"},
	{ID: 9, Number: 9, Name: "🚀 Rocket Labs"},
	{ID: 10, Number: 10, Name: "Initech"},
	{ID: 11, Number: 11, Name: "Initech Europe"},
}

func TestParseDealRef(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for _, tt := range []struct {
			name       string
			in         string
			wantNumber int
			wantPhrase string
			wantWords  []string
			wantRest   string
			wantSearch string
		}{
			{"Hash", "#12 demo", 12, "", []string{"#12", "demo"}, "demo", "12"},
			{"Bare", "12", 12, "", []string{"12"}, "", "12"},
			{"Words", "acme corp price too high", 0, "", []string{"acme", "corp", "price", "too", "high"}, "", "acme"},
			{"Punct", "acme: price", 0, "", []string{"acme:", "price"}, "", "acme"},
			{"Straight", `"Acme Corp" initial contact`, 0, "Acme Corp", nil, "initial contact", "Acme Corp"},
			{"Single", `'Acme  Corp'   demo`, 0, "Acme Corp", nil, "demo", "Acme Corp"},
			{"Apostrophe", `'O'Brien Ltd' demo`, 0, "O'Brien Ltd", nil, "demo", "O'Brien Ltd"},
			{"Curly", "“Acme Corp” demo", 0, "Acme Corp", nil, "demo", "Acme Corp"},
			{"CurlySingle", "‘Acme Corp’ demo", 0, "Acme Corp", nil, "demo", "Acme Corp"},
			{"Corner", "「深圳科技」演示", 0, "深圳科技", nil, "演示", "深圳科技"},
			{"UnclosedApostrophe", "'twas deal", 0, "", []string{"'twas", "deal"}, "", "'twas"},
			{"HashWord", "#abc", 0, "", []string{"#abc"}, "", "#abc"},
			{"Zero", "#0", 0, "", []string{"#0"}, "", "#0"},
			{"Newline", "acme\nline two", 0, "", []string{"acme", "line", "two"}, "", "acme"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				got, err := coach.ParseDealRef(tt.in)
				if err != nil {
					t.Fatalf("ParseDealRef(%q): %v", tt.in, err)
				}
				if got.Number != tt.wantNumber || got.Phrase != tt.wantPhrase || got.Rest != tt.wantRest ||
					strings.Join(got.Words, "|") != strings.Join(tt.wantWords, "|") || got.Search() != tt.wantSearch {
					t.Errorf("ParseDealRef(%q) = %+v (search %q), want number %d phrase %q words %q rest %q search %q",
						tt.in, got, got.Search(), tt.wantNumber, tt.wantPhrase, tt.wantWords, tt.wantRest, tt.wantSearch)
				}
			})
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		for _, tt := range []struct{ name, in, want string }{
			{"Empty", "", "Which deal? Use #12, its name, or a quoted name."},
			{"Blank", " \t ", "Which deal?"},
			{"EmptyQuotes", `"" demo`, "Which deal?"},
			{"Unclosed", `"Acme Corp demo`, "isn't closed"},
			{"UnclosedCorner", "「深圳科技 演示", "isn't closed"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := coach.ParseDealRef(tt.in)
				mustCode(t, err, coach.EInvalid, tt.want)
			})
		}
	})
}

func TestResolveDeal(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for _, tt := range []struct {
			name     string
			in       string
			wantID   int64
			wantRest string
		}{
			{"Hash", "#12 demo", 1, "demo"},
			{"Bare", "15", 2, ""},
			{"BareNumberStartsName", "2026 expansion demo", 7, "demo"},
			{"BareNumberIsAWordOfName", "2026 demo", 7, "demo"},
			{"LongestRun", "acme corp price too high", 1, "price too high"},
			{"ExactBeatsPart", "acme initial contact", 5, "initial contact"},
			{"ExactBeatsPartCase", "ACME", 5, ""},
			{"UniquePart", "globe demo", 3, "demo"},
			{"TwoWordPart", "acme l won", 2, "won"},
			{"Chinese", "深圳科技 演示", 4, "演示"},
			{"ChinesePart", "深圳 演示", 4, "演示"},
			{"Emoji", "🚀 demo", 9, "demo"},
			{"SQL", "robert'); drop table deals;-- price", 8, "price"},
			{"Phrase", `"acme" demo`, 5, "demo"},
			{"PhraseExact", `"Acme Corp" initial contact`, 1, "initial contact"},
			{"PhrasePart", `"cme c" demo`, 1, "demo"},
			{"PhraseExactBeatsPart", `"initech"`, 10, ""},
			{"TrailingPunct", "globex: price too high", 3, "price too high"},
			{"RestKeepsLines", "globex Called them.\n  They said yes", 3, "Called them.\n  They said yes"},
			{"ExtraSpaces", "acme   corp    price", 1, "price"},
			{"Project42", "project 42 5k", 6, "5k"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				r, err := coach.ParseDealRef(tt.in)
				if err != nil {
					t.Fatalf("ParseDealRef(%q): %v", tt.in, err)
				}
				got, rest, err := coach.ResolveDeal(r, deals)
				if err != nil {
					t.Fatalf("ResolveDeal(%q): %v", tt.in, err)
				}
				if got.ID != tt.wantID || rest != tt.wantRest {
					t.Errorf("ResolveDeal(%q) = %+v, %q, want id %d, %q", tt.in, got, rest, tt.wantID, tt.wantRest)
				}
			})
		}
	})

	t.Run("ManualRef", func(t *testing.T) {
		got, rest, err := coach.ResolveDeal(coach.DealRef{Words: []string{"acme", "corp", "price"}}, deals)
		if err != nil || got.ID != 1 || rest != "price" {
			t.Errorf("ResolveDeal = %+v, %q, %v, want Acme Corp, \"price\"", got, rest, err)
		}
	})

	t.Run("ErrAmbiguous", func(t *testing.T) {
		for _, tt := range []struct{ name, in, want string }{
			{"Part", "initech e", ""},
			{"NoExact", "acm demo", `"acm" matches 3 deals: #5 Acme, #12 Acme Corp, #15 Acme Ltd. Use the number, e.g. #5.`},
			{"Phrase", `"init"`, `#10 Initech, #11 Initech Europe`},
		} {
			t.Run(tt.name, func(t *testing.T) {
				r, err := coach.ParseDealRef(tt.in)
				if err != nil {
					t.Fatal(err)
				}
				_, _, err = coach.ResolveDeal(r, deals)
				if tt.want == "" {
					if err != nil {
						t.Fatalf("ResolveDeal(%q): %v", tt.in, err)
					}
					return
				}
				mustCode(t, err, coach.EAmbiguous, tt.want)
			})
		}
	})

	t.Run("ErrAmbiguousMany", func(t *testing.T) {
		var many []coach.DealName
		for i := 1; i <= 8; i++ {
			many = append(many, coach.DealName{ID: int64(i), Number: 100 - i, Name: "Acme " + strings.Repeat("x", i)})
		}
		_, _, err := coach.ResolveDeal(coach.DealRef{Words: []string{"acme"}}, many)
		mustCode(t, err, coach.EAmbiguous, "#92 Acme xxxxxxxx, #93 Acme xxxxxxx, #94 Acme xxxxxx, #95 Acme xxxxx, #96 Acme xxxx and 3 more")
		if zh := coach.ErrorMessage(err, coach.ZH); !strings.Contains(zh, "请改用编号，例如 #92") {
			t.Errorf("Chinese message %q does not say to use the number", zh)
		}
	})

	t.Run("ErrAmbiguousSameName", func(t *testing.T) {
		twins := []coach.DealName{{ID: 1, Number: 1, Name: "Acme"}, {ID: 2, Number: 2, Name: "acme"}, {ID: 3, Number: 3, Name: "Acme Corp"}}
		_, _, err := coach.ResolveDeal(coach.DealRef{Words: []string{"acme"}}, twins)
		mustCode(t, err, coach.EAmbiguous, "#1 Acme, #2 acme. Use the number")
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		for _, tt := range []struct{ name, in, want string }{
			{"Hash", "#99 demo", "No deal #99 among your deals. /deal list shows them."},
			{"Bare", "99", "No deal #99 among your deals."},
			// Digits inside a word of a name are not that name: #20 and #202
			// are not "2026 Expansion", #2 is not "Project 42".
			{"BareInsideAWord", "20 demo", "No deal #20 among your deals."},
			{"BareInsideAWord202", "202 objections", "No deal #202 among your deals."},
			{"BarePartOfNumber", "2 demo", "No deal #2 among your deals."},
			{"Words", "umbrella corp", `No deal matches "umbrella" among your deals. /deal list shows them.`},
			{"Phrase", `"acme inc"`, `No deal matches "acme inc"`},
			{"Long", strings.Repeat("x", 10000), `No deal matches "xxxxxxxx`},
		} {
			t.Run(tt.name, func(t *testing.T) {
				r, err := coach.ParseDealRef(tt.in)
				if err != nil {
					t.Fatal(err)
				}
				_, _, err = coach.ResolveDeal(r, deals)
				mustCode(t, err, coach.ENotFound, tt.want)
			})
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		_, _, err := coach.ResolveDeal(coach.DealRef{}, deals)
		mustCode(t, err, coach.EInvalid, "Which deal?")
	})
}

func TestParseAddArgs(t *testing.T) {
	long := strings.Repeat("é", coach.MaxNameLen)
	t.Run("OK", func(t *testing.T) {
		for _, tt := range []struct {
			name string
			in   string
			want coach.AddArgs
		}{
			{"NameOnly", "Acme Corp", coach.AddArgs{Name: "Acme Corp"}},
			{"Amount", "Acme Corp $12,000", coach.AddArgs{Name: "Acme Corp", Amount: usd(1200000), HasAmount: true}},
			{"AmountStage", "Acme Corp 12k demo", coach.AddArgs{Name: "Acme Corp", Amount: usd(1200000), HasAmount: true, Stage: coach.Presentation}},
			{"StageOnly", "Acme Corp qualification", coach.AddArgs{Name: "Acme Corp", Stage: coach.Qualification}},
			{"TwoWordStage", "Acme initial contact", coach.AddArgs{Name: "Acme", Stage: coach.Contact}},
			{"Quoted", `"Project 42" 5k`, coach.AddArgs{Name: "Project 42", Amount: usd(500000), HasAmount: true}},
			{"QuotedStage", `"Acme Demo" closing`, coach.AddArgs{Name: "Acme Demo", Stage: coach.Closing}},
			{"QuotedStageFirst", `"Acme" demo 5k`, coach.AddArgs{Name: "Acme", Amount: usd(500000), HasAmount: true, Stage: coach.Presentation}},
			{"QuotedWon", `"Big Win"`, coach.AddArgs{Name: "Big Win"}},
			{"QuotedCurly", "“Acme  Corp ” 12000 EUR objection handling", coach.AddArgs{Name: "Acme Corp", Amount: coach.Money{Cents: 1200000, Currency: "EUR"}, HasAmount: true, Stage: coach.Objections}},
			{"TwoTokenAmount", "Acme 12000 EUR", coach.AddArgs{Name: "Acme", Amount: coach.Money{Cents: 1200000, Currency: "EUR"}, HasAmount: true}},
			{"TwoTokenAmountStage", "Acme 12000 eur demo", coach.AddArgs{Name: "Acme", Amount: coach.Money{Cents: 1200000, Currency: "EUR"}, HasAmount: true, Stage: coach.Presentation}},
			{"CodeFirst", "Acme EUR 12000", coach.AddArgs{Name: "Acme", Amount: coach.Money{Cents: 1200000, Currency: "EUR"}, HasAmount: true}},
			{"LowerWordBeforeNumber", "Acme Top 5k", coach.AddArgs{Name: "Acme Top", Amount: usd(500000), HasAmount: true}},
			{"Chinese", "深圳科技 8万 演示", coach.AddArgs{Name: "深圳科技", Amount: coach.Money{Cents: 8000000, Currency: "CNY"}, HasAmount: true, Stage: coach.Presentation}},
			{"Yuan", "Beijing Huaxin 8万", coach.AddArgs{Name: "Beijing Huaxin", Amount: coach.Money{Cents: 8000000, Currency: "CNY"}, HasAmount: true}},
			{"DefaultCurrency", "深圳科技 80000", coach.AddArgs{Name: "深圳科技", Amount: coach.Money{Cents: 8000000, Currency: "CNY"}, HasAmount: true}},
			{"OnlyAmountIsName", "3M", coach.AddArgs{Name: "3M"}},
			{"OnlyStageIsName", "Demo", coach.AddArgs{Name: "Demo"}},
			{"NumberName", "3M 5k", coach.AddArgs{Name: "3M", Amount: usd(500000), HasAmount: true}},
			{"NumberInNameThenAmount", "Project 42 5000", coach.AddArgs{Name: "Project 42", Amount: usd(500000), HasAmount: true}},
			{"QuotedNumberName", `"Apollo 13" 500`, coach.AddArgs{Name: "Apollo 13", Amount: usd(50000), HasAmount: true}},
			{"Emoji", "🚀 Rocket Labs 👩‍💻 1.5m", coach.AddArgs{Name: "🚀 Rocket Labs 👩‍💻", Amount: usd(150000000), HasAmount: true}},
			{"SQL", "Robert'); DROP TABLE deals;--", coach.AddArgs{Name: "Robert'); DROP TABLE deals;--"}},
			{"SlackEscaped", "AT&amp;T &lt;West&gt; <@U0001>", coach.AddArgs{Name: "AT&amp;T &lt;West&gt; <@U0001>"}},
			{"Spaces", "  Acme \t  Corp  ", coach.AddArgs{Name: "Acme Corp"}},
			{"MaxLength", long, coach.AddArgs{Name: long}},
			{"Apostrophe", "'t Hooft BV 5k", coach.AddArgs{Name: "'t Hooft BV", Amount: usd(500000), HasAmount: true}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				def := "USD"
				if tt.name == "DefaultCurrency" {
					def = "CNY"
				}
				got, err := coach.ParseAddArgs(tt.in, def)
				if err != nil {
					t.Fatalf("ParseAddArgs(%q): %v", tt.in, err)
				}
				if got != tt.want {
					t.Errorf("ParseAddArgs(%q) = %+v, want %+v", tt.in, got, tt.want)
				}
			})
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		for _, tt := range []struct{ name, in, want string }{
			{"Empty", "", "Use /deal add <name> [amount] [stage]"},
			{"EmptyQuotes", `"" 5k`, "needs a name"},
			{"Unclosed", `"Acme 5k`, "isn't closed"},
			{"Won", "Acme won", "can't start as won. Add it first, then use /deal won. If \"won\" is part of the name, put the name in quotes."},
			{"Retention", "Acme 5k retention", "can't start as won"},
			{"Lost", "Acme lost", "/deal lost"},
			{"QuotedLost", `"Acme" lost`, "can't start as lost"},
			{"AmbiguousAmount", "Acme 12.000", "ambiguous"},
			{"BadCommas", "Acme 1,2000 demo", "thousands"},
			{"Negative", "Acme -5k", "negative"},
			{"TooLarge", "Acme 2000000m", "too large"},
			{"UnknownCurrency", "Acme 12000XYZ", "Unknown currency"},
			{"Scientific", "Acme 1e6", `"1e6" is not an amount: write it out. Use 12000`},
			{"ScientificStage", "Acme 2.5E+5 demo", "is not an amount"},
			// A space between the thousands would keep "12" in the name and
			// store 0.
			{"SpacedThousands", "Baz 12 000", `"12 000" looks like one amount with a space in it`},
			{"SpacedThousandsSymbol", "Baz $1 500 demo", `"$1 500" looks like one amount`},
			{"SpacedThousandsAlone", "12 000", "looks like one amount"},
			{"Leftover", `"Acme" big deal`, `not "big deal"`},
			{"TwoAmounts", `"Acme" 5k 6k`, `not "5k"`},
			{"TooLong", strings.Repeat("x", 10000), "at most 200 characters; this one has 10000."},
			{"TooLongByOne", long + "é", "this one has 201."},
			{"Control", "Acme\x00Corp", "control characters"},
			{"Escape", "Acme \x1b[31m", "control characters"},
			{"InvalidUTF8", "Acme \xff", "invalid text"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := coach.ParseAddArgs(tt.in, "USD")
				mustCode(t, err, coach.EInvalid, tt.want)
			})
		}
	})
}

func TestCheckName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Acme", "Acme"},
		{"  Acme\n\tCorp  ", "Acme Corp"},
		{"深圳科技", "深圳科技"},
		{"👨‍👩‍👧 Family Co", "👨‍👩‍👧 Family Co"},
		{"👩🏽\u200d💻 Devs", "👩🏽\u200d💻 Devs"},
		{"עברית Acme", "עברית Acme"},
	} {
		t.Run(tt.want, func(t *testing.T) {
			got, err := coach.CheckName(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("CheckName(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
			}
		})
	}
	for _, tt := range []struct{ name, in, want string }{
		{"Empty", "   ", "needs a name"},
		{"TooLong", strings.Repeat("深", 201), "this one has 201"},
		{"Control", "a\x07b", "control"},
		{"RightToLeftOverride", "Acme \u202Etxt.exe", "U+202E"},
		{"LeftToRightEmbedding", "\u202AAcme", "U+202A"},
		{"Isolate", "Acme\u2066 Corp\u2069", "U+2066"},
		{"PopIsolate", "Acme\u2069", "U+2069"},
		{"ZeroWidthSpace", "Ac\u200Bme", "U+200B"},
		{"ZeroWidthNonJoiner", "Ac\u200Cme", "U+200C"},
		{"JoinerBetweenLetters", "Ac\u200Dme", "U+200D"},
		{"WordJoiner", "Ac\u2060me", "U+2060"},
		{"ByteOrderMark", "\uFEFFAcme", "U+FEFF"},
	} {
		t.Run("ErrInvalid/"+tt.name, func(t *testing.T) {
			_, err := coach.CheckName(tt.in)
			mustCode(t, err, coach.EInvalid, tt.want)
		})
	}
}

func TestCheckNote(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"Trimmed", "  Called the CFO.  ", "Called the CFO."},
		{"Lines", "Called.\r\n\tShe said yes.\rNext week.", "Called.\n\tShe said yes.\nNext week."},
		{"SQL", "Robert'); DROP TABLE deals;--", "Robert'); DROP TABLE deals;--"},
		{"Max", strings.Repeat("字", coach.MaxNoteLen), strings.Repeat("字", coach.MaxNoteLen)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := coach.CheckNote(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("CheckNote(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
			}
		})
	}
	for _, tt := range []struct{ name, in, want string }{
		{"Empty", " \n ", "The note is empty"},
		{"TooLong", strings.Repeat("x", 3512), "at most 3,000 characters; this one has 3512."},
		{"Control", "bell\x07", "control"},
	} {
		t.Run("ErrInvalid/"+tt.name, func(t *testing.T) {
			_, err := coach.CheckNote(tt.in)
			mustCode(t, err, coach.EInvalid, tt.want)
		})
	}
}

func TestSuggestClosest(t *testing.T) {
	options := []string{"add", "list", "show", "move", "next", "won", "lost", "reopen", "note", "pause", "check", "assign", "amount", "rename", "undo", "archive", "restore", "export", "help"}
	for _, tt := range []struct{ in, want string }{
		{"lsit", "list"},
		{"shwo", "show"},
		{"Archve", "archive"},
		{"mvoe", "move"},
		{"rename", "rename"},
		{"wn", "won"},
		{"xyz", ""},
		{"", ""},
		{"a", ""},
		{"deleteeverything", ""},
		{strings.Repeat("a", 10000), ""},
	} {
		t.Run(tt.in+"="+tt.want, func(t *testing.T) {
			if got := coach.SuggestClosest(tt.in, options); got != tt.want {
				t.Errorf("SuggestClosest(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDidYouMean(t *testing.T) {
	names := []coach.DealName{{ID: 1, Number: 1, Name: "Acme Corp"}, {ID: 2, Number: 2, Name: "Initech"}, {ID: 3, Number: 3, Name: "Globex Ltd"}}
	for _, tt := range []struct{ typed, want string }{
		{"globx demo", "Did you mean #3 Globex Ltd?"},
		{"initeck lost price", "Did you mean #2 Initech?"},
		{`"Globex Ldt"`, "Did you mean #3 Globex Ltd?"},
		{"hooli demo", ""},
		{"#9 demo", ""},
	} {
		t.Run(tt.typed, func(t *testing.T) {
			ref, err := coach.ParseDealRef(tt.typed)
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = coach.ResolveDeal(ref, nil) // the store found no candidate
			err = coach.DidYouMean(err, ref, names)
			msg := coach.ErrorMessage(err, coach.EN)
			if coach.ErrorCode(err) != coach.ENotFound {
				t.Fatalf("code %s: %v", coach.ErrorCode(err), err)
			}
			if tt.want == "" && strings.Contains(msg, "Did you mean") || tt.want != "" && !strings.Contains(msg, tt.want) {
				t.Errorf("%q: %q; want %q", tt.typed, msg, tt.want)
			}
			if tt.want != "" && !strings.Contains(coach.ErrorMessage(err, coach.ZH), "您是想找") {
				t.Errorf("no Chinese suggestion: %q", coach.ErrorMessage(err, coach.ZH))
			}
		})
	}
}
