package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// scenario is one load shape measured on every system.
type scenario struct {
	name string
	run  func(ctx context.Context, base string) sample
}

// The systems, by the names their rows carry.
const (
	floorName = "floor"
	serveName = "salescoach"
	peerName  = "Bolt peer"
	// compareName is the other salescoach binary of --compare.
	compareName = "compare"
)

type results struct {
	o         options
	systems   []string // in the order of the table: floor, salescoach, peer
	scenarios []string
	// rounds[scenario][system] are the samples of that scenario's rounds.
	rounds  map[string]map[string][]sample
	grown   map[string]map[string]sample // the round after grow, when run
	grownN  int
	idleRSS map[string]int64
	peakRSS map[string]int64 // under the closed loop
	noPeer  string           // why the peer did not run
}

// measure runs every scenario for o.rounds rounds, each round one phase per
// system, the systems taking turns to go first; then, when grow is set, it
// loads the data and runs one more round. settle runs before every round.
func measure(ctx context.Context, o options, systems []*server, pg *pgMeter, settle func(context.Context) error, grow func(context.Context) error) (*results, error) {
	cs := clients(o.clients, o.teams)
	one := clients(1, 1)
	scenarios := []scenario{
		{"closed loop, 32 clients", func(ctx context.Context, base string) sample {
			return closedLoop(ctx, base, cs, o.duration)
		}},
		{fmt.Sprintf("open loop, %d req/s", o.rate), func(ctx context.Context, base string) sample {
			return openLoop(ctx, base, cs, o.rate, o.duration)
		}},
		{"one client, 20 req/s", func(ctx context.Context, base string) sample {
			return openLoop(ctx, base, one, 20, o.duration)
		}},
	}
	if o.clients != 32 {
		scenarios[0].name = fmt.Sprintf("closed loop, %d clients", o.clients)
	}
	res := &results{o: o, rounds: map[string]map[string][]sample{}, idleRSS: map[string]int64{}, peakRSS: map[string]int64{}}
	for _, s := range systems {
		res.systems = append(res.systems, s.name)
		res.idleRSS[s.name] = s.rss()
	}
	warm := func() {
		// Connections, caches, the plans of PostgreSQL and of the JIT.
		for _, s := range systems {
			closedLoop(ctx, s.url, cs, 2*time.Second)
		}
	}
	phase := func(sc scenario, s *server, closed bool) sample {
		peak := res.peakRSS[s.name]
		stopRSS := sampleRSS(s, &peak, closed)
		cpu := startCPU(ctx, s, pg)
		smp := sc.run(ctx, s.url)
		smp.cpu = cpu()
		stopRSS()
		res.peakRSS[s.name] = peak
		return smp
	}
	warm()
	if err := settle(ctx); err != nil {
		return nil, err
	}
	for i, sc := range scenarios {
		res.scenarios = append(res.scenarios, sc.name)
		res.rounds[sc.name] = map[string][]sample{}
		for round := 0; round < o.rounds; round++ {
			if err := settle(ctx); err != nil {
				return nil, err
			}
			for k := range systems {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				s := systems[(round+k)%len(systems)]
				res.rounds[sc.name][s.name] = append(res.rounds[sc.name][s.name], phase(sc, s, i == 0))
			}
		}
	}
	if grow == nil {
		return res, nil
	}
	if err := grow(ctx); err != nil {
		return nil, err
	}
	warm()
	if err := settle(ctx); err != nil {
		return nil, err
	}
	res.grown = map[string]map[string]sample{}
	for _, sc := range scenarios {
		res.grown[sc.name] = map[string]sample{}
		for _, s := range systems {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			res.grown[sc.name][s.name] = phase(sc, s, false)
		}
	}
	return res, nil
}

// sampleRSS records the process's peak resident memory while on.
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

