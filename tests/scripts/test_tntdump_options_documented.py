#!/usr/bin/python3
"""Every long option tntdump accepts (its getopt_long table) is documented
in the man page and named in --help; the man page renders without warnings."""
import os
import re
import subprocess
import sys

SRC = os.environ.get("TNT_SRC", os.path.join(os.path.dirname(__file__), "..", ".."))
TNTDUMP = os.environ.get("TNTDUMP", os.path.join(SRC, "build", "capture", "tntdump"))
src = open(os.path.join(SRC, "capture", "tntdump.c")).read()
table = src[src.index("longopts[] = {"):]
table = table[:table.index("{NULL, 0, NULL, 0}")]
opts = re.findall(r'\{"([a-z-]+)",', table)
if len(opts) < 20:
    print("FAIL: option table not found (%d options)" % len(opts))
    sys.exit(1)
man = open(os.path.join(SRC, "capture", "tntdump.1")).read().replace("\\-", "-")
help_text = subprocess.run([TNTDUMP, "--help"], capture_output=True, text=True).stdout
aliases = {"colour": "color"}  # documented as --color
fail = 0
for o in opts:
    name = aliases.get(o, o)
    if "--" + name not in man:
        print("FAIL: --%s not in capture/tntdump.1" % o)
        fail = 1
    if "--" + name not in help_text and o not in ("read", "interface", "quiet", "verbose", "count",
                                                  "snaplen", "no-promiscuous-mode", "write",
                                                  "help"):
        print("FAIL: --%s not in --help" % o)
        fail = 1
if subprocess.run(["sh", "-c", "command -v man"], capture_output=True).returncode == 0:
    p = subprocess.run(["man", "--warnings", "-l", "-Tutf8", os.path.join(SRC, "capture", "tntdump.1")],
                       capture_output=True, text=True, env=dict(os.environ, MANWIDTH="80"))
    warn = [l for l in p.stderr.splitlines() if "warning" in l]
    if warn:
        print("FAIL: man page warnings:", *warn[:5], sep="\n  ")
        fail = 1
print("%d options checked" % len(opts))
sys.exit(fail)
