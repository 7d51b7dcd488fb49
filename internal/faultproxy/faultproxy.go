// Package faultproxy is a TCP proxy that tests cut to simulate an outage at
// the network level: between the bot and PostgreSQL, or the bot and Slack.
package faultproxy

import (
	"net"
	"sync"
	"testing"
)

// Proxy forwards connections from Addr to a target until cut or stalled.
type Proxy struct {
	Addr   string
	target string

	mu      sync.Mutex
	ln      net.Listener
	conns   map[net.Conn]bool
	down    bool
	flowing chan struct{} // closed while bytes flow; open while stalled
	held    int           // transfers waiting for a stall to end
}

// New starts a proxy to target on a free local port, closed when the test ends.
func New(tb testing.TB, target string) *Proxy {
	tb.Helper()
	p := &Proxy{target: target, conns: map[net.Conn]bool{}, flowing: make(chan struct{})}
	close(p.flowing)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p.Addr = ln.Addr().String()
	p.serve(ln)
	tb.Cleanup(p.Cut)
	return p
}

func (p *Proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln, p.down = ln, false
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.forward(c)
		}
	}()
}

func (p *Proxy) forward(c net.Conn) {
	defer c.Close()
	if !p.track(c, true) {
		return
	}
	defer p.track(c, false)
	// While stalled, a new connection is accepted but goes nowhere yet, as
	// when packets are dropped on the way.
	p.wait()
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer up.Close()
	if !p.track(up, true) {
		return // cut while dialling
	}
	defer p.track(up, false)
	done := make(chan struct{}, 2)
	go func() { p.copy(up, c); done <- struct{}{} }()
	go func() { p.copy(c, up); done <- struct{}{} }()
	<-done
}

// track adds or removes a connection that Cut must break; it reports false
// when adding to a proxy that is down (the connection is then closed).
func (p *Proxy) track(c net.Conn, add bool) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !add {
		delete(p.conns, c)
		return true
	}
	if p.down {
		c.Close()
		return false
	}
	p.conns[c] = true
	return true
}

// copy moves bytes from src to dst, holding each chunk while stalled.
func (p *Proxy) copy(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.wait()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// wait blocks while the proxy is stalled.
func (p *Proxy) wait() {
	p.mu.Lock()
	flowing := p.flowing
	select {
	case <-flowing:
		p.mu.Unlock()
		return
	default:
	}
	p.held++
	p.mu.Unlock()
	<-flowing
	p.mu.Lock()
	p.held--
	p.mu.Unlock()
}

// Held returns how many transfers a stall holds: data on its way, or a new
// connection. A test waits for it to know a request reached the stall.
func (p *Proxy) Held() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.held
}

// Cut stops accepting (new connections are refused) and breaks every open
// connection, as when the network or the server goes away. A stall ends.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.flow()
	if p.down {
		return
	}
	p.down = true
	p.ln.Close()
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

// Stall keeps connections open and accepts new ones, but forwards nothing,
// as when the server hangs or packets are dropped: whoever waits on the
// other side waits until Flow (or Cut).
func (p *Proxy) Stall() {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.flowing:
		p.flowing = make(chan struct{})
	default: // stalled already
	}
}

// Flow ends a stall: what was held goes on, in order.
func (p *Proxy) Flow() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.flow()
}

func (p *Proxy) flow() {
	select {
	case <-p.flowing:
	default:
		close(p.flowing)
	}
}

// Restore listens again on the same address after a Cut.
func (p *Proxy) Restore(tb testing.TB) {
	tb.Helper()
	ln, err := net.Listen("tcp", p.Addr)
	if err != nil {
		tb.Fatalf("faultproxy: listen again on %s: %v", p.Addr, err)
	}
	p.serve(ln)
}
