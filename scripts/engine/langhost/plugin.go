package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"sync"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

const analyzerKind = "analyzer"

// pluginArguments is the command line of a plugin written in Node.js, as the official host builds
// it: the SDK entry point, the nodeargs, then for a policy pack (kind "analyzer") the engine's
// arguments and the pack's folder last, for any other plugin the folder first.
func pluginArguments(req *pulumirpc.RunPluginRequest, entry string, nodeArgs []string) []string {
	args := append([]string{entry}, nodeArgs...)
	dir := req.GetInfo().GetProgramDirectory()
	if req.GetKind() == analyzerKind {
		return append(append(args, req.GetArgs()...), dir)
	}
	return append(append(args, dir), req.GetArgs()...)
}

// policyPackEnvironment is what a policy pack learns of the stack it judges, from the engine's
// ConfigureStack call, in the variables the Node.js SDK reads.
func policyPackEnvironment(config *pulumirpc.AnalyzerStackConfigureRequest) ([]string, error) {
	if config == nil {
		return nil, nil
	}
	var env []string
	add := func(k, v string) {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	add("PULUMI_NODEJS_ORGANIZATION", config.GetOrganization())
	add("PULUMI_NODEJS_PROJECT", config.GetProject())
	add("PULUMI_NODEJS_STACK", config.GetStack())
	add("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(config.GetDryRun()))
	if config.GetConfig() != nil {
		raw, err := json.Marshal(config.GetConfig())
		if err != nil {
			return nil, fmt.Errorf("could not marshal stack configuration: %w", err)
		}
		add("PULUMI_CONFIG", string(raw))
	}
	return env, nil
}

// pluginStreams forwards a plugin's stdout and stderr to the engine, one message at a time.
func pluginStreams(server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]) (io.Writer, io.Writer) {
	mu := &sync.Mutex{}
	stdout := &streamWriter{mu: mu, send: func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	}}
	stderr := &streamWriter{mu: mu, send: func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	}}
	return stdout, stderr
}

// startPolicyProxy starts the SDK's policy proxy in front of a policy pack and waits for the engine's
// ConfigureStack call; it returns the proxy, the writer the pack's stdout goes to, and the variables
// that tell the pack its stack.
func startPolicyProxy(ctx context.Context, stdout io.Writer) (*sdk.PolicyProxy, io.Writer, []string, error) {
	proxy, stdout, err := sdk.NewPolicyProxy(ctx, stdout)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("could not start the policy pack proxy: %w", err)
	}
	config, err := proxy.AwaitConfiguration(ctx)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("could not get the stack configuration for the policy pack: %w", err)
	}
	env, err := policyPackEnvironment(config)
	if err != nil {
		return nil, nil, nil, err
	}
	return proxy, stdout, env, nil
}

// pluginCommandLine is node's arguments for a plugin, from its options and the SDK entry point for
// its kind, resolved from the plugin's own folder.
func (h *languageHost) pluginCommandLine(req *pulumirpc.RunPluginRequest) ([]string, programOptions, error) {
	opts, err := parseOptions(req.GetInfo().GetOptions().AsMap())
	if err != nil {
		return nil, opts, err
	}
	nodeArgs, err := opts.nodeArgs()
	if err != nil {
		return nil, opts, err
	}
	module := "@pulumi/pulumi/cmd/run-plugin"
	if req.GetKind() == analyzerKind {
		module = "@pulumi/pulumi/cmd/run-policy-pack"
	}
	entry, err := h.resolveModule(req.GetInfo().GetProgramDirectory(), module)
	if err != nil {
		return nil, opts, err
	}
	return pluginArguments(req, entry, nodeArgs), opts, nil
}

// RunPlugin runs a plugin written in Node.js: a policy pack (kind "analyzer") through the SDK's
// policy proxy, which first takes the engine's ConfigureStack call so the pack starts knowing its
// stack, or any other plugin through `@pulumi/pulumi/cmd/run-plugin`.
func (h *languageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	ctx := server.Context()
	info := req.GetInfo()
	if info == nil {
		return errors.New("the engine sent no plugin info; this host needs Pulumi CLI v3.274.1 or newer")
	}
	dir := info.GetProgramDirectory()
	args, opts, err := h.pluginCommandLine(req)
	if err != nil {
		return err
	}
	env := append(append([]string{}, req.GetEnv()...), opts.typescriptEnv()...)

	stdout, stderr := pluginStreams(server)
	var proxy *sdk.PolicyProxy
	if req.GetKind() == analyzerKind {
		var more []string
		if proxy, stdout, more, err = startPolicyProxy(ctx, stdout); err != nil {
			return err
		}
		env = append(env, more...)
	}

	cmd, done := h.children.command(ctx, h.nodeBin, args...)
	defer done()
	// A policy pack runs in its own folder (it reads its package.json there); other plugins in pwd.
	cmd.Dir = req.GetPwd()
	if req.GetKind() == analyzerKind {
		cmd.Dir = dir
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr

	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not start node for plugin %s: %w", dir, err)
	}
	if proxy != nil {
		// The proxy reads the pack's port, relays the engine's calls to it, and waits for its exit.
		return proxy.Attach(ctx, cmd)
	}
	code := int32(0)
	if err := cmd.Wait(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return fmt.Errorf("plugin %s: %w", dir, err)
		}
		code = int32(exitErr.ExitCode())
	}
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}
