# Builds kafka-backup on Debian 12 with the same packages scripts/setup.sh installs.
FROM debian:12 AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential cmake ninja-build \
      pkg-config git libboost1.81-dev libboost-program-options1.81-dev libboost-test1.81-dev \
      nlohmann-json3-dev libyaml-cpp-dev libpugixml-dev libfmt-dev libzstd-dev liblz4-dev \
      libsnappy-dev zlib1g-dev libssl-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DKB_BUILD_TESTS=OFF -DKB_BUILD_BENCH=OFF \
    && ninja -C build kafka-backup

FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends libboost-program-options1.81.0 \
      libyaml-cpp0.7 libpugixml1v5 libfmt9 libzstd1 liblz4-1 libsnappy1v5 zlib1g libssl3 ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/bin/kafka-backup /usr/local/bin/kafka-backup
ENTRYPOINT ["kafka-backup"]
