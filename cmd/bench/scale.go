package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lib/pq"

	"salescoach/db"
)

// The §14 figures at scale: the report for one big team, and a weekly digest
// run for many teams, each against the real salescoach binary on a database
// the bench fills first.

const bigTeamID = "TBIG"

// digestTeamID names the i-th team of the digest run (from 0).
func digestTeamID(i int) string { return fmt.Sprintf("TD%04d", i+1) }

// dataset is what the scale database holds.
type dataset struct {
	teams          int       // digest teams
	to             time.Time // the generated history ends here
	deals, entries int64
	notes          int64
	load, index    time.Duration // generating and writing the rows; indexes, vacuum and analyse
	reused         bool
}

// ensureDataset fills a migrated database with the big team and teams digest
// teams, unless it holds them already (a database kept with --scale-db).
func ensureDataset(ctx context.Context, sqldb *sql.DB, teams int, progress io.Writer) (dataset, error) {
	ds := dataset{teams: teams}
	if _, err := sqldb.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS bench_dataset (teams int NOT NULL, generated_to timestamptz NOT NULL)`); err != nil {
		return ds, err
	}
	var have int
	err := sqldb.QueryRowContext(ctx, `SELECT teams, generated_to FROM bench_dataset`).Scan(&have, &ds.to)
	switch {
	case err == nil && have >= teams:
		ds.reused, ds.teams = true, have
	case err == nil:
		return ds, fmt.Errorf("the scale database holds %d digest teams, fewer than the %d asked for: use another --scale-db", have, teams)
	case !errors.Is(err, sql.ErrNoRows):
		return ds, err
	default:
		if err := generate(ctx, sqldb, teams, &ds, progress); err != nil {
			return ds, err
		}
	}
	err = sqldb.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM deals), count(*) FILTER (WHERE entry IS NOT NULL), count(*) FILTER (WHERE kind = 'note') FROM events`).
		Scan(&ds.deals, &ds.entries, &ds.notes)
	return ds, err
}

func generate(ctx context.Context, sqldb *sql.DB, teams int, ds *dataset, progress io.Writer) error {
	var n int
	if err := sqldb.QueryRowContext(ctx, `SELECT count(*) FROM deals`).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return errors.New("the scale database has deals but no bench dataset: use a new --scale-db")
	}
	ds.to = time.Now().UTC().Truncate(time.Second)
	l := &loader{db: sqldb, now: ds.to}
	start := time.Now()
	indexes, err := l.prepare(ctx)
	if err != nil {
		return fmt.Errorf("prepare the load: %w", err)
	}
	if err := l.loadTeam(ctx, bigTeamID, bigShape, ds.to, 14, "UTC"); err != nil {
		return fmt.Errorf("load %s: %w", bigTeamID, err)
	}
	// Two writers: one core generates while the other's rows go in.
	next := make(chan int)
	errs := make(chan error, 2)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := l.loadTeam(ctx, digestTeamID(i), digestTeam, ds.to, uint64(1000+i), "UTC"); err != nil {
					errs <- fmt.Errorf("load %s: %w", digestTeamID(i), err)
					return
				}
			}
		}()
	}
	var failed error
feed:
	for i := range teams {
		select {
		case next <- i:
		case failed = <-errs:
			break feed
		}
		if (i+1)%250 == 0 {
			fmt.Fprintf(progress, "  … %d of %d digest teams written (%.0f s)\n", i+1, teams, time.Since(start).Seconds())
		}
	}
	close(next)
	wg.Wait()
	close(errs)
	if failed == nil {
		failed = <-errs
	}
	if failed != nil {
		return failed
	}
	ds.load = time.Since(start)
	start = time.Now()
	if err := l.finish(ctx, indexes); err != nil {
		return fmt.Errorf("finish the load: %w", err)
	}
	ds.index = time.Since(start)
	_, err = sqldb.ExecContext(ctx, `INSERT INTO bench_dataset (teams, generated_to) VALUES ($1, $2)`, teams, ds.to)
	return err
}

// runTimes is a series of timings of one command.
type runTimes []time.Duration

