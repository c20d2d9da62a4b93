//go:build !linux

package lifeline

import "os/exec"

// KillWithParent has no kernel support outside Linux; WatchParent covers those systems.
func KillWithParent(*exec.Cmd) {}
