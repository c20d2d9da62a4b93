package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

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
