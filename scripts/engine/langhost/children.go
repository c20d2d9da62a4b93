package main

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"time"
)

// gracePeriod is how long a Node.js process has after SIGINT before it is killed, as in the official host.
const gracePeriod = 5 * time.Second

// children starts the host's Node.js processes under one cancellable context, so that a Cancel
// request, the end of the request, or the engine going away stops them, and the host can wait for
// them before it exits.
type children struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func newChildren() *children {
	ctx, cancel := context.WithCancel(context.Background())
	return &children{ctx: ctx, cancel: cancel}
}

// command makes a node command that is interrupted (then killed after gracePeriod) when the host is
// cancelled or reqCtx ends.
func (c *children) command(reqCtx context.Context, name string, args ...string) (*exec.Cmd, func()) {
	ctx, cancel := context.WithCancel(c.ctx)
	stop := context.AfterFunc(reqCtx, cancel)
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Cancel = func() error {
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
	cmd.WaitDelay = gracePeriod
	c.wg.Add(1)
	return cmd, func() {
		stop()
		cancel()
		c.wg.Done()
	}
}

// stopAll interrupts every running child and waits until all have exited (at most the grace period
// and a little more).
func (c *children) stopAll() {
	c.cancel()
	done := make(chan struct{})
	go func() {
		c.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(gracePeriod + 2*time.Second):
	}
}
