#!/usr/bin/env python3
"""Checks of the shape of the code that the compiler alone does not make.

    api_check.py SRC BUILD

1. Front ends (capture/, peer/, plugin/) include only the public API
   (include/tnt/...) and their own headers; capture/ and plugin/ not even
   include/tnt/engine/ (what only a TLS speaker needs).
2. The #include graph of lib/ (with include/) and of peer/ has no loop.
   A file and its header are one node (x.c and x.h are module x), so a loop
   means two modules that each need the other. Folded onto lib/'s layer
   folders (a public header counting as the folder that implements it),
   it has no loop either: the layers stack.
3. The object graph of peer/ (who calls whom, from nm) has no loop: the
   engine API calls the client and server, never the other way round.
4. tntdump links no symbol of tntenc (encoders, builder, key exchange).
5. No mutable global in lib/ or peer/: every data object of libtntcore.a,
   libtntenc.a, libtntload.a and libtntpeercore.a is in a read-only section (.rodata,
   or .data.rel.ro for constant tables of pointers). .data, .bss and
   .data.rel (a pointer table that is not itself const) are writable.
6. The decoding core draws no random numbers: libtntcore.a references no
   random number generator.
7. The decoding core opens no file: libtntcore.a references no file API
   (key logs, RSA keys and trust anchors arrive as buffers; tntload reads
   files for the command-line front ends).
8. Every public header compiles on its own with only include/ on the path
   (so it includes no private header and needs nothing included before it).

Prints one line per finding and exits 1 if there is any."""

import collections
import os
import re
import subprocess
import sys

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
SOURCE_EXT = ('.c', '.h')
# Randomness the decoding core must not ask for (libgcrypt and GnuTLS).
RNG_SYMBOLS = ('gcry_randomize', 'gcry_create_nonce', 'gcry_random_bytes',
               'gcry_random_bytes_secure', 'gnutls_rnd')

# What opening or reading a file by name looks like to the linker.
FILE_SYMBOLS = ('fopen', 'fopen64', 'open', 'open64', 'openat', 'g_file_get_contents',
                'g_mapped_file_new', 'gnutls_load_file', 'mmap', 'mmap64', 'g_open')

findings = []
# Findings whose fix is under way (issue 10): reported, not failed. Empty
# this as the fixes land; a pending entry that no longer occurs fails, so
# the list cannot go stale.
PENDING = set()


def fail(msg):
    findings.append(msg)


def sources(root):
    for d, _, files in os.walk(root):
        for f in sorted(files):
            if f.endswith(SOURCE_EXT):
                yield os.path.join(d, f)


