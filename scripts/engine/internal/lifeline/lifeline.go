// Package lifeline ends a plugin's child processes when the Pulumi engine that started the plugin is
// gone. The engine kills its plugins' process groups on a normal exit; when the engine itself is
// killed (kill -9, an OOM kill, a CI job cancelled), nobody does, and a Node.js child would go on
// calling the classification API. The official language host notices this through a gRPC health
// check of the engine every five minutes; a watch of the parent process notices it within
// PollInterval, which is what a plugin that makes API calls needs.
package lifeline

import (
	"context"
	"os"
	"time"
)

// PollInterval is how often the parent process is checked.
const PollInterval = 25 * time.Millisecond

// WatchParent calls gone once, as soon as the process that started this one has exited (this process
// is then re-parented, so its parent pid changes), or never if ctx ends first.
func WatchParent(ctx context.Context, gone func()) {
	parent := os.Getppid()
	go func() {
		ticker := time.NewTicker(PollInterval)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
				if os.Getppid() != parent {
					gone()
					return
				}
			}
		}
	}()
}
