package coach_test

import (
	"strings"
	"testing"

	"salescoach/coach"
)

func usd(c int64) coach.Money { return coach.Money{Cents: c, Currency: "USD"} }

func TestParseAmount(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for _, tt := range []struct {
			in   string
			def  string
			want coach.Money
		}{
			{"12000", "USD", usd(1200000)},
			{"  12000  ", "USD", usd(1200000)},
			{"0", "USD", usd(0)},
			{"12,000", "USD", usd(1200000)},
			{"1,250,000", "USD", usd(125000000)},
			{"12000.5", "USD", usd(1200050)},
			{"12000.50", "USD", usd(1200050)},
			{"12,000.05", "USD", usd(1200005)},
			{"12k", "USD", usd(1200000)},
			{"12K", "USD", usd(1200000)},
			{"1.5m", "USD", usd(150000000)},
			{"1.5M", "USD", usd(150000000)},
			{"2.25k", "USD", usd(225000)},
			{"1.2345k", "USD", usd(123450)},
			{"1.23456k", "USD", usd(123456)},
			{"8万", "CNY", coach.Money{Cents: 8000000, Currency: "CNY"}},
			{"8万元", "USD", coach.Money{Cents: 8000000, Currency: "CNY"}},
			{"1.2亿", "CNY", coach.Money{Cents: 12000000000, Currency: "CNY"}},
			// 万 and 亿 without a currency are yuan, whatever the team's currency.
			{"8万", "USD", coach.Money{Cents: 8000000, Currency: "CNY"}},
			{"1.2亿", "EUR", coach.Money{Cents: 12000000000, Currency: "CNY"}},
			{"8万 EUR", "USD", coach.Money{Cents: 8000000, Currency: "EUR"}},
			{"$8万", "CNY", usd(8000000)},
			{"3千", "CNY", coach.Money{Cents: 300000, Currency: "CNY"}},
			{"$12,000", "EUR", usd(1200000)},
			{"$ 12,000", "EUR", usd(1200000)},
			{"¥80000", "USD", coach.Money{Cents: 8000000, Currency: "CNY"}},
			{"￥80000", "USD", coach.Money{Cents: 8000000, Currency: "CNY"}},
			{"80000元", "USD", coach.Money{Cents: 8000000, Currency: "CNY"}},
			{"€5k", "USD", coach.Money{Cents: 500000, Currency: "EUR"}},
			{"5k€", "USD", coach.Money{Cents: 500000, Currency: "EUR"}},
			{"£300", "USD", coach.Money{Cents: 30000, Currency: "GBP"}},
			{"12000 EUR", "USD", coach.Money{Cents: 1200000, Currency: "EUR"}},
			{"EUR 12000", "USD", coach.Money{Cents: 1200000, Currency: "EUR"}},
			{"EUR12000", "USD", coach.Money{Cents: 1200000, Currency: "EUR"}},
			{"12000eur", "USD", coach.Money{Cents: 1200000, Currency: "EUR"}},
			{"12k EUR", "USD", coach.Money{Cents: 1200000, Currency: "EUR"}},
			{"12kchf", "USD", coach.Money{Cents: 1200000, Currency: "CHF"}},
			{"12MXN", "USD", coach.Money{Cents: 1200, Currency: "MXN"}},
			{"12mEUR", "USD", coach.Money{Cents: 1200000000, Currency: "EUR"}},
			{"5000 rmb", "USD", coach.Money{Cents: 500000, Currency: "CNY"}},
			{"$12,000 USD", "EUR", usd(1200000)},
			{"¥8万", "USD", coach.Money{Cents: 8000000, Currency: "CNY"}},
			{"999999999999.99", "USD", usd(99999999999999)},
			{"12000", "chf", coach.Money{Cents: 1200000, Currency: "CHF"}},
			{"12000", "", usd(1200000)},
			{"12000", "XYZ", usd(1200000)},
			{"007", "USD", usd(700)},
		} {
			t.Run(tt.in, func(t *testing.T) {
				got, err := coach.ParseAmount(tt.in, tt.def)
				if err != nil {
					t.Fatalf("ParseAmount(%q): %v", tt.in, err)
				}
				if got != tt.want {
					t.Errorf("ParseAmount(%q, %q) = %+v, want %+v", tt.in, tt.def, got, tt.want)
				}
			})
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		for _, tt := range []struct {
			in   string
			want string // part of the English message
		}{
			{"", "missing"},
			{"   ", "missing"},
			{"abc", "Use 12000"},
			{"1e6", "is not an amount: write it out"},
			{"2.5E+5", "is not an amount"},
			{"twelve", "Use 12000"},
			{"12 000", "Use 12000"},
			{"-500", "negative"},
			{"−500", "negative"},
			{"-$500", "negative"},
			{"$-500", "negative"},
			{"12.000", "ambiguous"},
			{"1.500k", "ambiguous"},
			{"12,000.000", "more than two decimals"},
			{"0.001", "more than two decimals"},
			{"12.3456", "more than two decimals"},
			{"12.345", "ambiguous"},
			{"1.234567k", "more than two decimals"},
			{"1,2000", "thousands"},
			{"12,00", "thousands"},
			{"1,,000", "thousands"},
			{"1234,567", "thousands"},
			{"12.", "Use 12000"},
			{"1.2.3", "Use 12000"},
			{"12.5,000", "Use 12000"},
			{".5", "Use 12000"},
			{"1000000000000", "too large"},
			{"1,000,000,000,000", "too large"},
			{"1000000m", "too large"},
			{"1e6", "Use 12000"},
			{"12000 XYZ", "Unknown currency"},
			{"ABC 12000", "Unknown currency"},
			{"$12000 EUR", "two currencies"},
			{"€5k USD", "two currencies"},
			{"12kk", "Use 12000"},
			{"12 k", "Use 12000"},
			{"12000 EUR EUR", "Use 12000"},
			{"$", "Use 12000"},
			{"EUR", "Use 12000"},
			{"１２０００", "Use 12000"},
			{strings.Repeat("9", 10000), "too large"},
			{"0." + strings.Repeat("0", 20) + "1k", "more than two decimals"},
			{"Robert'); DROP TABLE deals;--", "Use 12000"},
		} {
			t.Run(tt.in, func(t *testing.T) {
				_, err := coach.ParseAmount(tt.in, "USD")
				if got := coach.ErrorCode(err); got != coach.EInvalid {
					t.Fatalf("ParseAmount(%q) code = %q (%v), want %q", tt.in, got, err, coach.EInvalid)
				}
				e := err.(*coach.Error)
				if !strings.Contains(e.EN(), tt.want) {
					t.Errorf("ParseAmount(%q) = %q, want it to mention %q", tt.in, e.EN(), tt.want)
				}
				if e.ZH() == "" || strings.Contains(e.EN(), "\n") || len([]rune(e.EN())) > 300 {
					t.Errorf("ParseAmount(%q) message is not one friendly line in both languages: %+v", tt.in, e)
				}
			})
		}
	})
}

