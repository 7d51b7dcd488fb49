package main

import (
	"errors"
	"strings"
	"testing"
)

func TestServeSettings(t *testing.T) {
	const key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" // 32 bytes
	tests := []struct {
		name string
		env  map[string]string
		want string // the setting the error names; "" when serve may start
	}{
		{"HTTP", map[string]string{"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-1"}, ""},
		{"NothingFromSlack", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"},
		{"SocketModeOnly", map[string]string{"SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN": "xoxb-1"}, ""},
		{"SocketModeWithoutBotToken", map[string]string{"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"},
		{"SocketModeWithOAuth", map[string]string{"SLACK_APP_TOKEN": "xapp-1", "SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c",
			"SALESCOACH_SECRET_KEY": key, "SALESCOACH_PUBLIC_URL": "https://coach.example.com"}, ""},
		{"AppTokenOfTheWrongKind", map[string]string{"SLACK_APP_TOKEN": "xoxb-1", "SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"},
		{"OAuthWithoutPublicURL", map[string]string{"SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c",
			"SALESCOACH_SECRET_KEY": key}, "SALESCOACH_PUBLIC_URL"},
		{"OAuthWithoutKey", map[string]string{"SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c",
			"SALESCOACH_PUBLIC_URL": "https://coach.example.com"}, "SALESCOACH_SECRET_KEY"},
		{"ShortKey", map[string]string{"SLACK_SIGNING_SECRET": "s", "SALESCOACH_SECRET_KEY": "c2hvcnQ="}, "SALESCOACH_SECRET_KEY"},
		{"BadRetention", map[string]string{"SLACK_SIGNING_SECRET": "s", "SALESCOACH_RETENTION_DAYS": "0"}, "SALESCOACH_RETENTION_DAYS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := loadConfig(func(k string) string { return tt.env[k] })
			err := c.validate()
			if err == nil {
				err = c.serveSettings()
			}
			var se *settingError
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.want != "" && (!errors.As(err, &se) || se.name != tt.want):
				t.Errorf("error %v, want one naming %s", err, tt.want)
			case err != nil && strings.Contains(err.Error(), "\n"):
				t.Errorf("error %q is not one line", err)
			}
		})
	}
}
