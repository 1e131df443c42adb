# Local stand-ins for the compose file's images, built from package registries (Docker
# Hub is out of reach on these machines). Sourced by scripts/compose.sh; expects
# common.sh, kafka.sh, minio.sh and COMPOSE_DIR.
#
#   kb-debian:12            Debian 12 root filesystem from debootstrap (Debian's mirror)
#   kb-kafka:$KAFKA_VERSION  for apache/kafka: OpenJDK 17 + the Maven Central jars of env.sh
#   kb-minio:<version>      for minio/minio and minio/mc: MinIO and mc built with Go
#   kafka-backup:local      our Dockerfile, its runtime stage with the Release binary
#
# Each image carries a label kb.inputs, the hash of what it was built from (its context,
# Dockerfile, base image); a build is skipped when the image exists with the same hash.

KB_BASE_IMAGE=kb-debian:12
KB_MC_VERSION=v0.0.0-20250313080218-cf909e1063a9  # the newest mc the Go module proxy serves
MC_BIN="$KB_CACHE/mc-$KB_MC_VERSION/bin/mc"

image_inputs() { docker image inspect -f '{{index .Config.Labels "kb.inputs"}}' "$1" 2>/dev/null; }
image_id() { docker image inspect -f '{{.Id}}' "$1"; }

# The hash of a build context directory and the other inputs named.
inputs_hash() {
    local ctx=$1
    shift
    {
        tar -C "$ctx" -cf - --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner . | sha256sum
        printf '%s\n' "$@"
    } | sha256sum | cut -c1-16
}

# build_image TAG CONTEXT DOCKERFILE [docker build args...]: rebuilt only when the
# context, the Dockerfile or the base image changed (their hash is the image's label).
build_image() {
    local tag=$1 ctx=$2 dockerfile=$3 hash
    shift 3
    hash=$(inputs_hash "$ctx" "$(cat "$dockerfile")" "$(image_id "$KB_BASE_IMAGE")")
    if [[ $(image_inputs "$tag") == "$hash" ]]; then
        say "image $tag is up to date ($hash)"
        return 0
    fi
    say "building image $tag"
    # --network host: with --iptables=false the default bridge has no way out (apt-get).
    local log=$COMPOSE_DIR/build-${tag//[:\/]/-}.log
    docker build --network host --label "kb.inputs=$hash" -t "$tag" -f "$dockerfile" "$@" "$ctx" >"$log" 2>&1 ||
        { tail -20 "$log" >&2; die "docker build of $tag failed: see $log"; }
}

base_image() {
    local sources hash rootfs
    sources=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null || true)
    hash=$(printf 'bookworm minbase v1\n%s\n' "$sources" | sha256sum | cut -c1-16)
    if [[ $(image_inputs "$KB_BASE_IMAGE") == "$hash" ]]; then
        say "image $KB_BASE_IMAGE is up to date ($hash)"
        return 0
    fi
    command -v debootstrap >/dev/null || die "debootstrap not found (apt-get install debootstrap)"
    say "building image $KB_BASE_IMAGE with debootstrap (Debian 12 minbase)"
    rootfs=$COMPOSE_DIR/rootfs
    rm -rf "$rootfs"
    debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$COMPOSE_DIR/debootstrap.log" 2>&1 ||
        die "debootstrap failed: see $COMPOSE_DIR/debootstrap.log"
    # The machine's own apt sources (its mirror or snapshot, with updates and security),
    # so images get the package versions the host has.
    if compgen -G '/etc/apt/sources.list.d/*.sources' >/dev/null; then
        rm -f "$rootfs/etc/apt/sources.list"
        cp /etc/apt/sources.list.d/*.sources "$rootfs/etc/apt/sources.list.d/"
    fi
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | docker import -c 'CMD ["bash"]' -c "LABEL kb.inputs=$hash" \
        -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$KB_BASE_IMAGE" >/dev/null ||
        die "docker import of the root filesystem failed"
    rm -rf "$rootfs"
}

kafka_image_tag() { echo "kb-kafka:$KAFKA_VERSION"; }

kafka_image() {
    local ctx=$COMPOSE_DIR/ctx-kafka
    kafka_use_version
    kafka_fetch
    rm -rf "$ctx" && mkdir -p "$ctx"
    cp -al "$KAFKA_LIBS" "$ctx/libs" 2>/dev/null || cp -r "$KAFKA_LIBS" "$ctx/libs"
    # env.sh's wrappers and log4j configs (made from the cached jars), with the image's
    # paths put in.
    (ENV_DIR=$ctx && kafka_write_wrappers && kafka_write_log4j)
    sed -i "s|$KAFKA_LIBS|/opt/kafka/libs|g; s|$ctx|/opt/kafka|g" "$ctx"/bin/*
    grep -q 'org.apache.kafka.tools.TopicCommand' "$ctx/bin/kafka-topics.sh" ||
        die "the Kafka tool wrappers for the image were not made (scripts/lib/kafka.sh changed?)"
    cp "$KB_ROOT/scripts/compose/kafka/run" "$ctx/run"
    build_image "$(kafka_image_tag)" "$ctx" "$KB_ROOT/scripts/compose/kafka/Dockerfile" --build-arg "KB_BASE_IMAGE=$KB_BASE_IMAGE"
}

mc_fetch() {
    [[ -x $MC_BIN ]] && return 0
    say "building mc $KB_MC_VERSION from source with Go (once)"
    GOBIN="$(dirname "$MC_BIN")" GOFLAGS=-mod=mod go install "github.com/minio/mc@$KB_MC_VERSION" >&2 ||
        die "go install of mc failed"
}

minio_image_tag() { echo "kb-minio:${MINIO_VERSION##*-}"; }

minio_image() {
    local ctx=$COMPOSE_DIR/ctx-minio
    minio_fetch
    mc_fetch
    rm -rf "$ctx" && mkdir -p "$ctx"
    cp "$MINIO_BIN" "$MC_BIN" "$ctx/"
    build_image "$(minio_image_tag)" "$ctx" "$KB_ROOT/scripts/compose/minio/Dockerfile" --build-arg "KB_BASE_IMAGE=$KB_BASE_IMAGE"
}

# Our image from our Dockerfile, target release-binary: the runtime stage with the
# Release binary the tests ran ($KB_BIN, default build/bin), not a second compile.
kafka_backup_image_tag() { echo "kafka-backup:local"; }

kafka_backup_image() {
    local ctx=$COMPOSE_DIR/ctx-kafka-backup bin=${KB_BIN:-$KB_ROOT/build/bin}/kafka-backup
    [[ -x $bin ]] || die "no kafka-backup at $bin (build it: scripts/setup.sh, or set KB_BIN)"
    rm -rf "$ctx" && mkdir -p "$ctx"
    cp "$bin" "$ctx/kafka-backup"
    build_image "$(kafka_backup_image_tag)" "$ctx" "$KB_ROOT/Dockerfile" --target release-binary \
        --build-arg "KB_BUILD_IMAGE=$KB_BASE_IMAGE" --build-arg "KB_RUNTIME_IMAGE=$KB_BASE_IMAGE"
}

# The variables docker-compose.yml reads its images from.
image_exports() {
    printf 'export KB_KAFKA_IMAGE=%s KB_MINIO_IMAGE=%s KB_MC_IMAGE=%s KB_IMAGE=%s\n' \
        "$(kafka_image_tag)" "$(minio_image_tag)" "$(minio_image_tag)" "$(kafka_backup_image_tag)"
}
