#!/usr/bin/env python3
"""Tunnels end to end: tntdump must print the same record and message lines
for a capture and for the same capture with every IP packet carried in a
tunnel (GTP-U, VXLAN, GRE, ERSPAN, PPTP, IP-in-IP, MPLS, PPPoE, nested, with
the outer packets fragmented), and, when tshark is installed, tshark must find
as many TLS records in the tunnelled capture as tntdump prints.

Then the two corpus captures that carry TLS in GTP-U (nDPI tls_change_cipher,
tls_invalid_reads) must show their tunnelled TLS connections, keyed by the
inner addresses (values from `tshark -r F -V`).

Env: TNTDUMP, TNT_SRC, TNT_TEST_DATA (required), TNT_CORPUS (optional).
Exit 0 pass, 1 fail, 77 skip. Standard library only.
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

SKIP = 77
TNTDUMP = os.environ.get("TNTDUMP", "")
SRC = os.environ.get("TNT_SRC") or os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
DATA = os.environ.get("TNT_TEST_DATA") or os.path.join(SRC, "tests", "data")
CORPUS = os.environ.get("TNT_CORPUS", "")
sys.path.insert(0, os.path.join(SRC, "tests", "tools"))
import pcap_rewrite  # noqa: E402  (reads pcap/pcapng, writes pcap)

MAC = bytes.fromhex("020000000002020000000001")
OUT4 = (bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
OUT6 = (bytes.fromhex("20010db8ffff00000000000000000001"),
        bytes.fromhex("20010db8ffff00000000000000000002"))


def ipv4(proto, body, ident=0, frag=0x4000, addrs=OUT4):
    h = bytearray(struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(body), ident, frag, 64, proto, 0,
                              addrs[0], addrs[1]))
    h[10:12] = struct.pack(">H", pcap_rewrite.ip_csum(bytes(h)))
    return bytes(h) + body


def ipv6(nh, body):
    return struct.pack(">IHBB16s16s", 0x60000000, len(body), nh, 64, OUT6[0], OUT6[1]) + body


def udp(sport, dport, body):
    return struct.pack(">HHHH", sport, dport, 8 + len(body), 0) + body


def gtp(inner, opt=b"", flags=0x30):
    return struct.pack(">BBHI", flags, 0xFF, len(opt) + len(inner), 0x92480006) + opt + inner


def eth(etype, body):
    return MAC + struct.pack(">H", etype) + body


def ethertype(ip):
    return 0x0800 if ip[0] >> 4 == 4 else 0x86DD


def frag4(proto, body, size, ident):
    """Outer IPv4 fragments of `size` payload bytes (a multiple of 8), last first."""
    out = []
    for off in range(0, len(body), size):
        more = off + size < len(body)
        out.append(ipv4(proto, body[off:off + size], ident, (0x2000 if more else 0) | off // 8))
    return out[::-1]


def frag_inner(ip, size):
    """An IPv4 packet split into fragments of `size` payload bytes, in order."""
    if ip[0] >> 4 != 4 or len(ip) - 20 <= size:
        return [ip]
    body, out = ip[20:], []
    for off in range(0, len(body), size):
        more = off + size < len(body)
        out.append(ipv4(ip[9], body[off:off + size], struct.unpack(">H", ip[4:6])[0] ^ 0x1234,
                        (0x2000 if more else 0) | off // 8, (ip[12:16], ip[16:20])))
    return out


# Each variant: inner IP packet (bytes) -> list of outer Ethernet frames.
VARIANTS = {
    "gtpu-vlan": lambda ip: [eth(0x8100, bytes.fromhex("0d42 8100 0071 0800".replace(" ", ""))
                                 + ipv4(17, udp(2152, 2152, gtp(ip))))],
    "gtpu-ext-ipv6": lambda ip: [eth(0x86DD, ipv6(17, udp(2152, 40000, gtp(
        ip, bytes.fromhex("0000 00 85 01 1009 00".replace(" ", "")), 0x34))))],
    "gtpu-outer-frag": lambda ip: [eth(0x0800, f) for f in frag4(
        17, udp(2152, 2152, gtp(ip)), 576, len(ip))],
    "gtpu-inner-frag": lambda ip: [eth(0x0800, ipv4(17, udp(2152, 2152, gtp(f))))
                                   for f in frag_inner(ip, 512)],
    "vxlan": lambda ip: [eth(0x0800, ipv4(17, udp(49152, 4789, bytes.fromhex("0800000000123400")
                                                   + eth(ethertype(ip), ip))))],
    "gre-key-seq": lambda ip: [eth(0x0800, ipv4(47, struct.pack(">HHII", 0x3000, ethertype(ip),
                                                              42, 7) + ip))],
    "gre-teb-ipv6": lambda ip: [eth(0x86DD, ipv6(47, struct.pack(">HH", 0, 0x6558)
                                               + eth(ethertype(ip), ip)))],
    "erspan2": lambda ip: [eth(0x0800, ipv4(47, struct.pack(">HHI", 0x1000, 0x88BE, 1)
                                          + bytes.fromhex("1064000100000000")
                                          + eth(ethertype(ip), ip)))],
    "pptp": lambda ip: [eth(0x0800, ipv4(47, struct.pack(">HHHHI", 0x3001, 0x880B, len(ip) + 4, 1,
                                                       5) + bytes.fromhex("ff03")
                                      + struct.pack(">H", 0x21 if ip[0] >> 4 == 4 else 0x57)
                                      + ip))],
    "ipip": lambda ip: [eth(0x0800, ipv4(4 if ip[0] >> 4 == 4 else 41, ip))],
    "ip-in-ipv6": lambda ip: [eth(0x86DD, ipv6(4 if ip[0] >> 4 == 4 else 41, ip))],
    "mpls": lambda ip: [eth(0x8847, bytes.fromhex("0006404000c8014a") + ip)],
    "pppoe": lambda ip: [eth(0x8864, struct.pack(">BBHHH", 0x11, 0, 0x1234, len(ip) + 2,
                                                 0x21 if ip[0] >> 4 == 4 else 0x57) + ip)],
    # VXLAN > Ethernet > GRE > GTP-U, outer fragments
    "nested": lambda ip: [eth(0x0800, f) for f in frag4(17, udp(49152, 4789, bytes.fromhex(
        "0800000000123400") + eth(0x0800, ipv4(47, struct.pack(">HH", 0, 0x0800) + ipv4(
            17, udp(2152, 2152, gtp(ip)), addrs=(bytes([10, 9, 0, 1]), bytes([10, 9, 0, 2])))))),
        1024, len(ip) ^ 0x5555)],
}


def inner_ip(frame):
    """The IP packet of an Ethernet frame, without padding; None if not IP."""
    if len(frame) < 34:
        return None
    t = struct.unpack(">H", frame[12:14])[0]
    ip = frame[14:]
    if t == 0x0800:
        return ip[:struct.unpack(">H", ip[2:4])[0]]
    if t == 0x86DD:
        return ip[:40 + struct.unpack(">H", ip[4:6])[0]]
    return None


def wrap(pkts, variant):
    out = []
    for sec, usec, orig, b in pkts:
        ip = inner_ip(b)
        if ip is None:
            out.append((sec, usec, orig, b))
            continue
        for f in VARIANTS[variant](ip):
            out.append((sec, usec, len(f), f))
    return out


LINE = re.compile(r"^\s+\d+\s+\d+\.\d+\s+((C>S|S>C) .*)$")


def tntdump(path):
    p = subprocess.run([TNTDUMP, "-r", path], capture_output=True, text=True, timeout=60)
    lines = [m.group(1) for m in map(LINE.match, p.stdout.splitlines()) if m]
    heads = [l for l in p.stdout.splitlines() if l.startswith("#")]
    return p.returncode, lines, heads, p.stderr


def tshark_records(path):
    p = subprocess.run(["tshark", "-r", path, "-Y", "tls", "-T", "fields", "-e",
                        "tls.record.content_type"], capture_output=True, text=True, timeout=120)
    return sum(len([x for x in l.split(",") if x]) for l in p.stdout.splitlines())


def main():
    if not TNTDUMP or not os.access(TNTDUMP, os.X_OK):
        return SKIP
    have_tshark = shutil.which("tshark") is not None
    fail = 0
    tmp = tempfile.mkdtemp()
    try:
        for name in ("bigresponse.pcapng", "reneg.pcapng"):
            src = os.path.join(DATA, name)
            with open(src, "rb") as f:
                linktype, pkts = pcap_rewrite.read_capture(f.read())
            assert linktype == pcap_rewrite.LINKTYPE_ETHERNET
            rc, want, want_heads, err = tntdump(src)
            if rc != 0 or not want:
                print(f"FAIL: {name}: exit {rc}, {len(want)} record lines\n{err}")
                return 1
            for v in VARIANTS:
                path = os.path.join(tmp, f"{name}-{v}.pcap")
                pcap_rewrite.write_pcap(path, pcap_rewrite.LINKTYPE_ETHERNET, wrap(pkts, v))
                rc, got, heads, err = tntdump(path)
                if rc != 0 or got != want or heads != want_heads or err:
                    fail = 1
                    print(f"FAIL: {name} in {v}: exit {rc}, {len(got)} of {len(want)} lines")
                    for a, b in zip(want, got):
                        if a != b:
                            print(f"  want {a}\n  got  {b}")
                            break
                    if heads != want_heads:
                        print(f"  connections {heads} instead of {want_heads}")
                    if err:
                        print("  stderr: " + err.strip().replace("\n", "\n  stderr: "))
                    continue
                records = sum(1 for l in got if re.match(r"(C>S|S>C) [a-z_]+ (TLS|SSL)", l))
                if have_tshark:
                    n = tshark_records(path)
                    if n != records:
                        fail = 1
                        print(f"FAIL: {name} in {v}: tshark sees {n} TLS records, tntdump {records}")
                        continue
                print(f"ok   {name} in {v} ({records} records)")
        fail |= corpus_checks()
    finally:
        shutil.rmtree(tmp)
    return fail


# Connection lines (without times) and some record lines the corpus's GTP-U
# captures must produce; the inner 4-tuples are tshark's.
CORPUS_EXPECT = {
    "third_party/nDPI/tls_change_cipher.pcap": (
        ["#1 172.29.190.157:62797 > 18.139.7.8:443"],
        ["C>S change_cipher_spec TLS 1.2 len=1", "C>S application_data TLS 1.2 len=900 encrypted"]),
    "third_party/nDPI/tls_invalid_reads.pcap": (
        ["#1 192.168.10.101:3967 > 206.33.61.113:443",
         "#3 10.191.139.17:58552 > 54.221.224.45:443"],
        ["C>S handshake TLS 1.0 len=178"]),
}


def corpus_checks():
    if not CORPUS or not os.path.isdir(CORPUS):
        print("(corpus checks skipped: TNT_CORPUS not set)")
        return 0
    fail = 0
    for rel, (heads, lines) in CORPUS_EXPECT.items():
        path = os.path.join(CORPUS, rel)
        if not os.path.exists(path):
            print(f"(missing {rel})")
            continue
        rc, got, got_heads, err = tntdump(path)
        got_heads = [h.split("  ")[0] for h in got_heads]
        missing = [l for l in lines if l not in got]
        if got_heads != heads or missing or "not decapsulated" in err:
            fail = 1
            print(f"FAIL: {rel}: connections {got_heads}, missing lines {missing}")
            print("  stderr: " + err.strip().replace("\n", "\n  stderr: "))
        else:
            print(f"ok   {rel}")
    return fail


if __name__ == "__main__":
    sys.exit(main())
