package handlers_test

import (
	"strings"
	"testing"

	"salescoach/bot/handlers"
)

// TestLanguageFromSlackLocale: a rep whose Slack locale is zh-CN gets Chinese
// replies without configuring anything; /coach lang en switches back. The
// locale is read once, in the background, and cached.
func TestLanguageFromSlackLocale(t *testing.T) {
	t.Parallel()
	api := newFakeWebAPI(t, map[string]fakeUser{
		"UZH": {Locale: "zh-CN", TZ: "Asia/Shanghai"},
		"UEN": {Locale: "en-US", TZ: "America/New_York"},
	})
	f := newSlackFixture(t, api, handlers.Config{})

	// The first reply may come before Slack has told us the locale.
	f.slack.Command("T1", "UZH", "/deal", "add Acme Corp 12k")
	f.app.Wait()

	tests := []struct {
		name, user, command, text string
		want                      []string
	}{
		{"ChineseLocale", "UZH", "/deal", "add Globex 5k", []string{"已新建 #2 Globex", "下一步", "原因 · 进度正常"}},
		{"ChineseHelp", "UZH", "/coach", "help", []string{"用 /coach 获取辅导"}},
		{"ChineseError", "UZH", "/deal", "move globex nowhere", []string{"未知阶段"}},
		{"EnglishLocale", "UEN", "/deal", "add Initech 5k", []string{"Added #3 Initech", "Next step"}},
		{"SwitchToEnglish", "UZH", "/coach", "lang en", []string{"I will answer you in English."}},
		{"EnglishFromNowOn", "UZH", "/deal", "note acme called the CFO", []string{"Noted on #1 Acme Corp", "Next step", "Why · On track"}},
		{"BackToChinese", "UZH", "/coach", "lang zh", []string{"之后我会用中文回复您。"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			all := f.slack.Command("T1", tt.user, tt.command, tt.text).AllText()
			f.app.Wait()
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("%s %s: reply lacks %q:\n%s", tt.command, tt.text, w, all)
				}
			}
		})
	}
	if n := api.Calls("users.info"); n != 2 {
		t.Errorf("users.info called %d times for 2 users, want once each", n)
	}
}

// TestProfileNeverOnReplyPath: while Slack's users.info hangs, commands are
// still answered; the profile arrives later.
func TestProfileNeverOnReplyPath(t *testing.T) {
	t.Parallel()
	api := newFakeWebAPI(t, map[string]fakeUser{"U1": {Locale: "zh-CN", TZ: "Asia/Shanghai", Admin: true}})
	api.hold = make(chan struct{})
	f := newSlackFixture(t, api, handlers.Config{})

	first := f.slack.Command("T1", "U1", "/deal", "add Acme Corp 12k")
	second := f.slack.Command("T1", "U1", "/deal", "list")
	if !strings.Contains(first.Text, "Added #1 Acme Corp") || !strings.Contains(second.AllText(), "#1 Acme Corp") {
		t.Errorf("replies while Slack hangs:\n%s\n%s", first.AllText(), second.AllText())
	}
	close(api.hold)
	f.app.Wait()
	if n := api.Calls("users.info"); n != 1 {
		t.Errorf("users.info called %d times, want 1", n)
	}
	// Now known: Chinese, and a workspace admin is a manager.
	if got := f.slack.Command("T1", "U1", "/deal", "list team").Text; !strings.Contains(got, "团队的进行中商机") {
		t.Errorf("after the profile arrived: %q", got)
	}
}
