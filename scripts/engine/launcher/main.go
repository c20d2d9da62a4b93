// Command pulumi-resource-pulumi-nodejs is the plugin the engine starts for Node.js dynamic resources
// (pulumi-nodejs:dynamic:Resource). It runs the dynamic-provider host of the @pulumi/pulumi SDK that
// is installed beside the program (the engine starts plugins in the program's directory), with the
// engine's arguments, and makes sure that Node.js process never outlives the engine: the official
// CLI's launcher is a shell script that execs node, which then lives on, calling the API, after a
// `kill -9` of the CLI.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"fk-iac.local/engine/internal/lifeline"
)

const entryModule = "@pulumi/pulumi/cmd/dynamic-provider"

func main() {
	// The child's parent-death signal is tied to the thread that starts it: keep that thread.
	runtime.LockOSThread()
	os.Exit(run())
}

func run() int {
	node, err := exec.LookPath("node")
	if err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-resource-pulumi-nodejs: could not find node on PATH; install Node.js 22 or newer")
		return 1
	}
	cwd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-pulumi-nodejs: %v\n", err)
		return 1
	}
	script := fmt.Sprintf("process.stdout.write(require.resolve(%q, { paths: [%q] }))", entryModule, cwd)
	entry, err := exec.Command(node, "-e", script).Output()
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-pulumi-nodejs: the @pulumi/pulumi SDK is not installed in %s; run npm install\n", cwd)
		return 1
	}

	cmd := exec.Command(node, append([]string{strings.TrimSpace(string(entry))}, os.Args[1:]...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	lifeline.KillWithParent(cmd)
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-pulumi-nodejs: could not start node: %v\n", err)
		return 1
	}

	// The engine interrupts the whole process group on a normal shutdown; a signal sent to this
	// process alone is passed on.
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		for s := range signals {
			_ = cmd.Process.Signal(s)
		}
	}()
	// The engine is gone: no request of its can still be answered, so stop at once.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	lifeline.WatchParent(ctx, func() { _ = cmd.Process.Kill() })

	err = cmd.Wait()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		if status, ok := exitErr.Sys().(syscall.WaitStatus); ok && status.Signaled() {
			return 128 + int(status.Signal())
		}
		return exitErr.ExitCode()
	}
	if err != nil {
		return 1
	}
	return 0
}
