package main

// Conformance of our host with the official pulumi-language-nodejs: a fake `node` records its
// arguments, working directory and environment, and the test drives Run and RunPlugin with the
// requests the engine sends. The expected shapes are written down in scripts/engine/README.md
// ("Parity with the official host"), with where each comes from.

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/structpb"
)

const fakeNode = `#!/bin/sh
if [ "$1" = "-e" ]; then
  mod=$(printf '%s' "$2" | sed -n 's/.*require.resolve("\([^"]*\)".*/\1/p')
  printf '/fake/node_modules/%s.js' "$mod"
  exit 0
fi
{
  printf 'cwd=%s\n' "$(pwd)"
  for a in "$@"; do printf 'arg=%s\n' "$a"; done
  env | sed 's/^/env=/'
} > "$FAKE_NODE_LOG"
exit "${FAKE_NODE_EXIT:-0}"
`

type recorded struct {
	cwd  string
	args []string
	env  map[string]string
}

func setup(t *testing.T) (*languageHost, string) {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "node")
	if err := os.WriteFile(bin, []byte(fakeNode), 0o755); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(dir, "node.log")
	t.Setenv("FAKE_NODE_LOG", log)
	host := newHost(bin)
	host.engineAddress = "127.0.0.1:5000"
	return host, log
}

func read(t *testing.T, log string) recorded {
	t.Helper()
	f, err := os.Open(log)
	if err != nil {
		t.Fatalf("node was not run: %v", err)
	}
	defer f.Close()
	r := recorded{env: map[string]string{}}
	scanner := bufio.NewScanner(f)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	for scanner.Scan() {
		line := scanner.Text()
		switch {
		case strings.HasPrefix(line, "cwd="):
			r.cwd = strings.TrimPrefix(line, "cwd=")
		case strings.HasPrefix(line, "arg="):
			r.args = append(r.args, strings.TrimPrefix(line, "arg="))
		case strings.HasPrefix(line, "env="):
			if k, v, ok := strings.Cut(strings.TrimPrefix(line, "env="), "="); ok {
				r.env[k] = v
			}
		}
	}
	return r
}

func options(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	s, err := structpb.NewStruct(m)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func runRequest(t *testing.T, root string, opts map[string]any, dryRun bool) *pulumirpc.RunRequest {
	return &pulumirpc.RunRequest{
		MonitorAddress: "127.0.0.1:5001", Organization: "organization", Project: "gb10-borgerblikket", Stack: "kobenhavn",
		Pwd: root, DryRun: dryRun, Parallel: 16,
		Config:           map[string]string{"kommune:kode": "0101"},
		ConfigSecretKeys: []string{"fk:token"},
		Info: &pulumirpc.ProgramInfo{
			RootDirectory: root, ProgramDirectory: root, EntryPoint: ".", Options: options(t, opts),
		},
	}
}

func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
		t.Fatalf("%s:\n got  %q\n want %q", what, got, want)
	}
}

func TestRunCommandLineAndEnvironment(t *testing.T) {
	host, log := setup(t)
	root := t.TempDir()
	os.Unsetenv("PULUMI_NODEJS_TYPESCRIPT")
	resp, err := host.Run(context.Background(), runRequest(t, root, map[string]any{"typescript": true}, true))
	if err != nil || resp.GetError() != "" {
		t.Fatalf("Run: %v %q", err, resp.GetError())
	}
	got := read(t, log)
	equal(t, "argv", got.args, []string{
		"/fake/node_modules/@pulumi/pulumi/cmd/run.js",
		"--monitor", "127.0.0.1:5001", "--engine", "127.0.0.1:5000", "--organization", "organization",
		"--project", "gb10-borgerblikket", "--root-directory", root, "--stack", "kobenhavn", "--pwd", root,
		"--dry-run", "--parallel", "16", ".",
	})
	if got.cwd != root {
		t.Errorf("cwd %q, want %q", got.cwd, root)
	}
	for k, want := range map[string]string{
		"PULUMI_NODEJS_TYPESCRIPT":  "true",
		"PULUMI_CONFIG":             `{"kommune:kode":"0101"}`,
		"PULUMI_CONFIG_SECRET_KEYS": `["fk:token"]`,
	} {
		if got.env[k] != want {
			t.Errorf("env %s=%q, want %q", k, got.env[k], want)
		}
	}
}

