package handlers_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"salescoach/bot/handlers"
	"salescoach/bot/transport"
)

// manifest is the part of a Slack app manifest the bot depends on.
type manifest struct {
	Features struct {
		AppHome struct {
			HomeTab bool `yaml:"home_tab_enabled"`
		} `yaml:"app_home"`
		SlashCommands []struct {
			Command      string `yaml:"command"`
			URL          string `yaml:"url"`
			Description  string `yaml:"description"`
			ShouldEscape bool   `yaml:"should_escape"`
		} `yaml:"slash_commands"`
	} `yaml:"features"`
	OAuth struct {
		RedirectURLs []string `yaml:"redirect_urls"`
		Scopes       struct {
			Bot []string `yaml:"bot"`
		} `yaml:"scopes"`
	} `yaml:"oauth_config"`
	Settings struct {
		Events struct {
			RequestURL string   `yaml:"request_url"`
			BotEvents  []string `yaml:"bot_events"`
		} `yaml:"event_subscriptions"`
		Interactivity struct {
			Enabled    bool   `yaml:"is_enabled"`
			RequestURL string `yaml:"request_url"`
		} `yaml:"interactivity"`
		SocketMode bool `yaml:"socket_mode_enabled"`
	} `yaml:"settings"`
}

func TestManifests(t *testing.T) {
	t.Parallel()
	var roots []string
	for _, c := range handlers.New(handlers.Config{}).Commands() {
		if !slices.Contains(roots, "/"+c.Root) {
			roots = append(roots, "/"+c.Root)
		}
	}
	for _, tt := range []struct {
		file   string
		socket bool
	}{{"../../manifest.yml", false}, {"../../manifest.socket.yml", true}} {
		t.Run(strings.TrimPrefix(tt.file, "../../"), func(t *testing.T) {
			b, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			var m manifest
			if err := yaml.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			var cmds []string
			for _, c := range m.Features.SlashCommands {
				cmds = append(cmds, c.Command)
				if !c.ShouldEscape {
					t.Errorf("%s: should_escape is off, so mentions would not arrive as user ids", c.Command)
				}
				if c.Description == "" {
					t.Errorf("%s has no description", c.Command)
				}
				if wantURL := !tt.socket; (c.URL != "") != wantURL || wantURL && !strings.HasSuffix(c.URL, "/slack/commands") {
					t.Errorf("%s: url %q", c.Command, c.URL)
				}
			}
			slices.Sort(cmds)
			slices.Sort(roots)
			if !slices.Equal(cmds, roots) {
				t.Errorf("commands %v, the command table has %v", cmds, roots)
			}
			scopes, want := slices.Sorted(slices.Values(m.OAuth.Scopes.Bot)), slices.Sorted(slices.Values(transport.BotScopes()))
			if !slices.Equal(scopes, want) {
				t.Errorf("bot scopes %v, the OAuth install asks for %v", scopes, want)
			}
			for _, ev := range []string{"app_home_opened", "app_uninstalled", "tokens_revoked"} {
				if !slices.Contains(m.Settings.Events.BotEvents, ev) {
					t.Errorf("no subscription to %s", ev)
				}
			}
			if !m.Features.AppHome.HomeTab || !m.Settings.Interactivity.Enabled {
				t.Error("the Home tab or interactivity is off")
			}
			if m.Settings.SocketMode != tt.socket {
				t.Errorf("socket_mode_enabled: %v", m.Settings.SocketMode)
			}
			urls := map[string]string{
				"/slack/events": m.Settings.Events.RequestURL, "/slack/interactions": m.Settings.Interactivity.RequestURL,
			}
			for path, u := range urls {
				if tt.socket && u != "" || !tt.socket && !strings.HasSuffix(u, path) {
					t.Errorf("request URL for %s: %q", path, u)
				}
			}
			if !tt.socket && (len(m.OAuth.RedirectURLs) != 1 || !strings.HasSuffix(m.OAuth.RedirectURLs[0], "/slack/oauth/callback")) {
				t.Errorf("redirect_urls %v", m.OAuth.RedirectURLs)
			}
		})
	}
}
