package transport

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

func TestRetryDo(t *testing.T) {
	tests := []struct {
		name      string
		responses []func(w http.ResponseWriter)
		wantCalls int32
		wantErr   bool
		wantWaits []time.Duration
	}{
		{"OK", []func(http.ResponseWriter){ok}, 1, false, nil},
		{"RateLimitedWithRetryAfter", []func(http.ResponseWriter){
			func(w http.ResponseWriter) { w.Header().Set("Retry-After", "7"); w.WriteHeader(429) }, ok,
		}, 2, false, []time.Duration{7 * time.Second}},
		{"RetryAfterTwoMinutesWaitedInFull", []func(http.ResponseWriter){
			func(w http.ResponseWriter) { w.Header().Set("Retry-After", "120"); w.WriteHeader(429) }, ok,
		}, 2, false, []time.Duration{120 * time.Second}},
		{"RetryAfterPastTheCeilingGivesUp", []func(http.ResponseWriter){
			func(w http.ResponseWriter) { w.Header().Set("Retry-After", "600"); w.WriteHeader(429) }, ok,
		}, 1, true, nil},
		{"ServerErrorsBackOff", []func(http.ResponseWriter){
			status(503), status(502), ok,
		}, 3, false, []time.Duration{500 * time.Millisecond, time.Second}},
		{"GivesUp", []func(http.ResponseWriter){
			status(500), status(500), status(500), status(500), status(500), status(500),
		}, 5, true, []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second}},
		{"ClientErrorNotRetried", []func(http.ResponseWriter){
			func(w http.ResponseWriter) { w.Write([]byte(`{"ok":false,"error":"channel_not_found"}`)) },
		}, 1, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := calls.Add(1)
				tt.responses[n-1](w)
			}))
			defer srv.Close()
			client := slack.New("xoxb-test", slack.OptionAPIURL(srv.URL+"/"))
			var waits []time.Duration
			r := Retry{Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}
			err := r.Do(context.Background(), func(ctx context.Context) error {
				_, _, err := client.PostMessageContext(ctx, "C1", slack.MsgOptionText("hi", false))
				return err
			})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if got := calls.Load(); got != tt.wantCalls {
				t.Errorf("calls = %d, want %d", got, tt.wantCalls)
			}
			if len(waits) != len(tt.wantWaits) {
				t.Fatalf("waits = %v, want %v", waits, tt.wantWaits)
			}
			for i := range waits {
				if waits[i] != tt.wantWaits[i] {
					t.Errorf("wait %d = %v, want %v", i, waits[i], tt.wantWaits[i])
				}
			}
		})
	}
}

func TestRetryTimeoutIsAmbiguous(t *testing.T) {
	var calls atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		<-release
	}))
	defer srv.Close()
	defer close(release)
	client := slack.New("xoxb-test", slack.OptionAPIURL(srv.URL+"/"), slack.OptionHTTPClient(&http.Client{Timeout: 100 * time.Millisecond}))
	err := Retry{}.Do(context.Background(), func(ctx context.Context) error {
		_, _, err := client.PostMessageContext(ctx, "C1", slack.MsgOptionText("hi", false))
		return err
	})
	if !errors.Is(err, ErrAmbiguous) {
		t.Fatalf("err = %v, want ErrAmbiguous", err)
	}
	if calls.Load() != 1 {
		t.Errorf("calls = %d: a time-out must not be retried blindly", calls.Load())
	}
}

// TestRetryAfterPastTheDeadline has Slack ask for a longer wait than the
// work has left: the call fails at once instead of sleeping in vain.
func TestRetryAfterPastTheDeadline(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(429)
	}))
	defer srv.Close()
	client := slack.New("xoxb-test", slack.OptionAPIURL(srv.URL+"/"))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	slept := false
	err := Retry{Sleep: func(context.Context, time.Duration) error { slept = true; return nil }}.Do(ctx, func(ctx context.Context) error {
		_, _, err := client.PostMessageContext(ctx, "C1", slack.MsgOptionText("hi", false))
		return err
	})
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || slept || calls.Load() != 1 {
		t.Errorf("err %v, slept %v, %d calls: want Slack's 429 at once", err, slept, calls.Load())
	}
}

func ok(w http.ResponseWriter) { w.Write([]byte(`{"ok":true,"channel":"C1","ts":"1.2"}`)) }

func status(code int) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) { w.WriteHeader(code) }
}
