package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTick is the unit of the CPU times in /proc/<pid>/stat (USER_HZ, 100
// on every Linux this runs on).
const clockTick = 10 * time.Millisecond

// procCPU is the user and system CPU time a process has used so far, all
// its threads included; 0 when it is gone.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) is in parentheses and may hold spaces:
	// fields are counted from the last ')'. utime and stime are fields 14
	// and 15.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * clockTick
}

// pgMeter measures the CPU of the PostgreSQL backends serving one database,
// from /proc: the server's shared processes (checkpointer, WAL writer…) and
// the backends of other databases are left out.
type pgMeter struct {
	admin  *sql.DB
	dbName string
}

// backends returns the CPU used so far by each backend of the database.
func (m *pgMeter) backends(ctx context.Context) map[int]time.Duration {
	out := map[int]time.Duration{}
	if m == nil {
		return out
	}
	rows, err := m.admin.QueryContext(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = $1`, m.dbName)
	if err != nil {
		return out
	}
	defer rows.Close()
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) == nil {
			out[pid] = procCPU(pid)
		}
	}
	return out
}

// cpuSpan is a phase's CPU: the server process's and the database's.
type cpuSpan struct{ server, pg time.Duration }

// startCPU notes the CPU used so far by the server and the database's
// backends; the function it returns gives what they used since. A backend
// that started meanwhile counts from zero; one that ended meanwhile is lost
// (the pools keep their connections through a phase).
func startCPU(ctx context.Context, s *server, m *pgMeter) func() cpuSpan {
	pid := s.cmd.Process.Pid
	srv0 := procCPU(pid)
	pg0 := m.backends(ctx)
	return func() cpuSpan {
		span := cpuSpan{server: procCPU(pid) - srv0}
		for p, t := range m.backends(ctx) {
			span.pg += t - pg0[p]
		}
		return span
	}
}
