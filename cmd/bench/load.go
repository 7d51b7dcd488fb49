package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"salescoach/bot/transport"
)

const secret = "bench-signing-secret-0123456789"

// client is one simulated user: a Slack user of one team.
type client struct {
	team, user string
	n          int
}

func clients(n, teams int) []*client {
	cs := make([]*client, n)
	for i := range cs {
		cs[i] = &client{team: fmt.Sprintf("TBENCH%02d", i%teams), user: fmt.Sprintf("UBENCH%03d", i)}
	}
	return cs
}

var httpClient = &http.Client{
	Transport: &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024, IdleConnTimeout: time.Minute},
	Timeout:   30 * time.Second,
}

var triggers atomic.Int64

// request builds the next command of c, half adds and half lists, signed as
// Slack signs it, with a fresh trigger_id so no two signatures repeat.
func (c *client) request(base string, rng *rand.Rand) *http.Request {
	c.n++
	text := "list"
	if rng.IntN(2) == 0 {
		text = fmt.Sprintf("add Bench deal %s-%d 12k", c.user, c.n)
	}
	form := url.Values{
		"token": {"x"}, "team_id": {c.team}, "team_domain": {"bench"}, "channel_id": {"CBENCH"},
		"channel_name": {"sales"}, "user_id": {c.user}, "user_name": {c.user}, "command": {"/deal"},
		"text": {text}, "api_app_id": {"ABENCH"}, "response_url": {"https://hooks.slack.invalid/x"},
		"trigger_id": {fmt.Sprintf("%d.%d", time.Now().UnixNano(), triggers.Add(1))},
	}
	body := []byte(form.Encode())
	req, _ := http.NewRequest(http.MethodPost, base+"/slack/commands", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	transport.Sign(req.Header, secret, body, time.Now())
	return req
}

func do(req *http.Request) error {
	resp, err := httpClient.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// sample is what a phase measured.
type sample struct {
	n         int
	errors    int
	elapsed   time.Duration
	latencies []time.Duration
	cpu       cpuSpan
}

func (s sample) throughput() float64 { return float64(s.n) / s.elapsed.Seconds() }

func (s sample) pct(p float64) time.Duration {
	if len(s.latencies) == 0 {
		return 0
	}
	i := int(p * float64(len(s.latencies)-1))
	return s.latencies[i]
}

type recorder struct {
	mu   sync.Mutex
	lat  []time.Duration
	errs int
}

func (r *recorder) add(d time.Duration, err error) {
	r.mu.Lock()
	if err != nil {
		r.errs++
	} else {
		r.lat = append(r.lat, d)
	}
	r.mu.Unlock()
}

func (r *recorder) sample(elapsed time.Duration) sample {
	sort.Slice(r.lat, func(i, j int) bool { return r.lat[i] < r.lat[j] })
	return sample{n: len(r.lat), errors: r.errs, elapsed: elapsed, latencies: r.lat}
}

// closedLoop runs each client back to back for d.
func closedLoop(ctx context.Context, base string, cs []*client, d time.Duration) sample {
	var rec recorder
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			for ctx.Err() == nil {
				req := c.request(base, rng)
				t := time.Now()
				err := do(req)
				if ctx.Err() == nil {
					rec.add(time.Since(t), err)
				}
			}
		}()
	}
	wg.Wait()
	return rec.sample(time.Since(start))
}

// openLoop sends rate requests per second for d, whatever the answers, and
// measures each latency from the moment the request was due (so a slow
// server cannot hide its queue).
func openLoop(ctx context.Context, base string, cs []*client, rate int, d time.Duration) sample {
	var rec recorder
	var wg sync.WaitGroup
	interval := time.Second / time.Duration(rate)
	total := int(d / interval)
	start := time.Now()
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < total && ctx.Err() == nil; i++ {
		due := start.Add(time.Duration(i) * interval)
		time.Sleep(time.Until(due))
		mu.Lock()
		req := cs[i%len(cs)].request(base, rng)
		mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := do(req)
			rec.add(time.Since(due), err)
		}()
	}
	wg.Wait()
	return rec.sample(time.Since(start))
}
