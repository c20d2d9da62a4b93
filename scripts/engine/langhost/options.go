package main

import (
	"errors"
	"fmt"

	"github.com/google/shlex"
)

// programOptions are the `runtime.options` of Pulumi.yaml (or PulumiPolicy.yaml), read as the
// official host reads them: a wrongly typed option is an error, never silently ignored.
type programOptions struct {
	typescript bool
	tsconfig   string
	nodeargs   string
}

var packageManagers = map[string]bool{"auto": true, "npm": true, "yarn": true, "pnpm": true, "bun": true}

func parseOptions(options map[string]any) (programOptions, error) {
	opts := programOptions{typescript: true}
	if v, ok := options["typescript"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return opts, errors.New("typescript option must be a boolean")
		}
		opts.typescript = b
	}
	if v, ok := options["tsconfig"]; ok {
		s, isString := v.(string)
		if !isString {
			return opts, errors.New("tsconfigpath option must be a string")
		}
		opts.tsconfig = s
	}
	if v, ok := options["nodeargs"]; ok {
		s, isString := v.(string)
		if !isString {
			return opts, errors.New("nodeargs option must be a string")
		}
		opts.nodeargs = s
	}
	if v, ok := options["production"]; ok {
		if _, isBool := v.(bool); !isBool {
			return opts, errors.New("production option must be a boolean")
		}
	}
	if v, ok := options["packagemanager"]; ok {
		s, isString := v.(string)
		if !isString {
			return opts, errors.New("packagemanager option must be a string")
		}
		if !packageManagers[s] {
			return opts, fmt.Errorf("packagemanager option must be one of auto, npm, yarn, pnpm or bun, got %q", s)
		}
	}
	return opts, nil
}

// nodeArgs splits the nodeargs option as a shell would (quotes group words).
func (o programOptions) nodeArgs() ([]string, error) {
	return shlex.Split(o.nodeargs)
}

// typescriptEnv is what the options add to a Node.js process's environment. Nothing is written when
// typescript is off, so a setting inherited from the environment stays as it is.
func (o programOptions) typescriptEnv() []string {
	var env []string
	if o.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if o.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+o.tsconfig)
	}
	return env
}
