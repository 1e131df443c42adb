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

# A second MinIO in the same environment that serves https with the env's test
# certificates and has MinIO's built-in KMS key: what server-side encryption
# needs (SSE-C is accepted only over TLS; SSE-S3/SSE-KMS need a KMS key).
MINIO_TLS_PORT=${KB_MINIO_TLS_PORT:-$((MINIO_PORT + 2))}
MINIO_KMS_KEY_ID=kb-test-key
# A fixed test key (base64 of 32 bytes): the data it protects is test data.
MINIO_KMS_SECRET="$MINIO_KMS_KEY_ID:MTIzNDU2Nzg5MGFiY2RlZjEyMzQ1Njc4OTBhYmNkZWY="

minio_tls_running() { pid_alive "$ENV_DIR/minio-tls.pid"; }

minio_tls_aws() {
    AWS_CA_BUNDLE="$ENV_DIR/tls/ca.pem" AWS_ACCESS_KEY_ID=$MINIO_USER \
        AWS_SECRET_ACCESS_KEY=$MINIO_PASSWORD AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
        "$AWS_CLI" --endpoint-url "https://127.0.0.1:$MINIO_TLS_PORT" "$@"
}

minio_tls_ready() {
    minio_tls_aws s3api head-bucket --bucket "$TEST_BUCKET" 2>/dev/null ||
        minio_tls_aws s3 mb "s3://$TEST_BUCKET" >/dev/null 2>&1 || return 1
    minio_tls_aws s3 ls "s3://$TEST_BUCKET" >/dev/null 2>&1
}

minio_tls_up() {
    minio_tls_running && return 0
    minio_fetch
    kafka_make_tls
    ! port_open "$MINIO_TLS_PORT" || die "port $MINIO_TLS_PORT is taken: set KB_MINIO_TLS_PORT"
    local d=$ENV_DIR/minio-tls
    mkdir -p "$d/data" "$d/certs"
    cp "$ENV_DIR/tls/broker.pem" "$d/certs/public.crt"
    cp "$ENV_DIR/tls/broker.key" "$d/certs/private.key"
    MINIO_ROOT_USER=$MINIO_USER MINIO_ROOT_PASSWORD=$MINIO_PASSWORD MINIO_BROWSER=off \
        MINIO_UPDATE=off MINIO_KMS_SECRET_KEY=$MINIO_KMS_SECRET setsid "$MINIO_BIN" server "$d/data" \
        --address "127.0.0.1:$MINIO_TLS_PORT" --console-address "127.0.0.1:$((MINIO_TLS_PORT + 1))" \
        --certs-dir "$d/certs" --quiet >"$d/server.log" 2>&1 </dev/null 9>&- &
    echo $! >"$ENV_DIR/minio-tls.pid"
    wait_for "MinIO (https) bucket $TEST_BUCKET" 60 minio_tls_ready || { tail -20 "$d/server.log" >&2; return 1; }
}

minio_tls_exports() {
    cat <<EXPORTS
export S3_TLS_ENDPOINT='https://127.0.0.1:$MINIO_TLS_PORT'
export S3_TLS_CA_FILE='$ENV_DIR/tls/ca.pem'
export KB_MINIO_KMS_KEY_ID='$MINIO_KMS_KEY_ID'
EXPORTS
}
