#!/usr/bin/env python3
"""layers.py: the shape of server/ as the linker sees it (docs/design.md,
"Layers of server/").

  python3 tests/layers.py [BUILD]      (BUILD: build, the default, or
                                        build-asan; after `make all`)

Reads the symbols every object of server/*.c defines and uses (`nm -P
BUILD/obj/server/X.o`) and draws the file-level call graph: X -> Y when X
uses a symbol that Y defines. Then checks, each as one TAP line:

  - every server/*.c has its object and a layer in LAYERS below, so a new
    file cannot be left out of the check;
  - layer order: a file uses only its own layer and the layers below it;
    each upward edge is one "not ok" naming its symbols;
  - includes by layer: every server/*.c and server/*.h includes only
    the headers (HEADERS below) of its own layer and the layers below;
  - no HTTP below the edge: util.h and domain.h name no libmicrohttpd
    or request/reply type;
  - a function's prefix names its file: every global function (nm "T")
    of server/X.o starts with X's prefix (prefix() below: srv_X_, or
    api_Y_ / page_Y_ / media_Y_ for api_Y.c / pages_Y.c / media_Y.c,
    html_ for html.c), and the longest file prefix it starts with is
    X's own, so that the name leads to the file; NAME_EXCEPTIONS lists
    the few names a wider contract fixes;
  - no circle: every strongly connected component of more than one file
    lies inside one of ALLOWED_CIRCLES (each argued there and in
    docs/design.md); a component that does not is one "not ok" naming the
    files and the symbols on each of its edges.

Only the objects of the source files that exist are read, so a stale
object of a removed or renamed file changes nothing.
"""
import os
import re
import subprocess
import sys

UTIL, RECORDS, EDGE, HANDLERS, PAGES, PROGRAMS = range(6)
LAYER_NAME = ["util", "records", "HTTP edge", "handlers", "pages",
    "programs"]

# Each file of server/ and its layer, lowest first.
LAYERS = {
    # util: no domain knowledge. confine.c is here because config.c
    # (srv_addr_loopback) and media.c (srv_service_user) ask it about
    # addresses and the service user, and it calls only log.c.
    "log": UTIL, "record": UTIL, "zip": UTIL, "config": UTIL,
    "sort": UTIL, "confine": UTIL, "media_wire": UTIL, "cursor": UTIL,
    "sandbox": UTIL,
    # records: the stored data and its rules; no HTTP types
    "keys": RECORDS, "audit": RECORDS, "qindex": RECORDS,
    "derived": RECORDS, "case": RECORDS, "identity": RECORDS,
    "watch": RECORDS, "directory": RECORDS, "workflow": RECORDS,
    "sessions": RECORDS, "users": RECORDS, "totp": RECORDS,
    "adminkey": RECORDS, "dedup": RECORDS, "media": RECORDS,
    "attach": RECORDS, "retention": RECORDS, "escrow_gen": RECORDS,
    "disclose": RECORDS, "escrow": RECORDS, "rekey": RECORDS,
    "restore": RECORDS,
    # HTTP edge: request, reply, errors; who is calling
    "http": EDGE, "auth": EDGE, "guard": EDGE, "metrics": EDGE,
    # handlers: one route each
    "api_attach": HANDLERS, "api_audit": HANDLERS, "api_auth": HANDLERS,
    "api_cases": HANDLERS, "api_ceremony": HANDLERS,
    "api_disclose": HANDLERS, "api_followup": HANDLERS,
    "api_hold": HANDLERS, "api_public": HANDLERS, "api_report": HANDLERS,
    "api_stats": HANDLERS, "api_users": HANDLERS, "export": HANDLERS,
    "publish": HANDLERS, "queue": HANDLERS,
    # pages: HTML over the handlers
    "html": PAGES, "i18n_en": PAGES, "i18n_id": PAGES,
    "pages_common": PAGES, "pages_form": PAGES, "pages_home": PAGES,
    "pages_lapor": PAGES, "pages_pantau": PAGES, "pages_public": PAGES,
    "pages_queue": PAGES, "pages_staf": PAGES, "pages_static": PAGES,
    "pages_staff_common": PAGES,
    # programs: bisikd's commands and serve set-up, bisik-media
    "main": PROGRAMS, "cmd_data": PROGRAMS, "routes": PROGRAMS,
    "sweeper": PROGRAMS, "media_main": PROGRAMS, "media_image": PROGRAMS,
    "media_confine": PROGRAMS,
}

