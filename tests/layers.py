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
  - no circle: every strongly connected component of more than one file
    lies inside one of ALLOWED_CIRCLES (each argued there and in
    docs/design.md); a component that does not is one "not ok" naming the
    files and the symbols on each of its edges.

Only the objects of the source files that exist are read, so a stale
object of a removed or renamed file changes nothing.
"""
import os
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

# Circles allowed to remain; a component passes if it lies inside one.
ALLOWED_CIRCLES = [
    # None: every file of server/ calls only files that do not call it
    # back, directly or through others. A circle that must stay is added
    # here with its reason, and argued in docs/design.md ("Layers").
]

DEFINED = set("TDBRCGSV")


def symbols(obj):
    """(defined, used) global symbol names of one object."""
    out = subprocess.run(["nm", "-P", obj], capture_output=True,
        text=True, check=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        f = line.split()
        if len(f) < 2:
            continue
        if f[1] == "U":
            used.add(f[0])
        elif f[1] in DEFINED:
            defined.add(f[0])
    return defined, used


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

    owner, uses = {}, {}
    for f in files:
        defined, used = symbols("%s/obj/server/%s.o" % (build, f))
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
