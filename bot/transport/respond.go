package transport

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/slack-go/slack"
)

// Respond posts msg to a response_url (it needs no token) with hc. Failures
// that surely did not post are retried; a time-out is not, so nothing posts
// twice. Its errors never carry the URL itself, which lets anyone who has it
// post for 30 minutes: they name it by RedactURL.
func Respond(ctx context.Context, hc *http.Client, url string, msg any) error {
	return RedactErr(respond(ctx, hc, url, msg))
}

func respond(ctx context.Context, hc *http.Client, url string, msg any) error {
	body, err := json.Marshal(msg)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	return Retry{Attempts: 3}.Do(ctx, func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("response_url %s: invalid", RedactURL(url))
		}
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		if resp.StatusCode/100 != 2 {
			return slack.StatusCodeError{Code: resp.StatusCode, Status: resp.Status}
		}
		return nil
	})
}

// RedactURL names a URL without what makes it a capability: its scheme and
// host, and a short hash of the whole, so that log lines about the same URL
// can still be matched ("https://hooks.slack.com/…(redacted 3f9a1c)").
func RedactURL(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	tag := "(redacted " + hex.EncodeToString(sum[:3]) + ")"
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "…" + tag
	}
	return u.Scheme + "://" + u.Host + "/…" + tag
}

// RedactErr redacts the URL that an error of net/http names (the address a
// file is uploaded to is a capability too).
func RedactErr(err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		uerr.URL = RedactURL(uerr.URL)
	}
	return err
}