func TestRunWithoutTypescriptLeavesTheSettingAlone(t *testing.T) {
	host, log := setup(t)
	root := t.TempDir()
	for _, inherited := range []string{"", "true"} {
		if inherited == "" {
			os.Unsetenv("PULUMI_NODEJS_TYPESCRIPT")
		} else {
			t.Setenv("PULUMI_NODEJS_TYPESCRIPT", inherited)
		}
		resp, err := host.Run(context.Background(), runRequest(t, root, map[string]any{"typescript": false}, false))
		if err != nil || resp.GetError() != "" {
			t.Fatalf("Run: %v %q", err, resp.GetError())
		}
		got := read(t, log)
		if v, ok := got.env["PULUMI_NODEJS_TYPESCRIPT"]; v != inherited || (inherited == "" && ok) {
			t.Errorf("inherited %q: PULUMI_NODEJS_TYPESCRIPT=%q (set: %v)", inherited, v, ok)
		}
		for _, a := range got.args {
			if a == "--dry-run" {
				t.Error("--dry-run without DryRun")
			}
		}
	}
}

func TestNodeargsAreSplitLikeAShell(t *testing.T) {
	host, log := setup(t)
	root := t.TempDir()
	opts := map[string]any{"nodeargs": `--max-old-space-size=4096 --title "fk iac" --no-warnings`, "tsconfig": "tsconfig.build.json"}
	resp, err := host.Run(context.Background(), runRequest(t, root, opts, false))
	if err != nil || resp.GetError() != "" {
		t.Fatalf("Run: %v %q", err, resp.GetError())
	}
	got := read(t, log)
	equal(t, "node arguments before the entry point", got.args[:5], []string{
		"--max-old-space-size=4096", "--title", "fk iac", "--no-warnings", "/fake/node_modules/@pulumi/pulumi/cmd/run.js",
	})
	if got.env["PULUMI_NODEJS_TSCONFIG_PATH"] != "tsconfig.build.json" {
		t.Errorf("tsconfig: %q", got.env["PULUMI_NODEJS_TSCONFIG_PATH"])
	}
}

func TestEntryPointFromTheEngineIsPassedOn(t *testing.T) {
	host, log := setup(t)
	root := t.TempDir()
	req := runRequest(t, root, map[string]any{}, false)
	req.Info.EntryPoint = "bin/index.js"
	req.Args = []string{"extra"}
	if resp, err := host.Run(context.Background(), req); err != nil || resp.GetError() != "" {
		t.Fatalf("Run: %v %q", err, resp.GetError())
	}
	got := read(t, log)
	equal(t, "tail of argv", got.args[len(got.args)-2:], []string{"bin/index.js", "extra"})
}

func TestWronglyTypedOptionsAreRefused(t *testing.T) {
	host, _ := setup(t)
	root := t.TempDir()
	for opts, want := range map[*map[string]any]string{
		{"typescript": "yes"}:         "typescript option must be a boolean",
		{"nodeargs": 42.0}:            "nodeargs option must be a string",
		{"tsconfig": true}:            "tsconfigpath option must be a string",
		{"packagemanager": "maven"}:   `packagemanager option must be one of auto, npm, yarn, pnpm or bun, got "maven"`,
		{"nodeargs": `--title "open`}: "EOF found when expecting closing quote",
	} {
		resp, err := host.Run(context.Background(), runRequest(t, root, *opts, false))
		if err != nil || resp.GetError() != want {
			t.Errorf("%v: error %v, response %q, want %q", *opts, err, resp.GetError(), want)
		}
	}
}

func TestExitCodes(t *testing.T) {
	host, _ := setup(t)
	root := t.TempDir()
	t.Setenv("FAKE_NODE_EXIT", "32")
	resp, _ := host.Run(context.Background(), runRequest(t, root, map[string]any{}, false))
	if !resp.GetBail() || resp.GetError() != "" {
		t.Errorf("exit 32 must bail quietly: %v", resp)
	}
	t.Setenv("FAKE_NODE_EXIT", "3")
	resp, _ = host.Run(context.Background(), runRequest(t, root, map[string]any{}, false))
	if resp.GetError() != "Program exited with non-zero exit code: 3" {
		t.Errorf("exit 3: %q", resp.GetError())
	}
}

func TestCancelStopsARunningProgram(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "node")
	script := "#!/bin/sh\nif [ \"$1\" = \"-e\" ]; then printf /fake/run.js; exit 0; fi\nexec sleep 60\n"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	host := newHost(bin)
	done := make(chan *pulumirpc.RunResponse)
	go func() {
		resp, _ := host.Run(context.Background(), runRequest(t, t.TempDir(), map[string]any{}, false))
		done <- resp
	}()
	time.Sleep(300 * time.Millisecond)
	started := time.Now()
	if _, err := host.Cancel(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	select {
	case resp := <-done:
		if resp.GetError() == "" {
			t.Error("a cancelled program reports an error")
		}
		if d := time.Since(started); d > gracePeriod+time.Second {
			t.Errorf("took %v", d)
		}
	case <-time.After(gracePeriod + 3*time.Second):
		t.Fatal("Cancel did not stop the program")
	}
}

