# shellcheck shell=bash
# Makes sure of the tools this project runs on, and puts them on PATH. Sourced by scripts/run.sh.
#
#   Node.js >= 22.18 the system node when new enough (22.18 strips TypeScript types itself, so programs
#                   run without a compiler); otherwise Node.js 22 LTS installed from the npm
#                   registry (the node-<os>-<arch> package ships the binary) into the cache below.
#   Pulumi CLI      a `pulumi` already on PATH at or above PULUMI_VERSION is used as it is. Otherwise,
#                   where Go is available, the CLI is built from the Go module proxy at PULUMI_VERSION,
#                   together with scripts/engine/langhost (our Node.js language host) and the launcher
#                   the engine runs for dynamic providers. See scripts/engine/README.md.
#
# Everything built or downloaded lives in $FK_IAC_CACHE (default ~/.cache/fk-iac), keyed by version,
# never in the repository.

FK_NODE_VERSION="22.23.3"
# The oldest Node.js the project runs on: 22.18 strips TypeScript types by default.
FK_NODE_MINIMUM="22.18.0"
FK_PULUMI_VERSION="3.274.1"
# Official Pulumi CLIs this project supports: v$FK_PULUMI_VERSION and newer, below this version.
FK_PULUMI_UNSUPPORTED_FROM="4.0.0"
FK_IAC_CACHE="${FK_IAC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fk-iac}"
FK_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

fk_log() { printf '[setup] %s\n' "$*" >&2; }
fk_die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

# fk_version_ge A B: true when version A >= version B (dotted numbers, leading v ignored).
fk_version_ge() {
  local a="${1#v}" b="${2#v}"
  [ "$(printf '%s\n%s\n' "$a" "$b" | sort -V | head -n1)" = "$b" ]
}

fk_ensure_node() {
  local current=""
  if command -v node >/dev/null 2>&1; then current="$(node --version 2>/dev/null)"; fi
  if [ -n "$current" ] && fk_version_ge "$current" "$FK_NODE_MINIMUM"; then
    fk_log "node $current from $(command -v node)"
    return
  fi
  local os arch
  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) fk_die "unsupported OS $(uname -s); install Node.js >= 22 yourself" ;; esac
  case "$(uname -m)" in x86_64|amd64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) fk_die "unsupported CPU $(uname -m); install Node.js >= 22 yourself" ;; esac
  local dir="$FK_IAC_CACHE/node-$FK_NODE_VERSION-$os-$arch"
  local bin="$dir/node_modules/node-$os-$arch/bin"
  if [ ! -x "$bin/node" ]; then
    command -v npm >/dev/null 2>&1 || fk_die "node ${current:-(none)} is older than $FK_NODE_MINIMUM and npm is missing; install Node.js >= $FK_NODE_MINIMUM"
    fk_log "node ${current:-(none)} is older than $FK_NODE_MINIMUM: installing Node.js $FK_NODE_VERSION from the npm registry into $dir"
    local tmp="$dir.tmp.$$"
    rm -rf "$tmp" && mkdir -p "$tmp"
    (cd "$tmp" && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "node-$os-$arch@$FK_NODE_VERSION" >&2) || fk_die "could not install node-$os-$arch@$FK_NODE_VERSION"
    rm -rf "$dir" && mv "$tmp" "$dir"
  fi
  export PATH="$bin:$PATH"
  fk_log "node $(node --version) from $bin"
}

# The directory where our own engine build lives.
fk_engine_dir() { printf '%s/pulumi-v%s/bin' "$FK_IAC_CACHE" "$FK_PULUMI_VERSION"; }

# Hashes of the build inputs: the CLI is rebuilt only when the pinned modules change, the language
# host and launcher when their own files do.
fk_recipe() { (cd "$FK_REPO_ROOT/scripts/engine" && cat $@ | sha256sum | cut -c1-16); }  # patterns expand inside the folder

# Go's default install location, for shells whose PATH lacks it.
fk_go_on_path() {
  if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then export PATH="$PATH:/usr/local/go/bin"; fi
}

