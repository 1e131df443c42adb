# The Python clients we did not write, pinned, each in a venv cached across runs
# (sourced; needs fail). `py_client azure|gcs` prints the venv's python.
py_client() {  # azure|gcs
    local pkg module venv cache="${KB_CACHE_DIR:-$HOME/.cache/kafka-backup}"
    case $1 in
    azure) pkg=azure-storage-blob==12.27.1 module=azure.storage.blob venv="$cache/py-azure-blob" ;;
    gcs) pkg=google-cloud-storage==3.17.1 module=google.cloud.storage venv="$cache/py-gcs-3.17.1" ;;
    *) fail "py_client: unknown client '$1'" ;;
    esac
    if ! "$venv/bin/python" -c "import importlib.metadata as m, $module; \
assert m.version('${pkg%%==*}') == '${pkg##*==}'" 2>/dev/null; then
        { python3 -m venv "$venv" && "$venv/bin/pip" install -q "$pkg"; } >&2 ||
            fail "could not install $pkg into $venv"
    fi
    echo "$venv/bin/python"
}
