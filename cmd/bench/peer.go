package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/lib/pq"
)

// The Bolt peer (§14): what a team would write instead of Sales Coach, a
// minimal Bolt for JavaScript /deal bot on PostgreSQL. Its folder holds
// app.js, package.json and package-lock.json; the bench copies it to a
// cache directory of its own (the folder may be read-only), installs it there
// with npm ci from its lock file, and runs node app.js.

// peerFiles are what the peer is made of; their hash names the installed copy.
var peerFiles = []string{"app.js", "package.json", "package-lock.json"}

// preparePeer installs the peer of folder dir and returns the directory to
// run it in, or why it cannot run here (no node, no npm, no folder).
func preparePeer(ctx context.Context, dir string, progress func(string)) (string, string, error) {
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			return "", tool + " is not installed", nil
		}
	}
	h := sha256.New()
	for _, f := range peerFiles {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if errors.Is(err, os.ErrNotExist) {
			return "", fmt.Sprintf("no peer in %s (%s missing; --peer names its folder)", dir, f), nil
		}
		if err != nil {
			return "", "", err
		}
		fmt.Fprintf(h, "%s %d\n", f, len(b))
		h.Write(b)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	run := filepath.Join(cache, "salescoach-bench", "bolt-peer-"+hex.EncodeToString(h.Sum(nil))[:12])
	if _, err := os.Stat(filepath.Join(run, "node_modules", ".installed")); err == nil {
		return run, "", nil
	}
	progress(fmt.Sprintf("installing the Bolt peer from %s into %s (npm ci)", dir, run))
	if err := os.RemoveAll(run); err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(run, 0o755); err != nil {
		return "", "", err
	}
	for _, f := range peerFiles {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return "", "", err
		}
		if err := os.WriteFile(filepath.Join(run, f), b, 0o644); err != nil {
			return "", "", err
		}
	}
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = run
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Sprintf("npm ci failed in %s: %v: %s", run, err, strings.TrimSpace(string(b))), nil
	}
	// Marks a finished install, so an interrupted one is made again.
	if err := os.WriteFile(filepath.Join(run, "node_modules", ".installed"), nil, 0o644); err != nil {
		return "", "", err
	}
	return run, "", nil
}

// peerCommand is the peer's process in dir, listening on addr's port.
func peerCommand(dir, dbURL string) func(addr string) *exec.Cmd {
	return func(addr string) *exec.Cmd {
		cmd := exec.Command("node", "app.js")
		cmd.Dir = dir
		cmd.Env = []string{"DATABASE_URL=" + dbURL, "PORT=" + addr[strings.LastIndex(addr, ":")+1:], "NODE_ENV=production"}
		return cmd
	}
}

func isUndefinedTable(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && pqErr.Code == "42P01"
}