fk_build_engine() {
  local out="$1"
  fk_go_on_path
  command -v go >/dev/null 2>&1 || fk_die "no pulumi >= $FK_PULUMI_VERSION on PATH and no Go to build one: install the Pulumi CLI (https://www.pulumi.com/docs/install/) or Go >= 1.26"
  mkdir -p "$out"
  local ldflags="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$FK_PULUMI_VERSION"
  local engine_recipe; engine_recipe="$(fk_recipe go.mod go.sum)"
  if [ ! -x "$out/pulumi" ] || [ "$(cat "$out/.recipe-pulumi" 2>/dev/null)" != "$engine_recipe" ]; then
    fk_log "building the Pulumi CLI v$FK_PULUMI_VERSION from the Go module proxy (first time only; about 6-10 minutes on 2 cores)"
    local started=$SECONDS
    (cd "$FK_REPO_ROOT/scripts/engine" && \
      go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" -o "$out/pulumi.tmp.$$" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) \
      || fk_die "building the Pulumi CLI failed (see the Go output above)"
    mv -f "$out/pulumi.tmp.$$" "$out/pulumi"
    printf '%s\n' "$engine_recipe" > "$out/.recipe-pulumi"
    fk_log "Pulumi CLI built in $((SECONDS - started))s"
  fi
  local host_recipe; host_recipe="$(fk_recipe go.mod go.sum "langhost/*.go" "launcher/*.go" "internal/*/*.go")"
  if [ ! -x "$out/pulumi-language-nodejs" ] || [ ! -x "$out/pulumi-resource-pulumi-nodejs" ] \
    || [ "$(cat "$out/.recipe-langhost" 2>/dev/null)" != "$host_recipe" ]; then
    fk_log "building the Node.js language host and the dynamic-provider launcher (scripts/engine/langhost, launcher)"
    (cd "$FK_REPO_ROOT/scripts/engine" && \
      go build -trimpath -ldflags "$ldflags" -o "$out/pulumi-language-nodejs.tmp.$$" ./langhost && \
      go build -trimpath -o "$out/pulumi-resource-pulumi-nodejs.tmp.$$" ./launcher) \
      || fk_die "building the language host failed (see the Go output above)"
    mv -f "$out/pulumi-language-nodejs.tmp.$$" "$out/pulumi-language-nodejs"
    mv -f "$out/pulumi-resource-pulumi-nodejs.tmp.$$" "$out/pulumi-resource-pulumi-nodejs"
    printf '%s\n' "$host_recipe" > "$out/.recipe-langhost"
  fi
}

# Checks of our Go code (language host, launcher): formatted, vetted, and the conformance tests with
# the official host. Needs Go; a user without Go, who runs the official CLI, has nothing of ours to check.
fk_check_engine() {
  fk_go_on_path
  if ! command -v go >/dev/null 2>&1; then
    fk_log "no Go: skipping the checks of scripts/engine (gofmt, go vet, go test)"
    return
  fi
  local unformatted
  unformatted="$(cd "$FK_REPO_ROOT/scripts/engine" && gofmt -l .)"
  [ -z "$unformatted" ] || fk_die "gofmt: these files in scripts/engine need formatting: $unformatted"
  (cd "$FK_REPO_ROOT/scripts/engine" && go vet ./... && go test ./...) >&2 || fk_die "go vet or go test failed in scripts/engine"
  fk_log "scripts/engine: gofmt, go vet and the conformance tests pass"
}

fk_ensure_pulumi() {
  if command -v pulumi >/dev/null 2>&1; then
    local found; found="$(pulumi version 2>/dev/null | head -n1)"
    if [ -n "$found" ] && fk_version_ge "$found" "$FK_PULUMI_VERSION"; then
      if fk_version_ge "$found" "$FK_PULUMI_UNSUPPORTED_FROM"; then
        fk_log "warning: pulumi $found from $(command -v pulumi) is outside the supported range v$FK_PULUMI_VERSION to below v$FK_PULUMI_UNSUPPORTED_FROM; using it, untested"
      else
        fk_log "pulumi $found from $(command -v pulumi) (yours; not rebuilding)"
      fi
      return
    fi
    if ! command -v go >/dev/null 2>&1 && [ ! -x /usr/local/go/bin/go ] && [ -n "$found" ]; then
      fk_log "warning: pulumi $found on PATH is outside the supported range (v$FK_PULUMI_VERSION to below v$FK_PULUMI_UNSUPPORTED_FROM) and there is no Go to build a supported one; using yours, untested"
      return
    fi
    fk_log "pulumi on PATH is ${found:-unusable}, older than v$FK_PULUMI_VERSION: using the project's own build instead"
  fi
  local dir; dir="$(fk_engine_dir)"
  fk_build_engine "$dir"
  export PATH="$dir:$PATH"
  fk_log "pulumi $(pulumi version) from $dir"
}

# Installs the npm dependencies when package-lock.json changed since the last install.
fk_ensure_node_modules() {
  local stamp="$FK_REPO_ROOT/node_modules/.fk-lock-sha"
  local want; want="$(cat "$FK_REPO_ROOT/package-lock.json" "$FK_REPO_ROOT/package.json" | sha256sum | cut -c1-16)"
  if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    fk_log "node_modules up to date; compiling TypeScript"
    (cd "$FK_REPO_ROOT" && npm run --silent build >&2) || fk_die "TypeScript compilation failed"
    return
  fi
  fk_log "installing npm dependencies (npm ci)"
  (cd "$FK_REPO_ROOT" && npm ci --no-audit --no-fund --loglevel=error >&2) || fk_die "npm ci failed"
  printf '%s\n' "$want" > "$stamp"
}

# Engine settings for an offline run on the local file backend, unless the caller chose otherwise.
fk_engine_env() {
  # Node.js keeps its compiled code of @pulumi/pulumi and friends here: every node process of a
  # pulumi run (program, policy pack, provider) starts faster the second time. Yours wins if set.
  export NODE_COMPILE_CACHE="${NODE_COMPILE_CACHE:-$FK_IAC_CACHE/node-compile-cache}"
  export PULUMI_SKIP_UPDATE_CHECK=true
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK="${PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK:-false}"
}

# What the tests need from Debian's packages, installed when missing: PostgreSQL's server binaries
# (test/e2e/backends.test.ts and ci-pipeline.test.ts start a cluster of their own on loopback; nothing
# here starts a server), rsync (gitlab-ci-local copies the repository into each job with it) and
# chromium (test/e2e/status-page.test.ts opens the status page in it).
fk_ensure_test_packages() {
  local missing=()
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
  command -v rsync >/dev/null 2>&1 || missing+=(rsync)
  # Debian's Chromium, which the status page's browser test drives with playwright-core (never a download).
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  [ "${#missing[@]}" -gt 0 ] || return 0
  local apt=(apt-get)
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      apt=(sudo apt-get)
    else
      fk_die "the tests need Debian packages this user cannot install: ${missing[*]} (apt-get install ${missing[*]}), then run this again"
    fi
  fi
  fk_log "installing Debian packages for the team tests: ${missing[*]}"
  "${apt[@]}" update -qq >&2 || fk_die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || fk_die "apt-get install ${missing[*]} failed"
}

fk_ensure_tools() {
  fk_ensure_node
  fk_ensure_pulumi
  fk_ensure_node_modules
  fk_engine_env
}
