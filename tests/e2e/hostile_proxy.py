#!/usr/bin/env python3
# hostile_proxy.py: a server operator who rewrites what bisikd answers, for
# tests/e2e/e2e_hostile_escrow.sh. Listens on 127.0.0.1 (a free port,
# written to PORTFILE), forwards every request to UPSTREAM and, following
# RULES (a JSON file read again for every request, so the test can change
# it between steps):
#   "escrow":  an escrow file put in place of any top-level "escrow" in a
#              JSON answer (the served copy of the escrow file);
#   "fake":    {"/api/v1/...": ANSWER}: a GET of that path is answered with
#              ANSWER (200) and never reaches bisikd (a forged request);
#   "swallow": [REGEX, ...]: a POST whose path matches is kept from bisikd
#              and answered 503 (a request held back to be played later).
# Every request (method, path, body) is appended to LOG as one JSON line,
# so the test can show what a client uploaded.
#
#   python3 hostile_proxy.py PORTFILE RULES LOG UPSTREAM
import http.server
import json
import os
import re
import sys
import urllib.error
import urllib.request

PORTFILE, RULES, LOG, UPSTREAM = sys.argv[1:5]
# Answers and bodies of the Bisik API are far smaller.
BODY_MAX = 4 * 1024 * 1024


def rules():
    try:
        with open(RULES, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(n, BODY_MAX)) if n > 0 else b""
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(json.dumps({"method": self.command, "path": self.path,
                                "body": body.decode("utf-8", "replace")}) +
                    "\n")
        r = rules()
        path = self.path.split("?")[0]
        if self.command == "GET" and path in r.get("fake", {}):
            self.send(200, json.dumps(r["fake"][path]).encode())
            return
        if self.command == "POST" and any(
                re.search(p, path) for p in r.get("swallow", [])):
            self.send(503, b'{"error":{"code":"busy","message":"busy"}}')
            return
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() in ("authorization", "content-type")}
        req = urllib.request.Request(UPSTREAM + self.path, method=self.command,
                                     data=body if n > 0 else None,
                                     headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                status, data = resp.status, resp.read(BODY_MAX)
        except urllib.error.HTTPError as e:
            status, data = e.code, e.read(BODY_MAX)
        if "escrow" in r:
            try:
                obj = json.loads(data)
                if isinstance(obj, dict) and "escrow" in obj:
                    obj["escrow"] = r["escrow"]
                    data = json.dumps(obj).encode()
            except ValueError:
                pass
        self.send(status, data)

    do_GET = handle_any
    do_POST = handle_any


def main():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(PORTFILE + ".tmp", "w", encoding="utf-8") as f:
        f.write(str(srv.server_address[1]))
    os.rename(PORTFILE + ".tmp", PORTFILE)
    srv.serve_forever()


main()
