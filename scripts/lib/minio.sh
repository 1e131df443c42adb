# MinIO built from source through the Go module proxy, pinned by MINIO_VERSION.
# Sourced by env.sh; expects common.sh, ENV_DIR, MINIO_PORT.

MINIO_HOME="$KB_CACHE/minio-$MINIO_VERSION"
MINIO_BIN="$MINIO_HOME/bin/minio"
MINIO_USER=kbadmin
MINIO_PASSWORD=kbadmin-secret-key
AWS_CLI=/usr/bin/aws  # Debian's awscli, not whatever else is first on PATH

minio_fetch() {
    [[ -x $MINIO_BIN ]] && return 0
    command -v go >/dev/null || die "go not found: it builds MinIO from source"
    say "building MinIO $MINIO_VERSION from source with Go (once, several minutes)"
    GOBIN="$MINIO_HOME/bin" GOFLAGS=-mod=mod go install "github.com/minio/minio@$MINIO_VERSION" >&2 ||
        die "go install of MinIO failed"
}

minio_start() {
    mkdir -p "$ENV_DIR/minio/data"
    MINIO_ROOT_USER=$MINIO_USER MINIO_ROOT_PASSWORD=$MINIO_PASSWORD MINIO_BROWSER=off \
        MINIO_UPDATE=off setsid "$MINIO_BIN" server "$ENV_DIR/minio/data" \
        --address "127.0.0.1:$MINIO_PORT" --console-address "127.0.0.1:$((MINIO_PORT + 1))" --quiet \
        >"$ENV_DIR/minio/server.log" 2>&1 </dev/null 9>&- &
    echo $! >"$ENV_DIR/minio.pid"
}

minio_aws() {
    AWS_ACCESS_KEY_ID=$MINIO_USER AWS_SECRET_ACCESS_KEY=$MINIO_PASSWORD AWS_REGION=us-east-1 \
        AWS_EC2_METADATA_DISABLED=true "$AWS_CLI" --endpoint-url "http://127.0.0.1:$MINIO_PORT" "$@"
}

# Ready = the test bucket exists and can be listed.
minio_ready() {
    minio_aws s3api head-bucket --bucket "$TEST_BUCKET" 2>/dev/null ||
        minio_aws s3 mb "s3://$TEST_BUCKET" >/dev/null 2>&1 || return 1
    minio_aws s3 ls "s3://$TEST_BUCKET" >/dev/null 2>&1
}
