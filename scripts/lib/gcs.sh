# fake-gcs-server (the GCS emulator) built from source through the Go module
# proxy, pinned by FAKE_GCS_VERSION; started by `env.sh up --gcs` on 127.0.0.1.
# Sourced by env.sh; expects common.sh, ENV_DIR, GCS_PORT, TEST_BUCKET.

GCS_HOME="$KB_CACHE/fake-gcs-server-$FAKE_GCS_VERSION"
GCS_BIN="$GCS_HOME/bin/fake-gcs-server"

gcs_fetch() {
    [[ -x $GCS_BIN ]] && return 0
    command -v go >/dev/null || die "go not found: it builds fake-gcs-server from source"
    say "building fake-gcs-server $FAKE_GCS_VERSION from source with Go (once, a few minutes)"
    GOBIN="$GCS_HOME/bin" GOFLAGS=-mod=mod go install \
        "github.com/fsouza/fake-gcs-server@$FAKE_GCS_VERSION" >&2 ||
        die "go install of fake-gcs-server failed"
}

gcs_start() {
    ! port_open "$GCS_PORT" ||
        die "port $GCS_PORT (fake-gcs-server) is taken: stop what uses it or set KB_GCS_PORT"
    mkdir -p "$ENV_DIR/gcs/data"
    setsid "$GCS_BIN" -scheme http -host 127.0.0.1 -port "$GCS_PORT" \
        -external-url "http://127.0.0.1:$GCS_PORT" -public-host "127.0.0.1:$GCS_PORT" \
        -backend filesystem -filesystem-root "$ENV_DIR/gcs/data" -log-level warn \
        >"$ENV_DIR/gcs/server.log" 2>&1 </dev/null 9>&- &
    echo $! >"$ENV_DIR/gcs.pid"
}

# Ready = the test bucket exists (created through the JSON API when missing).
gcs_ready() {
    local base="http://127.0.0.1:$GCS_PORT/storage/v1/b"
    curl -fsS -o /dev/null "$base/$TEST_BUCKET" 2>/dev/null && return 0
    curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' \
        -d "{\"name\":\"$TEST_BUCKET\"}" "$base" 2>/dev/null
}

gcs_exports() {
    cat <<EXPORTS
export STORAGE_EMULATOR_HOST='http://127.0.0.1:$GCS_PORT'
export KB_GCS_BUCKET='$TEST_BUCKET'
EXPORTS
}

# Adds the emulator to an environment that is already up (Kafka untouched).
gcs_up() {
    gcs_fetch
    pid_alive "$ENV_DIR/gcs.pid" || gcs_start
    wait_for "fake-gcs-server bucket $TEST_BUCKET" 60 gcs_ready ||
        { tail -20 "$ENV_DIR/gcs/server.log" >&2; return 1; }
}
