// Command pulumi-language-nodejs is this project's bootstrap language host for Node.js programs.
//
// Why it exists: Pulumi's own Node.js language host is a Go module that has no release tags, and the
// Go module proxy reachable from our build machines refuses it. The engine itself (pkg/v3) is served,
// so scripts/bootstrap.sh builds the engine from the proxy and this small host next to it. A user who
// already has the Pulumi CLI uses the language host that ships with it; this one is never installed
// over theirs.
//
// It implements the parts of the LanguageRuntime gRPC service that `pulumi up/preview/refresh/destroy`
// and `--policy-pack` use: Handshake, GetPluginInfo, GetRequiredPlugins/Packages, Run, RunPlugin,
// InstallDependencies, About and GetProgramDependencies. A program is run by handing it to the
// `@pulumi/pulumi/cmd/run` entry point of the SDK installed beside the program, with the arguments and
// environment that entry point documents; a policy pack by `@pulumi/pulumi/cmd/run-policy-pack`.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// exitCodeUserActionable is the exit code the Node.js SDK uses after it has already shown the user an
// actionable error; the engine must then not print a second, generic one.
const exitCodeUserActionable = 32

func main() {
	flag.String("tracing", "", "tracing endpoint (accepted for compatibility, unused)")
	flag.String("root", "", "project root (accepted for compatibility, unused)")
	flag.Bool("typescript", true, "accepted for compatibility; use runtime option 'typescript'")
	flag.Parse()

	nodeBin, err := exec.LookPath("node")
	if err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-language-nodejs: could not find node on PATH; install Node.js 22 or newer")
		os.Exit(1)
	}
	host := &languageHost{nodeBin: nodeBin}
	if args := flag.Args(); len(args) > 0 {
		host.engineAddress = args[0]
	}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start the gRPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from our first line of output.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: gRPC server stopped: %v\n", err)
		os.Exit(1)
	}
}

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	nodeBin       string
	engineAddress string
}

func (h *languageHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: strings.TrimPrefix(version.Version, "v")}, nil
}

