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

// option reads one option into *into when it is set; a value of another type is the error `wrongType`.
func option[T any](options map[string]any, key string, into *T, wrongType string) error {
	v, ok := options[key]
	if !ok {
		return nil
	}
	typed, ok := v.(T)
	if !ok {
		return errors.New(wrongType)
	}
	*into = typed
	return nil
}

func parseOptions(options map[string]any) (programOptions, error) {
	opts := programOptions{typescript: true}
	var production bool
	packageManager := "auto"
	for _, err := range []error{
		option(options, "typescript", &opts.typescript, "typescript option must be a boolean"),
		option(options, "tsconfig", &opts.tsconfig, "tsconfigpath option must be a string"),
		option(options, "nodeargs", &opts.nodeargs, "nodeargs option must be a string"),
		option(options, "production", &production, "production option must be a boolean"),
		option(options, "packagemanager", &packageManager, "packagemanager option must be a string"),
	} {
		if err != nil {
			return opts, err
		}
	}
	if !packageManagers[packageManager] {
		return opts, fmt.Errorf("packagemanager option must be one of auto, npm, yarn, pnpm or bun, got %q", packageManager)
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
