#!/usr/bin/env bash
# Runs gcs_backend_tests with fake-gcs-server added to the environment.
set -euo pipefail
: "${KB_BIN:?set KB_BIN to the bin directory of the build, as ctest does}"
KB_ROOT=${KB_SOURCE_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)}
eval "$("$KB_ROOT/scripts/env.sh" gcs)"
exec "$KB_BIN/gcs_backend_tests" --log_level=message