// pluginStream stands in for the engine's end of RunPlugin: it collects what the host sends.
type pluginStream struct {
	grpc.ServerStream
	ctx    context.Context
	mu     sync.Mutex
	stdout strings.Builder
}

func (s *pluginStream) Context() context.Context     { return s.ctx }
func (s *pluginStream) SetHeader(metadata.MD) error  { return nil }
func (s *pluginStream) SendHeader(metadata.MD) error { return nil }
func (s *pluginStream) SetTrailer(metadata.MD)       {}
func (s *pluginStream) Send(r *pulumirpc.RunPluginResponse) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stdout.Write(r.GetStdout())
	return nil
}

func (s *pluginStream) firstLine() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	line, _, _ := strings.Cut(s.stdout.String(), "\n")
	if !strings.Contains(s.stdout.String(), "\n") {
		return ""
	}
	return line
}

func TestPolicyPackRunsBehindTheProxyWithTheStackSettings(t *testing.T) {
	host, log := setup(t)
	pack := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	stream := &pluginStream{ctx: ctx}
	req := &pulumirpc.RunPluginRequest{
		Pwd: t.TempDir(), Kind: "analyzer", Args: []string{"127.0.0.1:5000"},
		Env:  []string{"PATH=" + os.Getenv("PATH"), "FAKE_NODE_LOG=" + log},
		Info: &pulumirpc.ProgramInfo{RootDirectory: pack, ProgramDirectory: pack, EntryPoint: ".", Options: options(t, map[string]any{"typescript": false})},
	}
	result := make(chan error, 1)
	go func() { result <- host.RunPlugin(req, stream) }()

	// As the engine does: read the proxy's port, then configure the stack on it.
	var port string
	for port == "" && ctx.Err() == nil {
		port = stream.firstLine()
		time.Sleep(20 * time.Millisecond)
	}
	conn, err := grpc.NewClient("127.0.0.1:"+port, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, err = pulumirpc.NewAnalyzerClient(conn).ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{
		Organization: "organization", Project: "gb10-borgerblikket", Stack: "kobenhavn", DryRun: true,
		Config: map[string]string{"kommune:kode": "0101"},
	})
	if err != nil {
		t.Fatal(err)
	}
	<-result // the fake pack serves nothing, so attaching fails; what it was started with is recorded
	got := read(t, log)
	equal(t, "argv", got.args, []string{"/fake/node_modules/@pulumi/pulumi/cmd/run-policy-pack.js", "127.0.0.1:5000", pack})
	if got.cwd != pack {
		t.Errorf("cwd %q, want the pack's folder %q", got.cwd, pack)
	}
	for k, want := range map[string]string{
		"PULUMI_NODEJS_ORGANIZATION": "organization",
		"PULUMI_NODEJS_PROJECT":      "gb10-borgerblikket",
		"PULUMI_NODEJS_STACK":        "kobenhavn",
		"PULUMI_NODEJS_DRY_RUN":      "true",
		"PULUMI_CONFIG":              `{"kommune:kode":"0101"}`,
	} {
		if got.env[k] != want {
			t.Errorf("env %s=%q, want %q", k, got.env[k], want)
		}
	}
	if _, ok := got.env["PULUMI_NODEJS_TYPESCRIPT"]; ok {
		t.Error("typescript: false must not set PULUMI_NODEJS_TYPESCRIPT for the pack")
	}
}

func TestRequiredPackagesFromNodeModules(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("node_modules/@pulumi/aws/package.json", `{"name":"@pulumi/aws","version":"7.1.0","pulumi":{"resource":true}}`)
	write("node_modules/@acme/thing/package.json", `{"name":"@acme/thing","version":"v1.0.0","pulumi":{"resource":true,"server":"https://example.invalid"}}`)
	write("node_modules/zod/package.json", `{"name":"zod","version":"4.0.0"}`)
	write("policy/PulumiPolicy.yaml", "runtime: nodejs\n")
	write("policy/node_modules/@pulumi/gcp/package.json", `{"name":"@pulumi/gcp","version":"1.0.0","pulumi":{"resource":true}}`)
	host, _ := setup(t)
	resp, err := host.GetRequiredPackages(context.Background(), &pulumirpc.GetRequiredPackagesRequest{Info: &pulumirpc.ProgramInfo{ProgramDirectory: root}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range resp.GetPackages() {
		got = append(got, fmt.Sprintf("%s %s %s %s", p.GetKind(), p.GetName(), p.GetVersion(), p.GetServer()))
	}
	equal(t, "packages", got, []string{"resource acme/thing v1.0.0 https://example.invalid", "resource aws v7.1.0 "})
}
