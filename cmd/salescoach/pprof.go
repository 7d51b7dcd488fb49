package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// startPprof serves Go's profiler (/debug/pprof/) on addr, for finding where
// serve spends its CPU under load. It is off unless --pprof or
// SALESCOACH_PPROF names an address, and only a loopback address is
// accepted: the profiles show the process's inner workings.
func startPprof(addr string, log *slog.Logger) error {
	host, _, err := net.SplitHostPort(addr)
	ip := net.ParseIP(host)
	if err != nil || !(host == "localhost" || (ip != nil && ip.IsLoopback())) {
		return &settingError{"SALESCOACH_PPROF", fmt.Sprintf("%q is not a loopback host:port (e.g. 127.0.0.1:6060)", addr)}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("profiler: listen on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	log.Warn("profiler on", "addr", ln.Addr().String())
	return nil
}
