"""A stand-in OAuth2 token endpoint and an authorising proxy in front of fake-gcs-server.

  auth_servers.py PUBLIC_KEY_PEM UPSTREAM_URL STATE_DIR

Token endpoint (POST /token): accepts the JWT bearer grant only when the JWT's
RS256 signature verifies (openssl) against PUBLIC_KEY_PEM and its claims are
Google's (iss, scope, aud = this URL, exp = iat + 3600); answers
{"access_token": "tok-N", "expires_in": 3600}, else 400 invalid_grant.
Proxy: forwards every request to UPSTREAM_URL when it carries
"Authorization: Bearer tok-N" for an issued token, else answers 401.
Writes STATE_DIR/ports ("TOKEN_PORT PROXY_PORT") when listening and
STATE_DIR/counts.json after every request.
"""
import base64
import http.client
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import urllib.parse

PUB, UPSTREAM, STATE = sys.argv[1], urllib.parse.urlparse(sys.argv[2]), sys.argv[3]
counts = {"tokens": 0, "refused_grants": 0, "authorized": 0, "unauthorized": 0}
issued = set()
lock = threading.Lock()


def save():
    with open(os.path.join(STATE, "counts.json.tmp"), "w") as f:
        json.dump(counts, f)
    os.replace(os.path.join(STATE, "counts.json.tmp"), os.path.join(STATE, "counts.json"))


def unb64(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def verify(jwt, audience):
    head, claims, sig = jwt.split(".")
    with tempfile.NamedTemporaryFile() as s, tempfile.NamedTemporaryFile() as d:
        s.write(unb64(sig)); s.flush()
        d.write(f"{head}.{claims}".encode()); d.flush()
        ok = subprocess.run(["openssl", "dgst", "-sha256", "-verify", PUB, "-signature", s.name, d.name],
                            capture_output=True).returncode == 0
    c = json.loads(unb64(claims))
    return ok and json.loads(unb64(head)).get("alg") == "RS256" and c.get("aud") == audience and \
        c.get("scope") == "https://www.googleapis.com/auth/devstorage.read_write" and \
        c.get("iss", "").endswith(".iam.gserviceaccount.com") and c.get("exp") == c.get("iat", 0) + 3600


class Token(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_POST(self):
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        audience = f"http://127.0.0.1:{self.server.server_port}/token"
        good = form.get("grant_type") == ["urn:ietf:params:oauth:grant-type:jwt-bearer"] and \
            verify(form["assertion"][0], audience)
        with lock:
            if good:
                counts["tokens"] += 1
                token = f"tok-{counts['tokens']}"
                issued.add(token)
                body, status = {"access_token": token, "expires_in": 3600, "token_type": "Bearer"}, 200
            else:
                counts["refused_grants"] += 1
                body, status = {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}, 400
            save()
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def forward(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        auth = self.headers.get("Authorization", "")
        with lock:
            ok = auth.startswith("Bearer ") and auth[7:] in issued
            counts["authorized" if ok else "unauthorized"] += 1
            save()
        if not ok:
            data = b'{"error":{"code":401,"message":"missing or unknown bearer token"}}'
            self.send_response(401)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        up = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "authorization")}
        up.request(self.command, self.path, body=body, headers=headers)
        res = up.getresponse()
        data = res.read()
        self.send_response(res.status)
        for k, v in res.getheaders():
            if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        up.close()

    do_GET = do_POST = do_PUT = do_DELETE = forward


token = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Token)
proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
save()
with open(os.path.join(STATE, "ports"), "w") as f:
    f.write(f"{token.server_port} {proxy.server_port}\n")
threading.Thread(target=token.serve_forever, daemon=True).start()
proxy.serve_forever()
