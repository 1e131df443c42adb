# kafka-backup's image: a small Debian 12 runtime with the one binary, run as a
# non-root user. Two ways to fill it:
#
#   docker build -t kafka-backup:local .      (default: compiles from source in stage
#                                              `build`, as scripts/setup.sh does)
#   docker build --target release-binary -f Dockerfile DIR
#                                             (DIR holds a kafka-backup binary built on
#                                              Debian 12: scripts/compose.sh copies the
#                                              Release build the tests ran)
#
# The base images are build args, so machines without Docker Hub can use local ones
# (scripts/compose.sh passes its debootstrap image). The stages are ordered so that the
# legacy builder, which builds every stage up to --target, never compiles for
# release-binary; BuildKit skips unused stages anyway.
ARG KB_BUILD_IMAGE=debian:12
ARG KB_RUNTIME_IMAGE=debian:12-slim

FROM ${KB_RUNTIME_IMAGE} AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends libboost-program-options1.81.0 \
      libyaml-cpp0.7 libpugixml1v5 libfmt9 libzstd1 liblz4-1 libsnappy1v5 zlib1g libssl3 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --create-home --home-dir /home/kafka-backup kafka-backup
WORKDIR /home/kafka-backup
USER kafka-backup
ENTRYPOINT ["kafka-backup"]
CMD ["--help"]

FROM runtime AS release-binary
COPY kafka-backup /usr/local/bin/kafka-backup
RUN ["kafka-backup", "--version"]

FROM ${KB_BUILD_IMAGE} AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential cmake ninja-build \
      pkg-config git libboost1.81-dev libboost-program-options1.81-dev libboost-test1.81-dev \
      nlohmann-json3-dev libyaml-cpp-dev libpugixml-dev libfmt-dev libzstd-dev liblz4-dev \
      libsnappy-dev zlib1g-dev libssl-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DKB_BUILD_TESTS=OFF -DKB_BUILD_BENCH=OFF \
    && ninja -C build kafka-backup

FROM runtime AS from-source
COPY --from=build /src/build/bin/kafka-backup /usr/local/bin/kafka-backup
RUN ["kafka-backup", "--version"]