def includes(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        return INCLUDE_RE.findall(f.read())


def check_front_ends(src):
    public = os.path.join(src, 'include')
    for fe in ('capture', 'peer', 'plugin'):
        root = os.path.join(src, fe)
        if not os.path.isdir(root):
            continue
        for path in sources(root):
            here = os.path.dirname(path)
            rel = os.path.relpath(path, src)
            # A front end's own tests also see its headers and tests/unit/.
            own = [here]
            if os.path.basename(here) == 'tests':
                own += [root, os.path.join(src, 'tests', 'unit')]
            for kind, inc in includes(path):
                if inc.startswith('tnt/'):
                    if not os.path.isfile(os.path.join(public, inc)):
                        fail(f'{rel}: includes {inc}, not a public header')
                    elif inc.startswith('tnt/engine/') and fe != 'peer':
                        fail(f'{rel}: includes {inc}: only a TLS speaker (peer/) uses the engine API')
                    continue
                if kind == '<':
                    # System and dependency headers; a lib/ header by its
                    # bare name would be found only through a private -I.
                    if any(os.path.isfile(p) for p in lib_headers_named(src, inc)):
                        fail(f'{rel}: includes <{inc}>, a private lib/ header')
                    continue
                target = next((os.path.normpath(os.path.join(d, inc)) for d in own
                               if os.path.isfile(os.path.join(d, inc))), None)
                if target is None:
                    fail(f'{rel}: includes "{inc}", neither its own nor a public header')
                elif os.path.commonpath([target, os.path.join(src, 'lib')]) == os.path.join(src, 'lib'):
                    fail(f'{rel}: includes "{inc}", a private lib/ header')


_lib_headers = None


def lib_headers_named(src, name):
    global _lib_headers
    if _lib_headers is None:
        _lib_headers = collections.defaultdict(list)
        for p in sources(os.path.join(src, 'lib')):
            _lib_headers[os.path.basename(p)].append(p)
    return _lib_headers.get(name, [])


def module(path):
    return os.path.splitext(path)[0]


def include_graph(src, roots, search):
    """Module graph: edges from each file's module to the module of each
    header it includes, resolved the way the build resolves them."""
    g = collections.defaultdict(set)
    for root in roots:
        for path in sources(os.path.join(src, root)):
            m = module(os.path.relpath(path, src))
            g[m]
            for _, inc in includes(path):
                for d in [os.path.dirname(path)] + [os.path.join(src, s) for s in search]:
                    cand = os.path.normpath(os.path.join(d, inc))
                    if os.path.isfile(cand):
                        t = module(os.path.relpath(cand, src))
                        if t != m:
                            g[m].add(t)
                        break
    return g


def loops(g):
    """Strongly connected components with more than one node."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(100000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(g.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


# Public headers with no .c of the same name, and the layer that implements
# them (tnt.h includes everything and belongs to none).
HEADER_LAYER = {'error': 'util', 'types': 'util', 'tnt_messages': 'messages',
                'encode': 'encode', 'kx': 'encode', 'load': 'load', 'tnt': None}


def layer_graph(src, g, lib_dirs):
    """The module graph folded onto lib/'s layer folders: a public header
    counts as the folder that implements it."""
    impl = {}
    for d in lib_dirs:
        for f in os.listdir(os.path.join(src, d)):
            if f.endswith('.c'):
                impl[os.path.splitext(f)[0]] = os.path.basename(d)

    def layer(m):
        parts = m.split('/')
        if parts[0] == 'include':
            stem = parts[-1]
            return impl.get(stem, HEADER_LAYER.get(stem, stem))
        return parts[1]

    out = collections.defaultdict(set)
    for a, bs in g.items():
        la = layer(a)
        for b in bs:
            lb = layer(b)
            if la and lb and la != lb:
                out[la].add(lb)
    return out


def check_include_loops(src):
    lib_dirs = [os.path.join('lib', d) for d in sorted(os.listdir(os.path.join(src, 'lib')))
                if os.path.isdir(os.path.join(src, 'lib', d))]
    search = ['include', 'include/tnt', 'include/tnt/engine'] + lib_dirs
    for roots, name in ((['lib', 'include'], 'lib/'), (['peer'], 'peer/')):
        g = include_graph(src, roots, search)
        for comp in loops(g):
            fail(f'#include loop in {name}: {" -> ".join(comp)}')
        if name == 'lib/':
            for comp in loops(layer_graph(src, g, lib_dirs)):
                fail(f'#include loop between the layers of lib/: {" -> ".join(comp)}')


def nm(path, *args):
    return subprocess.run(['nm', *args, path], capture_output=True, text=True, check=True).stdout


def object_graph(archive):
    defs, undef, objs = {}, collections.defaultdict(set), set()
    for line in nm(archive, '-A').splitlines():
        parts = line.split()
        obj = parts[0].split(':')[1]
        objs.add(obj)
        if parts[-2] == 'U':
            undef[obj].add(parts[-1])
        elif len(parts) == 3 and parts[1] in 'TDRBCV':
            defs[parts[2]] = obj
    g = {o: set() for o in objs}
    for o, syms in undef.items():
        for s in syms:
            if s in defs and defs[s] != o:
                g[o].add(defs[s])
    return g


def check_object_loops(build):
    peer = os.path.join(build, 'peer', 'libtntpeercore.a')
    for comp in loops(object_graph(peer)):
        fail(f'call loop in peer/: {" <-> ".join(comp)}')


def defined_globals(path):
    out = set()
    for line in nm(path, '--defined-only', '-g').splitlines():
        parts = line.split()
        if len(parts) == 3:
            out.add(parts[2])
    return out


def check_tntdump(build):
    enc = defined_globals(os.path.join(build, 'lib', 'libtntenc.a'))
    if not enc:
        fail('libtntenc.a defines no symbol: the check would prove nothing')
    dump = defined_globals(os.path.join(build, 'capture', 'tntdump'))
    for s in sorted(enc & dump):
        fail(f'tntdump contains {s} from tntenc')
    # By name too, in case one strays into tntcore (tnt_kx_name, in the
    # names table, is only the name of a suite's key exchange).
    for s in sorted(dump):
        if re.match(r'tnt_(enc|bld|kx)_', s) and s != 'tnt_kx_name':
            fail(f'tntdump contains {s} (encoder, builder or key exchange)')


READONLY = ('.rodata', '.data.rel.ro')
SANITIZER_PREFIXES = ('__odr_asan', '__asan_', '___asan', '__ubsan', '__sancov')


def check_writable(build):
    archives = [os.path.join(build, 'lib', 'libtntcore.a'),
                os.path.join(build, 'lib', 'libtntenc.a'),
                os.path.join(build, 'lib', 'libtntload.a'),
                os.path.join(build, 'peer', 'libtntpeercore.a')]
    seen = 0
    for a in archives:
        out = subprocess.run(['objdump', '-t', a], capture_output=True, text=True,
                             check=True).stdout
        obj = '?'
        for line in out.splitlines():
            m = re.match(r'^(\S+\.o):\s+file format', line)
            if m:
                obj = m.group(1)
                continue
            # value flags section size name; objects have the O flag.
            m = re.match(r'^[0-9a-f]+ (.{7}) (\S+)\s+[0-9a-f]+\s+(\S+)$', line)
            if not m or 'O' not in m.group(1):
                continue
            seen += 1
            section, name = m.group(2), m.group(3)
            # The sanitizers' own bookkeeping (ODR indicators, shadow
            # descriptors) is writable by design and not our state.
            if name.startswith(SANITIZER_PREFIXES):
                continue
            if not section.startswith(READONLY):
                fail(f'{os.path.basename(a)}({obj}): writable data {name} in {section}')
    if seen == 0:
        fail('no data objects at all in lib/ and peer/: the check would prove nothing')


def check_no_rng(build):
    core = os.path.join(build, 'lib', 'libtntcore.a')
    for line in nm(core, '-A', '-u').splitlines():
        parts = line.split()
        if parts[-1] in RNG_SYMBOLS:
            fail(f'{parts[0].split(":")[1]} in tntcore calls {parts[-1]}')
        if parts[-1] in FILE_SYMBOLS:
            fail(f'{parts[0].split(":")[1]} in tntcore opens files ({parts[-1]})')


def check_headers_alone(src):
    cc = os.environ.get('CC', 'cc')
    try:
        glib = subprocess.run(['pkg-config', '--cflags', 'glib-2.0'], capture_output=True,
                              text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        fail('pkg-config glib-2.0 failed: public headers not compiled')
        return
    inc = os.path.join(src, 'include')
    for path in sources(os.path.join(inc, 'tnt')):
        rel = os.path.relpath(path, inc)
        r = subprocess.run([cc, '-std=gnu11', '-x', 'c', '-fsyntax-only', '-Wall', '-Werror',
                            '-I', inc, *glib, '-'], input=f'#include "{rel}"\n',
                           capture_output=True, text=True)
        if r.returncode != 0:
            why = [ln for ln in r.stderr.splitlines() if 'error' in ln] or ['']
            fail(f'include/{rel} does not compile alone: {why[0]}')


def main():
    src, build = sys.argv[1], sys.argv[2]
    checks = [check_front_ends, check_include_loops, check_headers_alone]
    for c in checks:
        c(src)
    for c in (check_object_loops, check_tntdump, check_writable, check_no_rng):
        c(build)
    bad = 0
    for f in findings:
        if f in PENDING:
            print(f'pending: {f}')
        else:
            print(f)
            bad += 1
    for p in sorted(PENDING - set(findings)):
        print(f'fixed, remove from PENDING: {p}')
        bad += 1
    print(f'api_check: {bad} findings, {len(set(findings) & PENDING)} pending')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