func (r runTimes) median() time.Duration {
	s := append(runTimes(nil), r...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func (r runTimes) min() time.Duration { return slices.Min(r) }
func (r runTimes) max() time.Duration { return slices.Max(r) }

// runCommand runs the binary once and returns its wall time and output.
func runCommand(ctx context.Context, bin, dbURL string, args ...string) (time.Duration, []byte, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "LOG_LEVEL=warn")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	t := time.Now()
	err := cmd.Run()
	d := time.Since(t)
	if err != nil {
		return 0, nil, fmt.Errorf("salescoach %s: %w\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return d, stdout.Bytes(), nil
}

// reportTimes are the timings of salescoach report for the big team.
type reportTimes struct {
	quarter, spec, year, empty runTimes
	query                      runTimes // the same 13-week report in process, through db.Report
}

// timeReports times salescoach report for the big team over three windows,
// and for a team without data. The commands take turns, round after round,
// so that a noisy neighbour on the machine weighs on each alike; one round
// to warm up (the page cache, PostgreSQL's buffers) is not counted.
func timeReports(ctx context.Context, bin, dbURL string, store *db.DB, ds dataset, runs int) (reportTimes, error) {
	var r reportTimes
	to := ds.to.Format(time.RFC3339)
	report := func(team string, days int) []string {
		return []string{"report", "--team", team, "--format", "json", "--from", ds.to.AddDate(0, 0, -days).Format(time.RFC3339), "--to", to}
	}
	series := []struct {
		dst  *runTimes
		args []string
	}{
		{&r.quarter, report(bigTeamID, 91)},
		{&r.spec, report(bigTeamID, 90)},
		{&r.year, report(bigTeamID, 365)},
		{&r.empty, report("TNOBODY", 91)},
	}
	for round := 0; round <= runs; round++ {
		for i, sr := range series {
			d, out, err := runCommand(ctx, bin, dbURL, sr.args...)
			if err != nil {
				return r, err
			}
			if round == 0 && i == 0 {
				var check struct {
					Stages []struct {
						CompletedVisits int `json:"completed_visits"`
					} `json:"stages"`
				}
				if err := json.Unmarshal(out, &check); err != nil || len(check.Stages) == 0 || check.Stages[0].CompletedVisits == 0 {
					return r, fmt.Errorf("the report of %s is not the §9 JSON of a busy team (%v): %.200s", bigTeamID, err, out)
				}
			}
			if round > 0 {
				*sr.dst = append(*sr.dst, d)
			}
		}
		t := time.Now()
		if _, err := store.Report(ctx, bigTeamID, ds.to.AddDate(0, 0, -91), ds.to); err != nil {
			return r, err
		}
		if round > 0 {
			r.query = append(r.query, time.Since(t))
		}
	}
	return r, nil
}

// digestResult is what the digest run measured.
type digestResult struct {
	teams            int
	elapsed          time.Duration // from starting serve to the last file shared
	firstPost        time.Duration // from starting serve to the first digest
	digests, files   int64
	inThread, twice  int
	uploadMB         float64
	peakRSS, endRSS  int64
	serveCPU         time.Duration // user and system time of serve over the run
	busy             float64       // the share of the machine's CPU time in use over the run, by anyone
	calls            string
	runs, fileStates string // what digest_runs and digest_files recorded
	timedOut         bool
	problems         []string // serve's warnings and errors, the first few
}

// quietZone returns a time zone in which it is not a rep's morning for the
// next hour, so that the stale-deal nudges (09:00 to noon on working days)
// stay out of the digest run.
func quietZone(now time.Time) string {
	for _, z := range []string{"UTC", "Asia/Tokyo", "America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata"} {
		loc, err := time.LoadLocation(z)
		if err != nil {
			continue
		}
		quiet := true
		for _, t := range []time.Time{now, now.Add(time.Hour)} {
			if h := t.In(loc).Hour(); h >= 8 && h <= 12 {
				quiet = false
			}
		}
		if quiet {
			return z
		}
	}
	return "UTC"
}

// subscribe gives each of the first teams digest teams one subscription,
// all due at slot: in four time zones at the local time that is slot, one
// team in three in Chinese. Earlier runs' subscriptions and weeks go.
func subscribe(ctx context.Context, sqldb *sql.DB, teams int, slot time.Time) error {
	if _, err := sqldb.ExecContext(ctx, `DELETE FROM digest_subscriptions`); err != nil {
		return err
	}
	zones := []string{"UTC", "Europe/Berlin", "America/New_York", "Asia/Shanghai"}
	var ids, channels, tzs, langs []string
	var weekdays, minutes []int64
	for i := range teams {
		z := zones[i%len(zones)]
		loc, err := time.LoadLocation(z)
		if err != nil {
			return err
		}
		local := slot.In(loc)
		lang := "en"
		if i%3 == 2 {
			lang = "zh"
		}
		ids, channels, tzs, langs = append(ids, digestTeamID(i)), append(channels, fmt.Sprintf("CD%04d", i+1)), append(tzs, z), append(langs, lang)
		weekdays, minutes = append(weekdays, int64(local.Weekday())), append(minutes, int64(local.Hour()*60+local.Minute()))
	}
	_, err := sqldb.ExecContext(ctx, `
INSERT INTO digest_subscriptions (team_id, channel_id, weekday, minute_of_day, tz, names, lang, created_by, since)
SELECT t, c, w, m, z, true, l, 'UMANAGER', $7::timestamptz - interval '1 hour'
FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[], $6::text[]) AS u (t, c, w, m, z, l)`,
		pq.StringArray(ids), pq.StringArray(channels), pq.Int64Array(weekdays), pq.Int64Array(minutes), pq.StringArray(tzs), pq.StringArray(langs), slot)
	return err
}

// runDigests starts salescoach serve with every digest due, against a local
// fake Slack, and waits until it has posted teams digests and shared two
// pictures with each, or timeout.
func runDigests(ctx context.Context, bin, dbURL string, sqldb *sql.DB, teams int, timeout time.Duration) (digestResult, error) {
	res := digestResult{teams: teams}
	now := time.Now()
	// The slot has passed when serve starts: its first tick, at once, finds
	// every digest due.
	slot := now.UTC().Truncate(time.Minute)
	if _, err := sqldb.ExecContext(ctx, `UPDATE users SET tz = $1, fetched_at = now()`, quietZone(now)); err != nil {
		return res, err
	}
	if err := subscribe(ctx, sqldb, teams, slot); err != nil {
		return res, fmt.Errorf("subscribe: %w", err)
	}
	fake, err := startFakeSlack()
	if err != nil {
		return res, err
	}
	defer fake.stop()

	mk := func(addr string) *exec.Cmd {
		cmd := exec.Command(bin, "serve", "--listen", addr)
		cmd.Env = []string{"SLACK_BOT_TOKEN=xoxb-bench", "SLACK_API_URL=" + fake.url}
		return cmd
	}
	t0 := time.Now()
	busy0, total0 := cpuTimes()
	serve, err := start(ctx, "serve", mk, dbURL, false)
	if err != nil {
		return res, err
	}
	defer serve.stop()
	stopSampling := sampleRSS(serve, &res.peakRSS, true)
	want := int64(teams)
	deadline := time.After(timeout)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
wait:
	for fake.digests.Load() < want || fake.files.Load() < 2*want {
		select {
		case <-ctx.Done():
			stopSampling()
			return res, ctx.Err()
		case <-deadline:
			res.timedOut = true
			break wait
		case <-tick.C:
			if serve.exited() {
				stopSampling()
				return res, fmt.Errorf("serve exited during the digest run:\n%s", serve.logs)
			}
		}
	}
	res.elapsed = time.Since(t0)
	stopSampling()
	res.endRSS = serve.rss()
	res.serveCPU = procCPU(serve.cmd.Process.Pid)
	if busy1, total1 := cpuTimes(); total1 > total0 {
		res.busy = float64(busy1-busy0) / float64(total1-total0)
	}
	fake.mu.Lock()
	if !fake.firstPost.IsZero() {
		res.firstPost = fake.firstPost.Sub(t0)
	}
	fake.mu.Unlock()
	res.digests, res.files = fake.digests.Load(), fake.files.Load()
	res.uploadMB = float64(fake.bytes.Load()) / 1e6
	res.calls, res.twice, res.inThread = fake.summary()
	serve.stop()
	for _, q := range []struct {
		dst *string
		sql string
	}{
		{&res.runs, `SELECT coalesce(string_agg(state || ' ' || n, ', '), 'none') FROM (SELECT state, count(*) AS n FROM digest_runs GROUP BY state ORDER BY state) s`},
		{&res.fileStates, `SELECT coalesce(string_agg(state || ' ' || n, ', '), 'none') FROM (SELECT state, count(*) AS n FROM digest_files GROUP BY state ORDER BY state) s`},
	} {
		if err := sqldb.QueryRowContext(ctx, q.sql).Scan(q.dst); err != nil {
			return res, err
		}
	}
	for _, line := range strings.Split(serve.logs.String(), "\n") {
		if strings.Contains(line, "level=WARN") || strings.Contains(line, "level=ERROR") || strings.Contains(line, `"level":"WARN"`) || strings.Contains(line, `"level":"ERROR"`) {
			if len(res.problems) < 5 {
				res.problems = append(res.problems, line)
			}
		}
	}
	return res, nil
}

// scaleResults are the §14 figures at scale.
type scaleResults struct {
	ds      dataset
	reports reportTimes
	digest  digestResult
	runs    int
}

func verdict(ok bool) string {
	if ok {
		return "meets"
	}
	return "MISSES"
}

func (r *scaleResults) print(w io.Writer) {
	ds := r.ds
	how := fmt.Sprintf("generated in %.0f s, indexed, vacuumed and analysed in %.0f s", ds.load.Seconds(), ds.index.Seconds())
	if ds.reused {
		how = "kept from an earlier run (--scale-db)"
	}
	fmt.Fprintf(w, "\nscale dataset: team %s (%d reps, %d deals, %d stage entries) and %d digest teams (%d deals, %d entries each); in all %d deals, %d stage entries, %d notes; %s\n",
		bigTeamID, bigShape.Reps, bigShape.Deals, bigShape.Entries, ds.teams, digestTeam.Deals, digestTeam.Entries, ds.deals, ds.entries, ds.notes, how)
	q := r.reports
	if len(q.quarter) > 0 {
		fmt.Fprintf(w, "\n%-58s %9s %9s %9s   %s\n", "salescoach report --format json, team "+bigTeamID, "median", "min", "max", "target")
		row := func(name string, t runTimes, target string) {
			fmt.Fprintf(w, "%-58s %6.0f ms %6.0f ms %6.0f ms   %s\n", name, ms(t.median()), ms(t.min()), ms(t.max()), target)
		}
		row("13 weeks (the default of report and /coach stats)", q.quarter, "≤ 300 ms: "+verdict(q.quarter.median() <= 300*time.Millisecond))
		row("90 days (§9's window: p90s, bottleneck, the digest)", q.spec, "≤ 300 ms: "+verdict(q.spec.median() <= 300*time.Millisecond))
		row("the whole year of history: every deal counts", q.year, fmt.Sprintf("(beyond §14's target) %.1f × 300 ms", ms(q.year.median())/300))
		row("13 weeks, a team with no data (the process's own cost)", q.empty, "")
		row("13 weeks, the query alone (db.Report, in process)", q.query, "")
		fmt.Fprintf(w, "%-58s (%d timed rounds, the commands taking turns, after one round to warm up)\n", "", r.runs)
	}
	d := r.digest
	if d.teams > 0 {
		fmt.Fprintf(w, "\nweekly digest run: salescoach serve, %d subscriptions due at one instant, a local fake Slack\n", d.teams)
		state := fmt.Sprintf("%d digests and %d files", d.digests, d.files)
		if d.timedOut {
			state = "TIMED OUT with only " + state
		}
		fmt.Fprintf(w, "  %s in %s (first digest after %.1f s): ≤ 5 min in all: %s\n", state, d.elapsed.Round(100*time.Millisecond),
			d.firstPost.Seconds(), verdict(!d.timedOut && d.elapsed <= 5*time.Minute))
		fmt.Fprintf(w, "  %.1f digests/s; %d files in the digests' threads; %d channels got a digest twice; %.0f MB of PNG uploaded\n",
			float64(d.digests)/d.elapsed.Seconds(), d.inThread, d.twice, d.uploadMB)
		fmt.Fprintf(w, "  memory of serve (RSS): peak %.1f MB during the run, %.1f MB at its end\n", float64(d.peakRSS)/1e6, float64(d.endRSS)/1e6)
		fmt.Fprintf(w, "  CPU: serve used %.0f s of CPU (%.0f ms a digest); the machine's %d cores were %.0f%% busy over the run (PostgreSQL, serve, the fake, and anyone else)\n",
			d.serveCPU.Seconds(), ms(d.serveCPU)/float64(max(d.digests, 1)), numCPU(), 100*d.busy)
		fmt.Fprintf(w, "  digest_runs: %s; digest_files: %s\n", d.runs, d.fileStates)
		fmt.Fprintf(w, "  Slack calls: %s\n", d.calls)
		for _, p := range d.problems {
			fmt.Fprintf(w, "  serve logged: %.300s\n", p)
		}
	}
}

// cpuTimes returns the machine's busy and total CPU time so far, in clock
// ticks, from /proc/stat.
func cpuTimes() (busy, total int64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	for i, v := range f[1:] {
		var n int64
		fmt.Sscan(v, &n)
		total += n
		if i != 3 && i != 4 { // idle, iowait
			busy += n
		}
	}
	return busy, total
}
