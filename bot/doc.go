// Package bot is Sales Coach's Slack side, split by kind of thing. Its
// subpackages, with the arrows between them pointing one way only (a test,
// layout_test.go, holds them):
//
//	bot/
//	├── handlers/  use cases: the App, the command table, buttons, modals,
//	│              events, the stats cache, profile refresh, the console
//	├── jobs/      background work: the digest scheduler, the nudges, the
//	│              pictures — behind a small Poster, never the whole App
//	├── transport/ Slack transport: HTTP (verification, replay check,
//	│              deadline), Socket Mode, OAuth install, token sealing, Web
//	│              API clients and retries
//	├── render/    what users see: replies, Block Kit, console text, the
//	│              digest and stats text, the App Home and the modals
//	├── observe/   plumbing: metrics, request ids and logging, work in
//	│              flight, panic recovery
//	└── bottest/   a test kit that talks to the bot the way Slack does,
//	               and an in-memory store the handler tests run on
//
//	handlers → jobs, transport, render, observe
//	jobs     → transport, render, observe
//	transport → render, observe
//	render   → coach
//	observe  → coach
//
// Nothing under bot imports the database (salescoach/db): each consumer
// declares the small interface it needs (handlers.Store is theirs put
// together), and cmd/salescoach wires the store in.
package bot