# The header of each layer (docs/design.md, "Layers of server/"): a file
# includes only the headers of its own layer and the layers below it, and
# so does each header.
HEADERS = {
    "util.h": UTIL,
    # the image helper's wire format and limits (media_wire.c, libc only),
    # shared by bisik-media and bisikd's config.c and media.c
    "media.h": UTIL,
    # the table of configuration keys, private to config.c and its test
    "config.h": UTIL,
    # the seccomp set-up (sandbox.c, libc and libseccomp only), shared by
    # bisikd's confine.c and the image helper's media_confine.c
    "sandbox.h": UTIL,
    "domain.h": RECORDS,
    "http.h": EDGE,
    # the slow-client guard's libmicrohttpd-typed calls, beside http.h
    "guard.h": EDGE,
    "api.h": HANDLERS,
    "pages.h": PAGES,
    "server.h": PROGRAMS,
    # the route tables, read by routes.c alone
    "routes.inc": PROGRAMS, "pages.inc": PROGRAMS,
}

# Headers of the lower layers that must not know HTTP: none of these
# words may appear in them outside comments.
NO_HTTP = ["util.h", "domain.h"]
HTTP_WORDS = ["microhttpd", "MHD_", "srv_request", "srv_reply",
    "srv_route"]

# Exported functions whose name is part of a wider contract, not of the
# file that defines them: the C entry point of bisikd and bisik-media.
NAME_EXCEPTIONS = {
    "main": {"main", "media_main"},
}


def prefix(f):
    """The prefix a function of server/F.c starts with."""
    for word, short in (("api_", "api_"), ("pages_", "page_"),
            ("media_", "media_")):
        if f.startswith(word):
            return short + f[len(word):]
    if f == "html":
        return "html"
    return "srv_" + f


# Circles allowed to remain; a component passes if it lies inside one.
ALLOWED_CIRCLES = [
    # None: every file of server/ calls only files that do not call it
    # back, directly or through others. A circle that must stay is added
    # here with its reason, and argued in docs/design.md ("Layers").
]

DEFINED = set("TDBRCGSV")


def symbols(obj):
    """(defined, used, defined functions) global symbol names of one
    object."""
    out = subprocess.run(["nm", "-P", obj], capture_output=True,
        text=True, check=True).stdout
    defined, used, funcs = set(), set(), set()
    for line in out.splitlines():
        f = line.split()
        if len(f) < 2:
            continue
        if f[1] == "U":
            used.add(f[0])
        elif f[1] in DEFINED:
            defined.add(f[0])
            if f[1] == "T":
                funcs.add(f[0])
    return defined, used, funcs


