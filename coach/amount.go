package coach

import (
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxAmountCents bounds an amount: 0 ≤ x < 10^12 in major units.
const MaxAmountCents int64 = 100_000_000_000_000

// The ISO 4217 codes in current use (funds and precious metals left out).
var isoCurrencies = func() map[string]bool {
	const codes = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD " +
		"CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD " +
		"HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD " +
		"MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG " +
		"QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD " +
		"TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL"
	m := map[string]bool{}
	for _, c := range strings.Fields(codes) {
		m[c] = true
	}
	return m
}()

// The currency symbols an amount may carry, before or after the number.
var currencySymbols = map[rune]string{'$': "USD", '€': "EUR", '£': "GBP", '¥': "CNY", '￥': "CNY", '元': "CNY"}

// The multipliers an amount may carry right after the number.
var amountMultipliers = map[rune]int64{'k': 1e3, 'K': 1e3, 'm': 1e6, 'M': 1e6, '千': 1e3, '万': 1e4, '亿': 1e8}

// currencyWord returns the ISO code a word of letters names: an ISO 4217 code
// in any case, or RMB for CNY.
func currencyWord(w string) (string, bool) {
	u := strings.ToUpper(w)
	if u == "RMB" {
		return "CNY", true
	}
	return u, len(u) == 3 && isoCurrencies[u]
}

// ParseCurrency returns the ISO 4217 code s names (a code in any case, RMB, or
// one of $ € £ ¥), or an EInvalid error naming the accepted forms.
func ParseCurrency(s string) (string, error) {
	t := strings.TrimSpace(s)
	if r, n := utf8.DecodeRuneInString(t); n == len(t) && n > 0 {
		if c, ok := currencySymbols[r]; ok {
			return c, nil
		}
	}
	if c, ok := currencyWord(t); ok {
		return c, nil
	}
	return "", Fail(EInvalid, "currency.unknown", Args{"typed": Quoted(t)})
}

// amountParts is the shape of an amount before its numbers are checked.
type amountParts struct {
	negative   bool
	number     string // digits, commas and dots as typed
	multiplier int64
	chinese    bool     // the multiplier is 万 or 亿: a yuan amount unless a currency is named
	currencies []string // every currency named, in order
	unknown    string   // a three-letter word in a currency's place that is no ISO code
}

// scanAmount splits s into the parts of an amount; ok is false when s does not
// have the shape of one (an optional currency, a number, an optional
// multiplier, an optional currency).
func scanAmount(s string) (p amountParts, ok bool) {
	p.multiplier = 1
	i := 0
	skipSpaces := func() {
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	// currency reads a symbol or a word of letters at i; it reports false when
	// the letters there cannot be a currency.
	currency := func() bool {
		if r, n := utf8.DecodeRuneInString(s[i:]); n > 0 {
			if c, ok := currencySymbols[r]; ok {
				p.currencies = append(p.currencies, c)
				i += n
				return true
			}
		}
		w := asciiLetters(s[i:])
		if w == "" {
			return true
		}
		if c, ok := currencyWord(w); ok {
			p.currencies = append(p.currencies, c)
		} else if len(w) == 3 {
			p.unknown = w
		} else {
			return false
		}
		i += len(w)
		return true
	}

	if !currency() {
		return p, false
	}
	skipSpaces()
	if strings.HasPrefix(s[i:], "-") {
		p.negative, i = true, i+1
	} else if strings.HasPrefix(s[i:], "−") {
		p.negative, i = true, i+len("−")
	}
	if p.negative && len(p.currencies) == 0 && p.unknown == "" {
		if !currency() {
			return p, false
		}
	}
	start := i
	for i < len(s) && (isASCIIDigit(s[i]) || s[i] == ',' || s[i] == '.') {
		i++
	}
	p.number = s[start:i]
	if p.number == "" || !isASCIIDigit(p.number[0]) {
		return p, false
	}
	if r, n := utf8.DecodeRuneInString(s[i:]); r == '千' || r == '万' || r == '亿' {
		p.multiplier, p.chinese, i = amountMultipliers[r], r != '千', i+n
	} else if w := asciiLetters(s[i:]); w != "" && amountMultipliers[rune(w[0])] > 0 {
		// "12MXN" names a currency; "12m" and "12mEUR" carry a multiplier.
		if _, isCode := currencyWord(w); !isCode {
			p.multiplier, i = amountMultipliers[rune(w[0])], i+1
		}
	}
	skipSpaces()
	if !currency() {
		return p, false
	}
	skipSpaces()
	return p, i == len(s)
}

// LooksLikeAmount reports whether s has the shape of an amount (a number with
// an optional currency and multiplier), valid or not; ParseAmount says which.
func LooksLikeAmount(s string) bool {
	_, ok := scanAmount(strings.TrimSpace(s))
	return ok
}

// ParseAmount returns the amount s names: 12000, 12,000, 12k, 1.5m, 8万, 1.2亿,
// $12,000, ¥80000, €5k, £300, 12000 EUR, EUR 12000 or 12000eur. An amount
// in 万 or 亿 without a currency is in yuan (CNY); any other amount without a
// currency is in defaultCurrency (USD when that is no ISO code). It
// returns an EInvalid error naming the accepted forms when s is empty,
// negative, malformed, has more than two decimals, or is 10^12 or more.
func ParseAmount(s, defaultCurrency string) (Money, error) {
	t := strings.TrimSpace(s)
	p, ok := scanAmount(t)
	if !ok {
		if t == "" {
			return Money{}, Fail(EInvalid, "amount.missing", Args{"forms": amountForms})
		}
		if LooksScientific(t) {
			return Money{}, errScientific(t)
		}
		return Money{}, Fail(EInvalid, "amount.unreadable", Args{"typed": Quoted(t), "forms": amountForms})
	}
	if p.unknown != "" {
		return Money{}, Fail(EInvalid, "amount.unknown_currency", Args{"currency": Quoted(p.unknown), "typed": Quoted(t)})
	}
	if p.negative {
		return Money{}, Fail(EInvalid, "amount.negative", Args{"typed": Quoted(t)})
	}
	cur, ok := currencyWord(defaultCurrency)
	if !ok {
		cur = "USD"
	}
	if p.chinese {
		cur = "CNY"
	}
	for i, c := range p.currencies {
		if i > 0 && c != p.currencies[0] {
			return Money{}, Fail(EInvalid, "amount.two_currencies", Args{"typed": Quoted(t)})
		}
		cur = c
	}
	cents, err := amountCents(t, p.number, p.multiplier)
	if err != nil {
		return Money{}, err
	}
	return Money{Cents: cents, Currency: cur}, nil
}

// LooksScientific reports whether w is a number in scientific notation (1e6,
// 2.5E+5): not an accepted amount, and not part of a name either.
func LooksScientific(w string) bool {
	m, e, ok := strings.Cut(strings.ToLower(strings.TrimSpace(w)), "e")
	if !ok || m == "" {
		return false
	}
	e = strings.TrimLeft(e, "+-")
	return e != "" && strings.Trim(e, "0123456789") == "" && strings.Trim(m, "0123456789.") == "" && isASCIIDigit(m[0])
}

func errScientific(t string) error {
	return Fail(EInvalid, "amount.scientific", Args{"typed": Quoted(t), "forms": amountForms})
}

// amountForms lists the ways to write an amount.
var amountForms = Msg("amount.forms", nil)

// amountCents checks the number of an amount typed as t and returns it in
// cents, multiplied.
func amountCents(t, number string, multiplier int64) (int64, error) {
	whole, frac, hasDot := strings.Cut(number, ".")
	if hasDot && (frac == "" || strings.ContainsAny(frac, ".,")) {
		return 0, Fail(EInvalid, "amount.unreadable", Args{"typed": Quoted(t), "forms": amountForms})
	}
	groups := strings.Split(whole, ",")
	for i, g := range groups {
		if g == "" || (len(groups) > 1 && (len(g) > 3 || (i > 0 && len(g) != 3))) {
			return 0, Fail(EInvalid, "amount.commas", Args{"typed": Quoted(t)})
		}
	}
	// 12.000 may be twelve thousand; 0.001 and 1,234.567 cannot: those have
	// too many decimals (below).
	if len(frac) == 3 && strings.TrimLeft(whole, "0") != "" && !strings.Contains(whole, ",") {
		return 0, Fail(EInvalid, "amount.dot_three", Args{"typed": Quoted(t)})
	}
	tooManyDecimals := Fail(EInvalid, "amount.decimals", Args{"typed": Quoted(t)})
	if len(frac) > 2 && multiplier == 1 {
		return 0, tooManyDecimals
	}
	digits := strings.TrimLeft(strings.ReplaceAll(whole, ",", ""), "0")
	tooLarge := Fail(EInvalid, "amount.too_large", Args{"typed": Quoted(t)})
	if len(digits) > 13 {
		return 0, tooLarge
	}
	if len(frac) > 10 {
		return 0, tooManyDecimals
	}
	// value = (whole·10^f + frac) · multiplier · 100 / 10^f, which must be whole.
	n, _ := new(big.Int).SetString("0"+digits+frac, 10)
	n.Mul(n, big.NewInt(multiplier*100))
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(frac))), nil)
	q, r := new(big.Int).QuoRem(n, scale, new(big.Int))
	if r.Sign() != 0 {
		return 0, tooManyDecimals
	}
	if !q.IsInt64() || q.Int64() >= MaxAmountCents {
		return 0, tooLarge
	}
	return q.Int64(), nil
}

// FormatMoney returns m for people: $12,000, $12,000.50, €5,000, £300,
// ¥80,000, and 12,000 CHF for other currencies. ParseAmount reads it back.
func FormatMoney(m Money) string {
	c := uint64(m.Cents)
	sign := ""
	if m.Cents < 0 {
		c, sign = -c, "-"
	}
	num := groupThousands(strconv.FormatUint(c/100, 10))
	if c%100 != 0 {
		num += "." + strconv.FormatUint(c%100/10, 10) + strconv.FormatUint(c%10, 10)
	}
	switch m.Currency {
	case "USD":
		return sign + "$" + num
	case "EUR":
		return sign + "€" + num
	case "GBP":
		return sign + "£" + num
	case "CNY":
		return sign + "¥" + num
	case "":
		return sign + num
	}
	return sign + num + " " + m.Currency
}

// groupThousands puts commas between groups of three digits.
func groupThousands(digits string) string {
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return b.String()
}

func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }

// asciiLetters returns the run of ASCII letters s starts with.
func asciiLetters(s string) string {
	i := 0
	for i < len(s) && ('a' <= s[i] && s[i] <= 'z' || 'A' <= s[i] && s[i] <= 'Z') {
		i++
	}
	return s[:i]
}