// med is the median of a metric over rounds.
func med(ss []sample, f func(sample) float64) float64 {
	v := make([]float64, len(ss))
	for i, s := range ss {
		v[i] = f(s)
	}
	sort.Float64s(v)
	if len(v) == 0 {
		return 0
	}
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

var (
	tp  = func(s sample) float64 { return s.throughput() }
	p50 = func(s sample) float64 { return ms(s.pct(0.50)) }
	p99 = func(s sample) float64 { return ms(s.pct(0.99)) }
	// CPU seconds per 1,000 requests, of the server and of PostgreSQL.
	srvCPU = func(s sample) float64 { return perK(s, s.cpu.server) }
	pgCPU  = func(s sample) float64 { return perK(s, s.cpu.pg) }
)

func perK(s sample, d time.Duration) float64 {
	if s.n+s.errors == 0 {
		return 0
	}
	return d.Seconds() * 1000 / float64(s.n+s.errors)
}

func (r *results) has(name string) bool {
	for _, s := range r.systems {
		if s == name {
			return true
		}
	}
	return false
}

func (r *results) print(w io.Writer) {
	errs := func(ss []sample) int {
		n := 0
		for _, s := range ss {
			n += s.errors
		}
		return n
	}
	if r.noPeer != "" {
		fmt.Fprintf(w, "\nThe Bolt peer is left out: %s. Measuring the floor and salescoach.\n", r.noPeer)
	}
	fmt.Fprintf(w, "\nmedians of %d rounds; CPU in seconds per 1,000 requests, of the server process and of the PostgreSQL backends\n", r.o.rounds)
	fmt.Fprintf(w, "\n%-26s %-11s %8s %8s %8s %6s %8s %8s\n", "scenario", "system", "req/s", "p50 ms", "p99 ms", "errors", "CPU srv", "CPU pg")
	rule := strings.Repeat(" ", 26+1+11)
	for i, name := range r.scenarios {
		by := r.rounds[name]
		for _, sys := range r.systems {
			ss := by[sys]
			fmt.Fprintf(w, "%-26s %-11s %8.0f %8.2f %8.2f %6d %8.2f %8.2f\n", name, sys, med(ss, tp), med(ss, p50), med(ss, p99), errs(ss), med(ss, srvCPU), med(ss, pgCPU))
		}
		sc, fl := by[serveName], by[floorName]
		pe, peer := by[peerName], r.has(peerName)
		switch i {
		case 0:
			line := fmt.Sprintf("throughput: salescoach ÷ floor %.2f (≥ 0.75: %s)", med(sc, tp)/med(fl, tp), verdict(med(sc, tp) >= 0.75*med(fl, tp)))
			if peer {
				line += fmt.Sprintf(", ÷ peer %.2f (≥ 1.3: %s)", med(sc, tp)/med(pe, tp), verdict(med(sc, tp) >= 1.3*med(pe, tp)))
			}
			fmt.Fprintf(w, "%s %s\n", rule, line)
		case 1:
			line := fmt.Sprintf("p99: salescoach ÷ floor %.2f (≤ 1.3: %s)", med(sc, p99)/med(fl, p99), verdict(med(sc, p99) <= 1.3*med(fl, p99)))
			if peer {
				line += fmt.Sprintf(", ÷ peer %.2f", med(sc, p99)/med(pe, p99))
			}
			fmt.Fprintf(w, "%s %s\n", rule, line)
		case 2:
			line := fmt.Sprintf("p50: salescoach ÷ floor %.2f", med(sc, p50)/med(fl, p50))
			if peer {
				line += fmt.Sprintf(", ÷ peer %.2f (≤ 1: %s)", med(sc, p50)/med(pe, p50), verdict(med(sc, p50) <= med(pe, p50)))
			}
			fmt.Fprintf(w, "%s %s\n", rule, line)
		}
	}

	// The closed loop round by round, as the machine's noise shows in it.
	first := r.rounds[r.scenarios[0]]
	fmt.Fprintf(w, "\n%s, round by round (req/s):\n%-6s", r.scenarios[0], "round")
	for _, sys := range r.systems {
		fmt.Fprintf(w, " %11s", sys)
	}
	fmt.Fprintf(w, " %10s", "sc ÷ floor")
	if r.has(peerName) {
		fmt.Fprintf(w, " %9s", "sc ÷ peer")
	}
	fmt.Fprintln(w)
	for k := 0; k < r.o.rounds; k++ {
		fmt.Fprintf(w, "%-6d", k+1)
		for _, sys := range r.systems {
			fmt.Fprintf(w, " %11.0f", first[sys][k].throughput())
		}
		fmt.Fprintf(w, " %10.2f", first[serveName][k].throughput()/first[floorName][k].throughput())
		if r.has(peerName) {
			fmt.Fprintf(w, " %9.2f", first[serveName][k].throughput()/first[peerName][k].throughput())
		}
		fmt.Fprintln(w)
	}

	fmt.Fprintf(w, "\nmemory (RSS): idle / peak under the closed loop:")
	for i, sys := range r.systems {
		if i > 0 {
			fmt.Fprint(w, ";")
		}
		fmt.Fprintf(w, " %s %.1f / %.1f MB", sys, float64(r.idleRSS[sys])/1e6, float64(r.peakRSS[sys])/1e6)
	}
	fmt.Fprintf(w, "\n%s salescoach idle ≤ 40 MB: %s; under load ≤ 60 MB: %s\n", rule, verdict(r.idleRSS[serveName] <= 40e6), verdict(r.peakRSS[serveName] <= 60e6))

	if r.grown == nil {
		return
	}
	fmt.Fprintf(w, "\nafter loading %d more deals, one round:\n", r.grownN)
	fmt.Fprintf(w, "%-26s %-11s %8s %8s %8s %6s %8s %8s\n", "scenario", "system", "req/s", "p50 ms", "p99 ms", "errors", "CPU srv", "CPU pg")
	for _, name := range r.scenarios {
		for _, sys := range r.systems {
			s := r.grown[name][sys]
			fmt.Fprintf(w, "%-26s %-11s %8.0f %8.2f %8.2f %6d %8.2f %8.2f\n", name, sys, s.throughput(), ms(s.pct(0.5)), ms(s.pct(0.99)), s.errors, srvCPU(s), pgCPU(s))
		}
	}
	fmt.Fprintf(w, "%s closed-loop throughput ÷ the first round's:", rule)
	for i, sys := range r.systems {
		if i > 0 {
			fmt.Fprint(w, ",")
		}
		fmt.Fprintf(w, " %s %.2f", sys, r.grown[r.scenarios[0]][sys].throughput()/first[sys][0].throughput())
	}
	fmt.Fprintln(w)
}
