package coach

import (
	"regexp"
	"strings"
)

// Slack sends a link someone typed as <http://Acme.io|Acme.io> (or <url> when
// it has no label), an e-mail address as <mailto:bob@acme.io|bob@acme.io>,
// mentions as <@U123> and <#C123|general>, and <!here>, which is kept as the
// plain word @here; with should_escape it
// escapes &, < and > in everything else. Deal names keep only a link's label;
// notes keep the link in a stored form, [label](url) (the bare url when the
// label is the url), which ToSlack shows as a link and ToPlain writes out as
// "label (url)". Mentions stay as Slack wrote them.

var (
	// slackLink is a link in Slack's markup, after its text was unescaped.
	slackLink = regexp.MustCompile(`<((?:https?|mailto):[^|<>\s]+)(?:\|([^<>]*))?>`)
	// storedLink is a link in a stored note.
	storedLink = regexp.MustCompile(`\[([^\[\]\n]+)\]\(((?:https?|mailto):[^\s()]+)\)`)
	// slackMarkup is any of Slack's angle-bracket markup in escaped text.
	slackMarkup = regexp.MustCompile(`<[^<>]*>`)

	slackEscaper   = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", nameLT, "&lt;")
	slackUnescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")
)

// nameLT stands for a "<" of a deal name in text on its way to Slack, so that
// no name can mention anyone: ToSlack escapes it as &lt; whatever follows it
// (where it keeps a "<@U123>" of the bot's own as a live mention), ToPlain and
// PlainNames write it back as "<". It is a Unicode noncharacter, which no one
// types and a name cannot hold.
const nameLT = "\uFDD0"

// NameText returns a deal name (or any text people typed that the bot puts in
// its own words) for a message: its mentions (<@U123>, <!channel>, <#C1|x>,
// <!subteam^S1>) are shown as the text they are, never as pings.
func NameText(name string) string { return strings.ReplaceAll(name, "<", nameLT) }

// PlainNames returns text as NameText marked it, for a place that shows
// text as it is (a terminal, a form's error).
func PlainNames(text string) string { return strings.ReplaceAll(text, nameLT, "<") }

// FromSlack returns the text of a Slack message as people meant it: &amp;,
// &lt; and &gt; unescaped, links in the stored form of notes, mentions kept.
func FromSlack(escaped string) string {
	var b strings.Builder
	last := 0
	for _, m := range slackMarkup.FindAllStringIndex(escaped, -1) {
		b.WriteString(slackUnescaper.Replace(escaped[last:m[0]]))
		inner := escaped[m[0]+1 : m[1]-1]
		url, label, _ := strings.Cut(inner, "|")
		switch {
		case strings.HasPrefix(inner, "@"), strings.HasPrefix(inner, "#"):
			b.WriteString(escaped[m[0]:m[1]])
		case strings.HasPrefix(inner, "!"):
			// <!here>, <!subteam^S1|@sales>, <!date^…|fallback>: kept as the
			// words they stand for, never as a ping a share would repeat.
			if label != "" {
				b.WriteString(slackUnescaper.Replace(label))
			} else {
				word, _, _ := strings.Cut(url[1:], "^")
				b.WriteString("@" + word)
			}
		case isLinkURL(url):
			b.WriteString(storeLink(slackUnescaper.Replace(url), slackUnescaper.Replace(label)))
		default:
			b.WriteString(slackUnescaper.Replace(escaped[m[0]:m[1]]))
		}
		last = m[1]
	}
	b.WriteString(slackUnescaper.Replace(escaped[last:]))
	return b.String()
}

func isLinkURL(u string) bool {
	return (strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "mailto:")) &&
		!strings.ContainsAny(u, " \t\n")
}

// storeLink writes a link in the stored form: [label](url), or the url alone
// when the label is empty or says the same (Acme.io for http://Acme.io).
func storeLink(url, label string) string {
	label = strings.TrimSpace(label)
	url = strings.NewReplacer("(", "%28", ")", "%29").Replace(url)
	if label == "" || label == url || strings.ContainsAny(label, "[]\n") {
		return url
	}
	return "[" + label + "](" + url + ")"
}

// StoredLinks returns text with links in Slack's markup, as they arrive in a
// command's unescaped text (<http://Acme.io|Acme.io>), in the stored form of
// notes; everything else is left as it is.
func StoredLinks(text string) string {
	return slackLink.ReplaceAllStringFunc(text, func(m string) string {
		sub := slackLink.FindStringSubmatch(m)
		return storeLink(sub[1], sub[2])
	})
}

// LinkLabels returns text with every link, in Slack's markup or the stored
// form, replaced by its label (the address when it has none): what a deal
// name keeps.
func LinkLabels(text string) string {
	text = slackLink.ReplaceAllStringFunc(text, func(m string) string {
		sub := slackLink.FindStringSubmatch(m)
		if strings.TrimSpace(sub[2]) != "" {
			return strings.TrimSpace(sub[2])
		}
		return strings.TrimPrefix(sub[1], "mailto:")
	})
	return storedLink.ReplaceAllString(text, "$1")
}

// ToSlack returns stored text for Slack's mrkdwn: &, < and > escaped, links
// made clickable (<url|label>), mentions (<@U123>, <#C123|general>) kept as
// mentions.
func ToSlack(text string) string {
	if !strings.ContainsAny(text, "&<>[") && !strings.Contains(text, nameLT) {
		return text // no link, mention or character to escape: most names
	}
	var b strings.Builder
	for _, p := range splitStored(text) {
		switch {
		case p.url != "":
			b.WriteString("<" + slackEscaper.Replace(p.url) + "|" + slackEscaper.Replace(p.label) + ">")
		case p.mention:
			b.WriteString(p.text)
		default:
			b.WriteString(slackEscaper.Replace(p.text))
		}
	}
	return b.String()
}

// ToPlain returns stored text as plain text, for a CSV or a terminal: a link
// as "label (url)", mentions as Slack wrote them.
func ToPlain(text string) string {
	text = PlainNames(text)
	var b strings.Builder
	for _, p := range splitStored(text) {
		if p.url != "" {
			b.WriteString(p.label + " (" + strings.NewReplacer("%28", "(", "%29", ")").Replace(p.url) + ")")
		} else {
			b.WriteString(p.text)
		}
	}
	return b.String()
}

// storedPart is a piece of stored text: plain text, a mention, or a link.
type storedPart struct {
	text       string
	mention    bool
	url, label string
}

var storedMention = regexp.MustCompile(`<(?:@[UW][A-Z0-9]+|#[CGD][A-Z0-9]+)(?:\|[^<>]*)?>`)

func splitStored(text string) []storedPart {
	var out []storedPart
	last := 0
	links := storedLink.FindAllStringSubmatchIndex(text, -1)
	mentions := storedMention.FindAllStringIndex(text, -1)
	for len(links) > 0 || len(mentions) > 0 {
		if len(links) > 0 && (len(mentions) == 0 || links[0][0] < mentions[0][0]) {
			m := links[0]
			links = links[1:]
			if m[0] < last {
				continue
			}
			out = append(out, storedPart{text: text[last:m[0]]}, storedPart{label: text[m[2]:m[3]], url: text[m[4]:m[5]]})
			last = m[1]
			continue
		}
		m := mentions[0]
		mentions = mentions[1:]
		if m[0] < last {
			continue
		}
		out = append(out, storedPart{text: text[last:m[0]]}, storedPart{text: text[m[0]:m[1]], mention: true})
		last = m[1]
	}
	return append(out, storedPart{text: text[last:]})
}