// GetRequiredPlugins reports no plugins: this project's programs use only the engine's bundled
// Node.js dynamic-provider plugin, which is never downloaded.
func (h *languageHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *languageHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

// resolveModule finds an SDK entry point as Node.js would from dir, so the SDK installed beside the
// program is used, never one of ours.
func (h *languageHost) resolveModule(dir, module string) (string, error) {
	script := fmt.Sprintf("process.stdout.write(require.resolve(%q, { paths: [%q] }))", module, dir)
	cmd := exec.Command(h.nodeBin, "-e", script)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf(
			"the Pulumi Node.js SDK (%s) is not installed for %s; run `npm install` there first: %s",
			module, dir, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// programOptions are the `runtime.options` of Pulumi.yaml that this host understands.
type programOptions struct {
	typescript bool
	tsconfig   string
	nodeargs   []string
}

func readOptions(info *pulumirpc.ProgramInfo) programOptions {
	opts := programOptions{typescript: true}
	if info == nil || info.GetOptions() == nil {
		return opts
	}
	m := info.GetOptions().AsMap()
	if v, ok := m["typescript"].(bool); ok {
		opts.typescript = v
	}
	if v, ok := m["tsconfig"].(string); ok {
		opts.tsconfig = v
	}
	if v, ok := m["nodeargs"].(string); ok && v != "" {
		opts.nodeargs = strings.Fields(v)
	}
	return opts
}

func (h *languageHost) Run(_ context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDir := req.GetPwd()
	entry := req.GetProgram()
	rootDir := programDir
	if info != nil {
		programDir = info.GetProgramDirectory()
		entry = info.GetEntryPoint()
		rootDir = info.GetRootDirectory()
	}
	if entry == "" {
		entry = "."
	}
	runPath, err := h.resolveModule(programDir, "@pulumi/pulumi/cmd/run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	opts := readOptions(info)

	args := append([]string{}, opts.nodeargs...)
	args = append(args, runPath)
	add := func(flagName, value string) {
		if value != "" {
			args = append(args, "--"+flagName, value)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", h.engineAddress)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("stack", req.GetStack())
	add("pwd", req.GetPwd())
	add("root-directory", rootDir)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	add("parallel", strconv.Itoa(int(req.GetParallel())))
	if entry == "." {
		args = append(args, programDir)
	} else {
		args = append(args, filepath.Join(programDir, entry))
	}
	args = append(args, req.GetArgs()...)

	configJSON, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, fmt.Errorf("serializing stack config: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("serializing secret config keys: %w", err)
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(configJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON),
		"PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(opts.typescript),
	)
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}

	cmd := exec.Command(h.nodeBin, args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == exitCodeUserActionable {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not start node: %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// streamWriter forwards a child's output to a gRPC stream; the mutex keeps stdout and stderr
// messages from interleaving on the stream.
type streamWriter struct {
	mu     *sync.Mutex
	send   func(data []byte) error
	failed error
}

func (w *streamWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failed != nil {
		return 0, w.failed
	}
	data := append([]byte(nil), p...)
	if err := w.send(data); err != nil {
		w.failed = err
		return 0, err
	}
	return len(p), nil
}

// RunPlugin runs a plugin written in Node.js: a policy pack (kind "analyzer") or a provider.
func (h *languageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	programDir := req.GetPwd()
	if info := req.GetInfo(); info != nil && info.GetProgramDirectory() != "" {
		programDir = info.GetProgramDirectory()
	} else if req.GetProgram() != "" { //nolint:staticcheck // older engines send only Program
		programDir = req.GetProgram() //nolint:staticcheck
	}
	module := "@pulumi/pulumi/cmd/run-plugin"
	if req.GetKind() == "analyzer" {
		module = "@pulumi/pulumi/cmd/run-policy-pack"
	}
	entry, err := h.resolveModule(programDir, module)
	if err != nil {
		return err
	}
	args := append([]string{entry}, req.GetArgs()...)
	args = append(args, programDir)

	cmd := exec.Command(h.nodeBin, args...)
	// Plugins run in their own directory: a policy pack reads its package.json from there.
	cmd.Dir = programDir
	cmd.Env = append(os.Environ(), req.GetEnv()...)
	cmd.Env = append(cmd.Env, "PULUMI_NODEJS_TYPESCRIPT=true")
	mu := &sync.Mutex{}
	cmd.Stdout = &streamWriter{mu: mu, send: func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	}}
	cmd.Stderr = &streamWriter{mu: mu, send: func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	}}
	code := int32(0)
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return fmt.Errorf("could not start node for plugin %s: %w", programDir, err)
		}
		code = int32(exitErr.ExitCode())
	}
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}

// InstallDependencies runs `npm install` in the program's directory, streaming its output.
func (h *languageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := req.GetDirectory()
	if info := req.GetInfo(); info != nil && info.GetProgramDirectory() != "" {
		dir = info.GetProgramDirectory()
	}
	cmd := exec.Command("npm", "install")
	cmd.Dir = dir
	mu := &sync.Mutex{}
	cmd.Stdout = &streamWriter{mu: mu, send: func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: b})
	}}
	cmd.Stderr = &streamWriter{mu: mu, send: func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stderr: b})
	}}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm install in %s failed: %w", dir, err)
	}
	return nil
}

func (h *languageHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	out, err := exec.Command(h.nodeBin, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("running node --version: %w", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: h.nodeBin,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
	}, nil
}

// GetProgramDependencies lists the program's direct dependencies from its package.json.
func (h *languageHost) GetProgramDependencies(
	_ context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := req.GetPwd()
	if info := req.GetInfo(); info != nil && info.GetProgramDirectory() != "" {
		dir = info.GetProgramDirectory()
	}
	f, err := os.Open(filepath.Join(dir, "package.json"))
	if err != nil {
		return &pulumirpc.GetProgramDependenciesResponse{}, nil
	}
	defer f.Close()
	raw, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if err := json.Unmarshal(raw, &pkg); err != nil {
		return nil, fmt.Errorf("parsing %s: %w", filepath.Join(dir, "package.json"), err)
	}
	resp := &pulumirpc.GetProgramDependenciesResponse{}
	for name, ver := range pkg.Dependencies {
		resp.Dependencies = append(resp.Dependencies, &pulumirpc.DependencyInfo{Name: name, Version: ver})
	}
	return resp, nil
}
