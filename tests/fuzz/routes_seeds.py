#!/usr/bin/env python3
"""routes_seeds.py: the seed corpus of the route fuzzer (fuzz_routes.c)
from the requests the end-to-end tests make.

  python3 tests/fuzz/routes_seeds.py capture TRACES [e2e_X.sh ...]
      runs the end-to-end tests (all but the browser's by default) on the
      release build with a curl in front of the real one that adds
      --trace, so every request curl sends is kept byte for byte in TRACES
  python3 tests/fuzz/routes_seeds.py remap CORPUS COMMIT
      after routes were added to the table, rewrites the route byte of
      every input that was made against COMMIT's table (byte 0 is an
      index into the table)
  python3 tests/fuzz/routes_seeds.py convert TRACES CORPUS
      turns each request that was answered below 400 into the fuzzer's
      input form (see the top of fuzz_routes.c) in CORPUS, named by the
      SHA-1 of its bytes as libFuzzer names its own

Live values become the fuzzer's placeholders: case references @C0@,
reporter tokens @T0@, the CSRF token @X@; the Authorization header and
the session cookie become the credential byte (a session of the role the
route needs, or a reporter token), path parameters the parameter byte.
Bodies over BODY_MAX bytes are left out, except that a multipart file
part is cut to a small PNG first; at most PER_ROUTE seeds a route. A route
no curl request of the tests reached (the bisik client and the browser
test reach some) gets one hand-made seed of the same shape (EXTRA).
"""
import base64
import hashlib
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BODY_MAX = 8192
PER_ROUTE = 16
# Sign-in runs Argon2id (64 MiB) for every well-formed attempt: few seeds.
PER_ROUTE_SLOW = 2
SLOW = ("/api/v1/auth/login", "/staf/masuk")
ROLES = ["central_admin", "agency_admin", "liaison", "auditor", "agency_admin2"]
CASES = 3
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f00050001ff89993d1d"
    "0000000049454e44ae426082")


def read_at(path, commit):
    """A file of the tree, or of a commit's tree."""
    if commit is None:
        return open(os.path.join(ROOT, path)).read()
    return subprocess.run(["git", "-C", ROOT, "show", "%s:%s" % (commit, path)],
                          check=True, capture_output=True, text=True).stdout


def routes(commit=None):
    """The route table in http.c's order (what srv_route() walks)."""
    src = read_at("server/http.c", commit)
    start = src.index("static const struct route routes[] = {")
    end = src.index("};", start)
    text = ""
    for line in src[start:end].splitlines():
        m = re.match(r'#include "(server/[a-z]+\.inc)"', line.strip())
        text += read_at(m.group(1), commit) if m else line + "\n"
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    out = []
    for m in re.finditer(r'\{\s*"([A-Z]+)",\s*"([^"]+)",\s*\w+,\s*(SRV_BODY_\w+)', text):
        out.append((m.group(1), m.group(2), m.group(3)))
    return out


