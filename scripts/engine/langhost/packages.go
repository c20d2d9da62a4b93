package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// GetRequiredPackages reports the Pulumi resource packages the program depends on: every package under
// a node_modules folder of the program whose package.json says `"pulumi": { "resource": true }`, as
// the official host finds them. Nested policy packs are skipped: their plugins are not the program's.
// Errors while scanning are logged, never fatal, and whatever was found is reported.
func (h *languageHost) GetRequiredPackages(
	_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	packages, err := packagesIn(req.GetInfo().GetProgramDirectory(), false, map[string]bool{})
	if err != nil {
		logging.V(3).Infof("one or more errors while discovering packages: %v", err)
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: packages}, nil
}

type packageJSON struct {
	Name    string                  `json:"name"`
	Version string                  `json:"version"`
	Pulumi  plugin.PulumiPluginJSON `json:"pulumi"`
}

func packagesIn(dir string, inNodeModules bool, visited map[string]bool) ([]*pulumirpc.PackageDependency, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if visited[dir] {
		return nil, nil
	}
	visited[dir] = true
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", dir, err)
	}
	var found []*pulumirpc.PackageDependency
	var errs []error
	for _, entry := range entries {
		path := filepath.Join(dir, entry.Name())
		isDir := entry.IsDir()
		if entry.Type()&fs.ModeSymlink != 0 {
			if path, err = filepath.EvalSymlinks(path); err != nil {
				errs = append(errs, err)
				continue
			}
			fi, err := os.Stat(path)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			isDir = fi.IsDir()
		}
		switch {
		case isDir:
			if pack, err := workspace.DetectPolicyPackPathAt(path); err != nil || pack != "" {
				if err != nil {
					errs = append(errs, err)
				}
				continue
			}
			more, err := packagesIn(path, inNodeModules || filepath.Base(dir) == "node_modules", visited)
			if err != nil {
				errs = append(errs, err)
			}
			found = append(found, more...)
		case inNodeModules && entry.Name() == "package.json":
			dep, err := resourcePackage(path)
			if err != nil {
				errs = append(errs, err)
			} else if dep != nil {
				found = append(found, dep)
			}
		}
	}
	return found, errors.Join(errs...)
}

// resourcePackage reads one package.json: the package's plugin, or nil when it has none. The
// plugin's name and version come from its "pulumi" section, else from the package: an @pulumi/
// scope is dropped, another scope keeps its name without the "@"; versions get a leading "v".
func resourcePackage(path string) (*pulumirpc.PackageDependency, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var info packageJSON
	if err := json.Unmarshal(raw, &info); err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	if !info.Pulumi.Resource {
		return nil, nil
	}
	name := info.Pulumi.Name
	if name == "" {
		name = strings.TrimPrefix(strings.TrimPrefix(info.Name, "@pulumi/"), "@")
	}
	if name == "" {
		return nil, fmt.Errorf("%s: missing expected \"name\" property", path)
	}
	version := info.Pulumi.Version
	if version == "" {
		version = info.Version
	}
	if version == "" {
		return nil, fmt.Errorf("%s: missing expected \"version\" property", path)
	}
	if !strings.HasPrefix(version, "v") {
		version = "v" + version
	}
	dep := &pulumirpc.PackageDependency{Name: name, Kind: "resource", Version: version, Server: info.Pulumi.Server}
	if p := info.Pulumi.Parameterization; p != nil {
		dep.Parameterization = &pulumirpc.PackageParameterization{Name: p.Name, Version: p.Version, Value: p.Value}
	}
	return dep, nil
}
