# Derives the Shared Key test vectors in shared_key_test.cpp with the signer of
# Microsoft's azure-storage-blob SDK (SharedKeyCredentialPolicy), so our signer
# is checked against code we did not write. Run with the SDK installed:
#   python3 tests/unit/azure/sdk_vectors.py
from azure.core.pipeline import PipelineContext, PipelineRequest
from azure.core.rest import HttpRequest
from azure.storage.blob._shared.authentication import SharedKeyCredentialPolicy

ACCOUNT = "devstoreaccount1"
KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
DATE = "Sat, 05 Dec 2026 20:00:00 GMT"
BASE = "http://127.0.0.1:10000/devstoreaccount1"

CASES = [
    ("PUT", "/kb-test/backups/topic%20a/seg-1.kb", {},
     {"x-ms-blob-type": "BlockBlob", "Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg==",
      "Content-Length": "11"}),
    ("PUT", "/kb-test/big/seg.kb", {"comp": "block", "blockid": "YWJjZGVmLTAwMDAwMQ=="},
     {"Content-Length": "5242880"}),
    ("GET", "/kb-test", {"restype": "container", "comp": "list", "prefix": "b/",
                         "maxresults": "1000"}, {}),
    ("GET", "/kb-test/k", {}, {"x-ms-range": "bytes=0-99"}),
    ("PUT", "/kb-test/k", {"comp": "blocklist"},
     {"If-None-Match": "*", "Content-Type": "application/xml", "Content-Length": "0"}),
]

policy = SharedKeyCredentialPolicy(ACCOUNT, KEY)
for method, path, query, headers in CASES:
    url = BASE + path
    if query:
        from urllib.parse import quote
        url += "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items())
    h = {"x-ms-date": DATE, "x-ms-version": "2021-12-02", **headers}
    req = PipelineRequest(HttpRequest(method, url, headers=h), PipelineContext(None))
    policy.on_request(req)
    print(method, path, query, headers, "->", req.http_request.headers["Authorization"])