def components(graph):
    """Strongly connected components (Tarjan, without recursion)."""
    index, low, onstack, stack, out = {}, {}, set(), [], []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        onstack.add(root)
        while work:
            v, it = work[-1]
            pushed = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    onstack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    pushed = True
                    break
                if w in onstack:
                    low[v] = min(low[v], index[w])
            if pushed:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = set()
                while True:
                    w = stack.pop()
                    onstack.discard(w)
                    comp.add(w)
                    if w == v:
                        break
                out.append(comp)
    return out


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    os.chdir(root)
    files = sorted(f[:-2] for f in os.listdir("server") if f.endswith(".c"))
    failed = 0

    def ok(name):
        print("ok - " + name)

    def not_ok(name, detail):
        nonlocal failed
        failed += 1
        print("not ok - %s: %s" % (name, detail))

    missing = [f for f in files
        if not os.path.exists("%s/obj/server/%s.o" % (build, f))]
    unknown = [f for f in files if f not in LAYERS]
    gone = sorted(set(LAYERS) - set(files))
    if missing:
        not_ok("every server file is built", "no object for " +
            ", ".join(missing) + " (make all)")
        return 1
    ok("every server file is built")
    if unknown or gone:
        not_ok("every server file has a layer", "tests/layers.py LAYERS "
            "lacks " + (", ".join(unknown) or "nothing") + "; names "
            "files that are not there: " + (", ".join(gone) or "none"))
    else:
        ok("every server file has a layer")

    owner, uses, funcs = {}, {}, {}
    for f in files:
        defined, used, funcs[f] = symbols("%s/obj/server/%s.o" % (build,
            f))
        uses[f] = used
        for s in defined:
            owner[s] = f
    graph = {f: set() for f in files}
    edge = {}
    for f in files:
        for s in uses[f]:
            g = owner.get(s)
            if g is not None and g != f:
                graph[f].add(g)
                edge.setdefault((f, g), set()).add(s)
    nedges = sum(len(v) for v in graph.values())
    if nedges == 0:
        not_ok("the call graph was read", "no edge between server files")
    else:
        ok("the call graph was read (%d files, %d edges)" %
            (len(files), nedges))

    up = 0
    for (f, g), syms in sorted(edge.items()):
        if f in LAYERS and g in LAYERS and LAYERS[g] > LAYERS[f]:
            up += 1
            not_ok("layer order", "%s (%s) calls %s (%s): %s" % (f,
                LAYER_NAME[LAYERS[f]], g, LAYER_NAME[LAYERS[g]],
                " ".join(sorted(syms))))
    if up == 0:
        ok("layer order: no file calls a layer above its own")

    # includes: the headers of the file's own layer and below only
    inc_bad = 0
    sources = ["%s.c" % f for f in files] + sorted(h for h in
        os.listdir("server") if h.endswith(".h"))
    for src in sources:
        stem = src[:-2]
        mine = LAYERS.get(stem) if src.endswith(".c") else HEADERS.get(src)
        if mine is None:
            inc_bad += 1
            not_ok("includes by layer", "server/%s has no layer (LAYERS "
                "or HEADERS)" % src)
            continue
        with open("server/" + src) as fp:
            text = fp.read()
        for h in re.findall(r'^\s*#\s*include\s+"server/([^"]+)"', text,
                re.M):
            if h not in HEADERS:
                inc_bad += 1
                not_ok("includes by layer", "server/%s includes server/%s, "
                    "which has no layer in HEADERS" % (src, h))
            elif HEADERS[h] > mine:
                inc_bad += 1
                not_ok("includes by layer", "server/%s (%s) includes "
                    "server/%s (%s)" % (src, LAYER_NAME[mine], h,
                    LAYER_NAME[HEADERS[h]]))
    if inc_bad == 0:
        ok("includes by layer: no file includes a header of a higher "
            "layer (%d files)" % len(sources))

    http_bad = 0
    for h in NO_HTTP:
        with open("server/" + h) as fp:
            text = re.sub(r"/\*.*?\*/", " ", fp.read(), flags=re.S)
        found = [w for w in HTTP_WORDS if w in text]
        if found:
            http_bad += 1
            not_ok("no HTTP below the edge", "server/%s names %s" % (h,
                " ".join(found)))
    if http_bad == 0:
        ok("no HTTP below the edge: %s name no HTTP type" %
            " and ".join(NO_HTTP))

    # names: every function a file exports starts with its own prefix, and
    # the longest prefix it starts with is its file's
    prefixes = {f: prefix(f) for f in files}
    name_bad = 0
    nfuncs = 0
    for f in files:
        for s in sorted(funcs[f]):
            nfuncs += 1
            if f in NAME_EXCEPTIONS.get(s, ()):
                continue
            best = None
            for g, p in prefixes.items():
                if (s == p or s.startswith(p + "_")) and \
                        (best is None or len(p) > len(prefixes[best])):
                    best = g
            if best != f:
                name_bad += 1
                not_ok("a function's prefix names its file", "%s in "
                    "server/%s.c: %s" % (s, f, "the prefix is %s_" %
                    prefixes[f] if best is None else "the name says "
                    "server/%s.c" % best))
    if nfuncs == 0:
        not_ok("a function's prefix names its file", "no function read")
    elif name_bad == 0:
        ok("a function's prefix names its file (%d functions)" % nfuncs)

    bad = 0
    for comp in components(graph):
        if len(comp) < 2 or any(comp <= a for a in ALLOWED_CIRCLES):
            continue
        bad += 1
        detail = []
        for f in sorted(comp):
            for g in sorted(comp):
                if (f, g) in edge:
                    detail.append("%s -> %s (%s)" % (f, g,
                        " ".join(sorted(edge[(f, g)]))))
        not_ok("no circle of calls", "%s; %s" % (" ".join(sorted(comp)),
            "; ".join(detail)))
    if bad == 0:
        ok("no circle of calls outside ALLOWED_CIRCLES")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
