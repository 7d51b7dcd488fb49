package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"
)

// scenario is one load shape measured on both servers.
type scenario struct {
	name   string
	target string
	run    func(ctx context.Context, base string) sample
}

type pair struct{ floor, serve []sample }

type results struct {
	o       options
	order   []string
	byName  map[string]*pair
	idleRSS int64
	peakRSS int64
}

func measure(ctx context.Context, o options, floor, serve *server, settle func(context.Context) error) (*results, error) {
	cs := clients(o.clients, o.teams)
	one := clients(1, 1)
	scenarios := []scenario{
		{"closed loop, 32 clients", "throughput ≥ 0.9 × floor", func(ctx context.Context, base string) sample {
			return closedLoop(ctx, base, cs, o.duration)
		}},
		{fmt.Sprintf("open loop, %d req/s", o.rate), "p99 ≤ 1.2 × floor's", func(ctx context.Context, base string) sample {
			return openLoop(ctx, base, cs, o.rate, o.duration)
		}},
		{"one client, 20 req/s", "p50 ≤ 1.5 × floor's", func(ctx context.Context, base string) sample {
			return openLoop(ctx, base, one, 20, o.duration)
		}},
	}
	res := &results{o: o, byName: map[string]*pair{}}
	// Warm both up (connections, caches, the JIT of PostgreSQL's plans).
	closedLoop(ctx, floor.url, cs, 2*time.Second)
	closedLoop(ctx, serve.url, cs, 2*time.Second)
	if err := settle(ctx); err != nil {
		return nil, err
	}
	for _, sc := range scenarios {
		res.order = append(res.order, sc.name)
		p := &pair{}
		res.byName[sc.name] = p
		for round := 0; round < o.rounds; round++ {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			p.floor = append(p.floor, sc.run(ctx, floor.url))
			stopSampling := sampleRSS(serve, &res.peakRSS, sc.name == scenarios[0].name)
			p.serve = append(p.serve, sc.run(ctx, serve.url))
			stopSampling()
		}
	}
	return res, nil
}

// sampleRSS records the serve process's peak resident memory while on.
func sampleRSS(s *server, peak *int64, on bool) func() {
	if !on {
		return func() {}
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			if r := s.rss(); r > *peak {
				*peak = r
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-stopped }
}

// median of a metric over rounds.
func med(ss []sample, f func(sample) float64) float64 {
	v := make([]float64, len(ss))
	for i, s := range ss {
		v[i] = f(s)
	}
	sort.Float64s(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func (r *results) print(w io.Writer) {
	tp := func(s sample) float64 { return s.throughput() }
	p50 := func(s sample) float64 { return ms(s.pct(0.50)) }
	p99 := func(s sample) float64 { return ms(s.pct(0.99)) }
	errs := func(ss []sample) int {
		n := 0
		for _, s := range ss {
			n += s.errors
		}
		return n
	}
	verdict := func(ok bool) string {
		if ok {
			return "meets"
		}
		return "MISSES"
	}
	fmt.Fprintf(w, "\n%-26s %-12s %10s %9s %9s %7s   %s\n", "scenario", "server", "req/s", "p50 ms", "p99 ms", "errors", "target")
	for i, name := range r.order {
		p := r.byName[name]
		for _, row := range []struct {
			who string
			ss  []sample
		}{{"floor", p.floor}, {"salescoach", p.serve}} {
			fmt.Fprintf(w, "%-26s %-12s %10.0f %9.1f %9.1f %7d\n", name, row.who, med(row.ss, tp), med(row.ss, p50), med(row.ss, p99), errs(row.ss))
		}
		var ratio float64
		var ok bool
		switch i {
		case 0:
			ratio = med(p.serve, tp) / med(p.floor, tp)
			ok = ratio >= 0.9
			fmt.Fprintf(w, "%-26s %-12s %10s %9s %9s %7s   throughput %.2f × floor (≥ 0.9): %s\n", "", "", "", "", "", "", ratio, verdict(ok))
		case 1:
			ratio = med(p.serve, p99) / med(p.floor, p99)
			ok = ratio <= 1.2
			fmt.Fprintf(w, "%-26s %-12s %10s %9s %9s %7s   p99 %.2f × floor's (≤ 1.2): %s\n", "", "", "", "", "", "", ratio, verdict(ok))
		case 2:
			ratio = med(p.serve, p50) / med(p.floor, p50)
			ok = ratio <= 1.5
			fmt.Fprintf(w, "%-26s %-12s %10s %9s %9s %7s   p50 %.2f × floor's (≤ 1.5): %s\n", "", "", "", "", "", "", ratio, verdict(ok))
		}
	}
	fmt.Fprintf(w, "\nmemory of serve (RSS): idle %.1f MB (≤ 40: %s), peak under the closed loop %.1f MB (≤ 60: %s)\n",
		float64(r.idleRSS)/1e6, verdict(r.idleRSS <= 40e6), float64(r.peakRSS)/1e6, verdict(r.peakRSS <= 60e6))
}
