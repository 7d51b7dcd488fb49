// Package handlers is the bot's use cases: the App, which answers slash
// commands (one table drives parsing, routing, help and metrics), buttons,
// modals and events, and keeps the team's numbers cached and the users'
// Slack profiles fresh. The transports hand it verified requests
// (transport.Handler); it answers with replies drawn by render.
//
// One file per command group: deals.go (/deal add, move, next, won, lost,
// note, …), list.go (/deal list and show), pause_check.go, coach_cmds.go,
// coach_stats.go, digest_cmds.go, pictures.go, export.go; buttons.go,
// modals.go and events.go for what Slack sends besides commands.
package handlers
