// Package transport is how Slack reaches the bot and the bot reaches Slack:
// the HTTP routes (signature, replay check, deadline), Socket Mode, the OAuth
// install with its sealed tokens, the Web API clients and how their calls
// are retried. It hands every verified request to a Handler, which it
// declares; it never imports the handlers.
package transport
