package coach

import "time"

// Installation is a workspace that installed the app through Slack's OAuth
// flow. BotToken is sealed (encrypted) by the bot before it reaches the store.
type Installation struct {
	TeamID       string
	TeamName     string
	EnterpriseID string
	AppID        string
	BotUserID    string
	BotToken     []byte // sealed; never the plaintext token
	Scopes       string
	InstalledBy  string
	InstalledAt  time.Time
}
