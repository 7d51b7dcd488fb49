package main

import (
	"errors"
	"strings"
	"testing"
)

func TestServeSettings(t *testing.T) {
	t.Parallel()
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

func TestManagersSetting(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"U0123ABCD", "T0123ABCD:U0123ABCD", "U1, T1:W2"} {
		if c := loadConfig(func(k string) string { return map[string]string{"SALESCOACH_MANAGERS": ok}[k] }); c.validate() != nil {
			t.Errorf("%q refused: %v", ok, c.validate())
		}
	}
	for _, bad := range []string{"bob", "T1:", ":U1", "t1:U1", "T1:U1:U2", "C1:U1"} {
		c := loadConfig(func(k string) string { return map[string]string{"SALESCOACH_MANAGERS": bad}[k] })
		var se *settingError
		if err := c.validate(); !errors.As(err, &se) || se.name != "SALESCOACH_MANAGERS" {
			t.Errorf("%q: error %v, want one naming SALESCOACH_MANAGERS", bad, err)
		}
	}
}

// TestManagersScope: SALESCOACH_MANAGERS applies to the single workspace it
// was set for. With OAuth installs a bare user id would otherwise make its
// user a manager of every workspace that installs the bot.
func TestManagersScope(t *testing.T) {
	t.Parallel()
	entries := []string{"UBOSS", "TA:UANN"}
	tests := []struct {
		name     string
		oauth    bool
		home     string
		want     []string
		warnings string // what the warning says; "" for none
	}{
		{"SingleWorkspace", false, "", []string{"UBOSS", "TA:UANN"}, ""},
		{"OAuthWithBotToken", true, "T1", []string{"T1:UBOSS", "TA:UANN"}, "managers of T1 (SLACK_BOT_TOKEN's workspace) only"},
		{"OAuthOnly", true, "", []string{"TA:UANN"}, "managers of none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warning := scopeManagers(entries, tt.oauth, tt.home)
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("managers %v, want %v", got, tt.want)
			}
			switch {
			case tt.warnings == "" && warning != "":
				t.Errorf("warned %q", warning)
			case tt.warnings != "" && !strings.Contains(warning, tt.warnings):
				t.Errorf("warning %q, want it to say %q", warning, tt.warnings)
			case strings.Contains(warning, "\n"):
				t.Errorf("warning %q is not one line", warning)
			}
		})
	}
	if _, w := scopeManagers([]string{"TA:UANN"}, true, ""); w != "" {
		t.Errorf("workspace-qualified entries warned %q", w)
	}
}
