# Azurite, the Azure Storage emulator (npm package `azurite`, pinned by
# AZURITE_VERSION), blob service only, on 127.0.0.1:$AZURITE_PORT.
# Sourced by env.sh; expects common.sh, ENV_DIR, AZURITE_PORT.

AZURITE_HOME="$KB_CACHE/azurite-$AZURITE_VERSION"
AZURITE_BIN="$AZURITE_HOME/node_modules/.bin/azurite-blob"
AZURITE_ACCOUNT=devstoreaccount1
# Azurite's well-known key (published by Microsoft; every Azurite accepts it).
AZURITE_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

azurite_fetch() {
    [[ -x $AZURITE_BIN ]] && return 0
    command -v npm >/dev/null || die "npm not found: it installs Azurite (apt-get install npm)"
    say "installing Azurite $AZURITE_VERSION from npm (once)"
    npm install --prefix "$AZURITE_HOME" --no-audit --no-fund "azurite@$AZURITE_VERSION" >&2 ||
        die "npm install of azurite@$AZURITE_VERSION failed"
}

azurite_running() { pid_alive "$ENV_DIR/azurite.pid" && port_open "$AZURITE_PORT"; }

# Starts Azurite unless this environment's one is already up (idempotent).
azurite_up() {
    azurite_running && return 0
    azurite_fetch
    ! port_open "$AZURITE_PORT" || die "port $AZURITE_PORT is taken: stop what uses it or set KB_AZURITE_PORT"
    mkdir -p "$ENV_DIR/azurite"
    # --skipApiVersionCheck: SDKs newer than this Azurite send newer x-ms-version values.
    setsid "$AZURITE_BIN" --blobHost 127.0.0.1 --blobPort "$AZURITE_PORT" \
        --location "$ENV_DIR/azurite" --skipApiVersionCheck --disableTelemetry --silent \
        >"$ENV_DIR/azurite/server.log" 2>&1 </dev/null 9>&- &
    echo $! >"$ENV_DIR/azurite.pid"
    wait_for "Azurite on port $AZURITE_PORT" 60 port_open "$AZURITE_PORT" ||
        { tail -20 "$ENV_DIR/azurite/server.log" >&2; die "Azurite did not start"; }
}

azurite_exports() {
    local url="http://127.0.0.1:$AZURITE_PORT/$AZURITE_ACCOUNT"
    cat <<EXPORTS
export AZURITE_BLOB_STORAGE_URL='http://127.0.0.1:$AZURITE_PORT'
export AZURE_STORAGE_ACCOUNT='$AZURITE_ACCOUNT'
export AZURE_STORAGE_KEY='$AZURITE_KEY'
export AZURE_STORAGE_CONNECTION_STRING='DefaultEndpointsProtocol=http;AccountName=$AZURITE_ACCOUNT;AccountKey=$AZURITE_KEY;BlobEndpoint=$url;'
export KB_AZURE_ENDPOINT='$url'
EXPORTS
}