func TestFormatMoney(t *testing.T) {
	for _, tt := range []struct {
		in   coach.Money
		want string
	}{
		{usd(1200000), "$12,000"},
		{usd(1200050), "$12,000.50"},
		{usd(1200005), "$12,000.05"},
		{usd(0), "$0"},
		{usd(99), "$0.99"},
		{usd(99999999999999), "$999,999,999,999.99"},
		{coach.Money{Cents: 500000, Currency: "EUR"}, "€5,000"},
		{coach.Money{Cents: 30000, Currency: "GBP"}, "£300"},
		{coach.Money{Cents: 8000000, Currency: "CNY"}, "¥80,000"},
		{coach.Money{Cents: 1200000, Currency: "CHF"}, "12,000 CHF"},
		{coach.Money{Cents: 123456789, Currency: "JPY"}, "1,234,567.89 JPY"},
		{coach.Money{Cents: 100000}, "1,000"},
		{usd(-150), "-$1.50"},
	} {
		t.Run(tt.want, func(t *testing.T) {
			if got := coach.FormatMoney(tt.in); got != tt.want {
				t.Errorf("FormatMoney(%+v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}

	t.Run("RoundTrip", func(t *testing.T) {
		for _, m := range []coach.Money{usd(1), usd(1200050), {Cents: 7, Currency: "CNY"}, {Cents: 99999999999999, Currency: "KWD"}} {
			got, err := coach.ParseAmount(coach.FormatMoney(m), "EUR")
			if err != nil || got != m {
				t.Errorf("ParseAmount(FormatMoney(%+v)) = %+v, %v", m, got, err)
			}
		}
	})
}

func TestLooksLikeAmount(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"12000", true},
		{"12k", true},
		{"$12,000", true},
		{"8万", true},
		{"12.000", true}, // the shape of an amount; ParseAmount refuses it
		{"-5", true},
		{"12000XYZ", true},
		{"EUR", false},
		{"Acme", false},
		{"3M", true},
		{"42-B", false},
		{"v2", false},
		{"", false},
	} {
		t.Run(tt.in, func(t *testing.T) {
			if got := coach.LooksLikeAmount(tt.in); got != tt.want {
				t.Errorf("LooksLikeAmount(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseCurrency(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"EUR", "EUR"}, {"eur", "EUR"}, {" usd ", "USD"}, {"€", "EUR"}, {"¥", "CNY"}, {"RMB", "CNY"}, {"chf", "CHF"},
	} {
		t.Run(tt.in, func(t *testing.T) {
			got, err := coach.ParseCurrency(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("ParseCurrency(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
			}
		})
	}
	for _, in := range []string{"", "XYZ", "EURO", "dollars", "$$"} {
		t.Run("ErrInvalid/"+in, func(t *testing.T) {
			if _, err := coach.ParseCurrency(in); coach.ErrorCode(err) != coach.EInvalid {
				t.Errorf("ParseCurrency(%q) err = %v, want EInvalid", in, err)
			}
		})
	}
}
