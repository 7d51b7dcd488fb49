package coach

import "time"

// Member is what the store knows of a user of a team.
type Member struct {
	TeamID     string
	UserID     string
	Manager    bool      // made a manager with /coach managers add
	SlackAdmin bool      // a workspace admin or owner, as Slack last said
	Lang       Lang      // chosen with /coach lang; "" follows the locale
	Locale     string    // the Slack locale, e.g. "zh-CN"
	TZ         string    // the Slack time zone (IANA)
	FetchedAt  time.Time // when the Slack profile was last read; zero if never
	Currency   string    // the team's reporting currency
}

// Caller is who issued a command: a user of a team, their role and language.
type Caller struct {
	TeamID   string
	UserID   string
	Manager  bool
	Lang     Lang
	Currency string // the team's reporting currency
	Loc      *time.Location
}

// CanSee reports whether the caller may see and change d: a manager any deal
// of the team, a rep only their own.
func (c Caller) CanSee(d Deal) bool {
	return d.TeamID == c.TeamID && (c.Manager || d.OwnerID == c.UserID)
}
