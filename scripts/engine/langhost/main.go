// Command pulumi-language-nodejs is this project's bootstrap language host for Node.js programs.
//
// Why it exists: Pulumi's own Node.js language host is a Go module that has no release tags, and the
// Go module proxy reachable from our build machines refuses it. The engine itself (pkg/v3) is served,
// so scripts/bootstrap.sh builds the engine from the proxy and this small host next to it. A user who
// already has the Pulumi CLI uses the language host that ships with it; this one is never installed
// over theirs.
//
// It implements the parts of the LanguageRuntime gRPC service that `pulumi up/preview/refresh/destroy`
// and `--policy-pack` use: Handshake, GetPluginInfo, GetRequiredPackages, Run, RunPlugin, Cancel,
// InstallDependencies, About and GetProgramDependencies, with the command lines and environments the
// official host gives Node.js (see scripts/engine/README.md, "Parity with the official host", and the
// conformance test). A program runs through the `@pulumi/pulumi/cmd/run` entry point of the SDK
// installed beside it; a policy pack through `@pulumi/pulumi/cmd/run-policy-pack`, behind the SDK's
// policy proxy.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"fk-iac.local/engine/internal/lifeline"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// exitCodeUserActionable is the exit code the Node.js SDK uses after it has already shown the user an
// actionable error; the engine must then not print a second, generic one.
const exitCodeUserActionable = 32

// healthInterval is how often the engine is asked whether it is alive, as in the official host.
const healthInterval = 5 * time.Minute

func main() {
	flag.String("tracing", "", "tracing endpoint (accepted for compatibility, unused)")
	flag.String("root", "", "project root (accepted for compatibility, unused)")
	flag.Bool("typescript", true, "accepted for compatibility; use the runtime option 'typescript'")
	runtimeName := flag.String("runtime", "nodejs", "the JavaScript runtime; this host supports nodejs only")
	showVersion := flag.Bool("version", false, "print the plugin version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.Version)
		return
	}
	if *runtimeName != "nodejs" {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: unsupported runtime %q: this project's host runs nodejs only\n", *runtimeName)
		os.Exit(1)
	}
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-language-nodejs: could not find node on PATH; install Node.js 22 or newer")
		os.Exit(1)
	}
	host := newHost(nodeBin)
	if args := flag.Args(); len(args) > 0 {
		host.engineAddress = args[0]
	}

	// Stop serving, and stop every Node.js child, on SIGINT or SIGTERM, when the engine fails its
	// health check, or as soon as the engine process is gone.
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	lifeline.WatchParent(ctx, cancel)
	if host.engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, host.engineAddress, healthInterval, cancel); err != nil {
			fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start the engine health check: %v\n", err)
			os.Exit(1)
		}
	}
	if err := serve(ctx, host); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

// serve runs the gRPC server until ctx ends or the server stops, then stops every Node.js child.
func serve(ctx context.Context, host *languageHost) error {
	stop := make(chan bool)
	go func() {
		<-ctx.Done()
		close(stop)
	}()
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		return fmt.Errorf("could not start the gRPC server: %w", err)
	}
	// The engine reads the port from our first line of output.
	fmt.Printf("%d\n", handle.Port)
	err = <-handle.Done
	host.children.stopAll()
	if err != nil {
		return fmt.Errorf("gRPC server stopped: %w", err)
	}
	return nil
}

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	nodeBin       string
	engineAddress string
	children      *children
}

func newHost(nodeBin string) *languageHost {
	return &languageHost{nodeBin: nodeBin, children: newChildren()}
}

func (h *languageHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

// Cancel stops every running program and plugin (SIGINT, then SIGKILL after the grace period).
func (h *languageHost) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.children.cancel()
	return &emptypb.Empty{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: strings.TrimPrefix(version.Version, "v")}, nil
}
