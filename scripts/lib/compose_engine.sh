# The Docker engine and the `docker compose` v2 plugin for scripts/compose.sh.
# Sourced; expects common.sh and COMPOSE_DIR (our state: logs, pid file).
#
# Debian 12 ships the engine (`docker.io`, 20.10) but only Compose v1 (`docker-compose`,
# Python); the documents use v2's `docker compose`, so v2 is built once from its pinned
# module through the Go module proxy and installed as a CLI plugin.

COMPOSE_V2_VERSION=v2.40.3
COMPOSE_V2_BIN="$KB_CACHE/docker-compose-$COMPOSE_V2_VERSION/docker-compose"
COMPOSE_PLUGIN_DIR=/usr/local/lib/docker/cli-plugins

engine_install() {
    if ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null; then
        say "installing the Docker engine and debootstrap (Debian's docker.io, debootstrap)"
        apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends docker.io debootstrap >&2 ||
            die "apt-get install docker.io debootstrap failed (run as root)"
    fi
    docker compose version >/dev/null 2>&1 || compose_plugin_install
}

compose_plugin_build() {
    [[ -x $COMPOSE_V2_BIN ]] && return 0
    command -v go >/dev/null || die "go not found: it builds the docker compose v2 plugin"
    say "building docker compose $COMPOSE_V2_VERSION with Go (once, several minutes)"
    local src dir
    src=$(go mod download -json "github.com/docker/compose/v2@$COMPOSE_V2_VERSION" |
        jq -r .Dir) || die "go mod download of docker compose failed"
    dir=$(mktemp -d)
    cp -r "$src/." "$dir" && chmod -R u+w "$dir"
    (cd "$dir" && go build -trimpath -o "$COMPOSE_V2_BIN" \
        -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$COMPOSE_V2_VERSION" ./cmd) >&2 ||
        die "go build of docker compose failed"
    rm -rf "$dir"
}

compose_plugin_install() {
    compose_plugin_build
    mkdir -p "$COMPOSE_PLUGIN_DIR"
    install -m 0755 "$COMPOSE_V2_BIN" "$COMPOSE_PLUGIN_DIR/docker-compose"
    docker compose version >/dev/null || die "docker compose does not run after installing the plugin"
}

engine_running() { docker info >/dev/null 2>&1; }

# Starts dockerd unless an engine answers already. --iptables=false: these machines
# allow no iptables; published ports then go through docker-proxy (the userland proxy).
ENGINE_STARTED=0
engine_start() {
    engine_running && return 0
    ENGINE_STARTED=1
    say "starting dockerd (log: $COMPOSE_DIR/dockerd.log)"
    setsid dockerd --iptables=false >"$COMPOSE_DIR/dockerd.log" 2>&1 </dev/null 9>&- &
    echo $! >"$COMPOSE_DIR/dockerd.pid"
    wait_for "the Docker engine" 60 engine_running || die "dockerd did not start: see $COMPOSE_DIR/dockerd.log"
}

# Stops dockerd if this script started it (an engine started by others is left alone).
engine_stop() {
    [[ -f $COMPOSE_DIR/dockerd.pid ]] || return 0
    local pid
    pid=$(cat "$COMPOSE_DIR/dockerd.pid")
    if [[ $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) == "dockerd "* ]]; then
        say "stopping dockerd ($pid)"
        stop_pid "$COMPOSE_DIR/dockerd.pid"
    fi
    rm -f "$COMPOSE_DIR/dockerd.pid"
}