def capture(traces, scripts):
    os.makedirs(traces, exist_ok=True)
    shim = tempfile.mkdtemp(prefix="bisik-shim-")
    real = "/usr/bin/curl"
    with open(os.path.join(shim, "curl"), "w") as f:
        f.write('#!/bin/sh\nexec %s --trace "%s/$$.$(date +%%s%%N).trace" "$@"\n'
                % (real, os.path.abspath(traces)))
    os.chmod(os.path.join(shim, "curl"), 0o755)
    env = dict(os.environ, PATH=shim + ":" + os.environ["PATH"], BISIK_BUILD="build")
    if not scripts:
        e2e = os.path.join(ROOT, "tests/e2e")
        scripts = sorted(os.path.join(e2e, s) for s in os.listdir(e2e)
                         if s.startswith("e2e_") and s != "e2e_browser.sh")
    for s in scripts:
        r = subprocess.run(["sh", s], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        print("%s: exit %d" % (os.path.basename(s), r.returncode))


def parse_trace(path):
    """(request bytes, status) for each request in a curl --trace file."""
    out, cur, kind, status, left = [], None, None, None, 0
    for line in open(path, "rb").read().decode("latin-1").splitlines():
        m = re.match(r"^(=>|<=) (Send|Recv) (header|data|SSL data), (\d+) bytes", line)
        if m:
            kind, left = (m.group(1), m.group(3)), int(m.group(4))
            if kind == ("=>", "header"):
                if cur is not None:
                    out.append((bytes(cur), status))
                cur, status = bytearray(), None
            continue
        if line.startswith("=="):
            kind = None
            continue
        # "0000: 47 45 54 20 ... GET ...": 16 bytes a line, fewer on the
        # last, then their text (which may look like hex too)
        h = re.match(r"^[0-9a-f]{4,}: (.*)$", line)
        if not h or kind is None or left <= 0:
            continue
        n = min(16, left)
        left -= n
        b = bytes.fromhex("".join(h.group(1).split(" ")[:n]))
        if kind[0] == "=>" and kind[1] in ("header", "data") and cur is not None:
            cur += b
        elif kind == ("<=", "header") and status is None:
            s = re.match(rb"HTTP/[0-9.]+ (\d{3})", b)
            if s and s.group(1) != b"100":
                status = int(s.group(1))
    if cur is not None:
        out.append((bytes(cur), status))
    return out


def match(pattern, path):
    """The "{}" values if path fits pattern, else None."""
    rx = "^" + re.escape(pattern).replace(r"\{\}", "([A-Za-z0-9_-]{1,64})") + "$"
    m = re.match(rx, path)
    return list(m.groups()) if m else None


def dechunk(body):
    out = b""
    while body:
        line, _, body = body.partition(b"\r\n")
        n = int(line.split(b";")[0] or b"0", 16)
        if n == 0:
            break
        out += body[:n]
        body = body[n + 2:]
    return out


TOKEN = rb"[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){7}"
CASEREF = rb"BSK-\d{4}-\d{6,}"


def role_for(path, body):
    """The role (1-based credential) the route wants, as a guess."""
    if b'"action"' in body:
        a = re.search(rb'"action"\s*:\s*"([a-z_]+)"', body)
        a = a.group(1) if a else b""
        if a in (b"accept", b"return"):
            return 2
        if a in (b"respond", b"resolve"):
            return 3
        return 1
    if "/audit" in path:
        return 4
    if "/messages" in path and "/cases/" in path:
        return 3
    return 1


def convert_one(req, table):
    head, _, body = req.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    try:
        method, target, _ = lines[0].decode("latin-1").split(" ", 2)
    except ValueError:
        return None
    path, _, query = target.partition("?")
    hdrs = []
    auth = cookie = b""
    chunked = False
    for l in lines[1:]:
        k, _, v = l.partition(b":")
        k, v = k.strip().lower(), v.strip()
        if k == b"authorization":
            auth = v
        elif k == b"cookie":
            cookie = v
        elif k == b"transfer-encoding" and v.lower() == b"chunked":
            chunked = True
        elif k in (b"host", b"content-length", b"expect", b"user-agent",
                   b"accept", b"transfer-encoding"):
            continue
        elif k == b"origin":
            hdrs.append(b"Origin: http://bisik.test")
        else:
            hdrs.append(l)
    if chunked:
        body = dechunk(body)
    ri = None
    for i, (m, p, kind) in enumerate(table):
        vals = match(p, path)
        if vals is not None and m == method:
            ri = i
            break
    if ri is None:
        return None
    # a multipart file cut to a small PNG
    if len(body) > BODY_MAX and b"filename=" in body:
        m = re.search(rb'(filename="[^"]*"\r\n(?:[^\r\n]+\r\n)*\r\n)(.*?)(\r\n--)', body, re.S)
        if m:
            body = body[:m.start(2)] + PNG + body[m.end(2):]
    if len(body) > BODY_MAX:
        return None
    role = role_for(path, body)
    # credentials
    c = 0
    if auth.startswith(b"Bearer "):
        if path.startswith("/api/v1/followup"):
            c = len(ROLES) + 1
        else:
            c = role
    elif auth:
        c = len(ROLES) + CASES + 3      # Basic
    k = 0
    if re.search(rb"bisik_session=[0-9A-Z]", cookie):
        k = role
    # path parameters: the accepted case for staff writes, else the first
    sel = 0
    for n, v in enumerate(match(table[ri][1], path) or []):
        s = 1 if (method == "POST" and "/cases/" in path) else 0
        if re.match(r"^\d+$", v):
            s = 0
        sel |= s << (4 * n)
    def subst(b):
        b = re.sub(CASEREF, b"@C0@", b)
        b = re.sub(TOKEN, b"@T0@", b)
        b = re.sub(rb"(csrf=|name=\"csrf\"\r\n\r\n)[0-9a-f]{64}", rb"\1@X@", b)
        return b
    flags = 0
    text = subst(query.encode("latin-1")) + b"\n"
    for l in hdrs:
        text += subst(l) + b"\n"
    text += b"\n" + subst(body)
    return bytes([ri, c | (k << 4), flags, sel]) + text


def b64(n):
    return __import__("base64").b64encode(bytes(range(1, n + 1))).decode()


# Requests the end-to-end tests make only through the bisik client (libcurl,
# not curl) or a browser: (method, path, credential, cookie, params, text).
def dkg_deal():
    """A DEAL message in base64 (docs/dkg.md): version 1, a ceremony id of
    zeros, phase 1, sender 1, no previous hash, the DEAL body of
    tests/fuzz/corpus/fuzz_dkg/deal-shape and an empty signature."""
    body = open(os.path.join(ROOT, "tests/fuzz/corpus/fuzz_dkg/deal-shape"),
                "rb").read()
    msg = b"\x01" + bytes(16) + b"\x01" + (1).to_bytes(4, "big") + \
        bytes(32) + body + bytes(64)
    return base64.b64encode(msg).decode()


EXTRA = [
    ("GET", "/api/v1/cases/counts", 1, 0, 0, "\n\n"),
    ("POST", "/api/v1/cases/{}/preview", 1, 0, 2,
     '\nContent-Type: application/json\n\n{"action":"dispose",'
     '"redactions":[{"phrase":"Lampu jalan"}]}'),
    ("POST", "/api/v1/followup/reopen", 6, 0, 0,
     '\nContent-Type: application/json\n\n{"reason":"Rusak lagi"}'),
    ("POST", "/api/v1/cases/{}/disclosures", 1, 0, 1,
     '\nContent-Type: application/json\n\n{"reason":"Saksi kunci",'
     '"legal_basis":"UU 31/1999","generation":1,"requester_index":1,'
     '"nonce":"%s","blind_key":"%s","blinded":"%s","blind_proof":"%s",'
     '"signature":"%s"}' % (b64(16), b64(32), b64(32), b64(64), b64(64))),
    ("POST", "/api/v1/disclosures/{}/approve", 1, 0, 0,
     '\nContent-Type: application/json\n\n{"index":1,"partial":"%s",'
     '"proof":"%s","signature":"%s"}' % (b64(32), b64(64), b64(64))),
    ("POST", "/api/v1/disclosures/{}/deny", 1, 0, 0,
     '\nContent-Type: application/json\n\n{"reason":"Tidak cukup dasar"}'),
    ("POST", "/staf/kasus/{}/lampiran", 0, 3, 1,
     "\nContent-Type: multipart/form-data; boundary=FZB\n"
     "Sec-Fetch-Site: same-origin\n\n--FZB\r\nContent-Disposition: "
     'form-data; name="csrf"\r\n\r\n@X@\r\n--FZB\r\nContent-Disposition: '
     'form-data; name="file"; filename="foto.png"\r\nContent-Type: '
     "image/png\r\n\r\n@PNG@\r\n--FZB--\r\n"),
    ("GET", "/staf/kasus/{}/lampiran/{}", 0, 1, 0, "\n\n"),
    ("POST", "/staf/sesi/{}/cabut", 0, 1, 0,
     "\nContent-Type: application/x-www-form-urlencoded\n\ncsrf=@X@"),
    ("POST", "/staf/totp/mulai", 0, 1, 0,
     "\nContent-Type: application/x-www-form-urlencoded\n\ncsrf=@X@"),
    ("POST", "/staf/totp/konfirmasi", 0, 1, 0,
     "\nContent-Type: application/x-www-form-urlencoded\n\n"
     "csrf=@X@&code=123456"),
    # The escrow key ceremony relay (api_ceremony.c): the bisik client
    # drives it, so no curl request of the tests does. "{}" (byte 3: 0)
    # is the ceremony the fixture opened; the keys of "create" are two
    # real holders' (Ed25519 and X25519 public keys); the message is a
    # DEAL for another ceremony id (refused by crypto_dkg_accept, inside
    # the handler), the signature one of a holder of a ceremony not done.
    ("POST", "/api/v1/escrow/ceremonies", 1, 0, 0,
     '\nContent-Type: application/json\n\n{"threshold":2,"holders":['
     '{"sign_key":"5AbtUryAP6eg2UogIfMi6MhSKYB1mobCa3YT0yjhAmw=",'
     '"box_key":"KYRGfGcMdJRy3CfnLX/3NSQKS+X1W6Dp58POkHCOGn4="},'
     '{"sign_key":"cAIeT9AIWeHSg0jfI/65CZWN2q9cxAvhdxsB7s5aRtg=",'
     '"box_key":"GqcTBDylX/6DWkDT3zlbgm0lLnrWhWKBZaOA3fIB8mA="}]}'),
    ("GET", "/api/v1/escrow/ceremonies", 1, 0, 0, "\n\n"),
    ("GET", "/api/v1/escrow/ceremonies/{}", 1, 0, 0, "\n\n"),
    ("POST", "/api/v1/escrow/ceremonies/{}/messages", 1, 0, 0,
     '\nContent-Type: application/json\n\n{"message":"%s"}' % dkg_deal()),
    ("POST", "/api/v1/escrow/ceremonies/{}/signatures", 1, 0, 0,
     '\nContent-Type: application/json\n\n{"index":1,"sealed_share":"%s",'
     '"signature":"%s"}' % (b64(80), b64(64))),
]


def convert(traces, corpus):
    table = routes()
    os.makedirs(corpus, exist_ok=True)
    seen, per = set(), {}
    n = 0
    for f in sorted(os.listdir(traces)):
        for req, status in parse_trace(os.path.join(traces, f)):
            if status is None or status >= 400:
                continue
            seed = convert_one(req, table)
            if seed is None or seed in seen:
                continue
            cap = PER_ROUTE_SLOW if table[seed[0]][1] in SLOW else PER_ROUTE
            if per.get(seed[0], 0) >= cap:
                continue
            per[seed[0]] = per.get(seed[0], 0) + 1
            seen.add(seed)
            name = hashlib.sha1(seed).hexdigest()
            open(os.path.join(corpus, name), "wb").write(seed)
            n += 1
    for method, path, c, k, sel, text in EXTRA:
        ri = [i for i, r in enumerate(table) if r[0] == method and r[1] == path]
        if not ri or ri[0] in per:
            continue
        seed = bytes([ri[0], c | (k << 4), 0, sel]) + \
            text.encode().replace(b"@PNG@", PNG)
        open(os.path.join(corpus, hashlib.sha1(seed).hexdigest()), "wb").write(seed)
        per[ri[0]] = 1
        n += 1
    print("%d seeds over %d of %d routes" % (n, len(per), len(table)))


def remap(corpus, commit):
    """Byte 0 of each input is an index into the route table: after routes
    were added, point every input made at commit back at its route."""
    old, new = routes(commit), routes()
    out = {}
    for f in sorted(os.listdir(corpus)):
        b = open(os.path.join(corpus, f), "rb").read()
        if len(b) < 1 or b[0] % (len(old) + 1) == len(old):
            i = len(new)                        # raw stays raw
        else:
            r = old[b[0] % (len(old) + 1)]
            i = [k for k, x in enumerate(new) if x[:2] == r[:2]]
            if not i:
                continue                        # the route is gone
            i = i[0]
        out[f] = bytes([i]) + b[1:]
    # all read first: a new name may be an old input's name
    for f in out:
        os.unlink(os.path.join(corpus, f))
    for seed in out.values():
        open(os.path.join(corpus, hashlib.sha1(seed).hexdigest()), "wb").write(seed)
    print("%d inputs mapped onto the current route table" % len(out))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "capture":
        capture(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) == 4 and sys.argv[1] == "convert":
        convert(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "remap":
        remap(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
