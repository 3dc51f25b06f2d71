#!/usr/bin/env python3
"""Writes transcript.bin: the handshake_messages (spec section 5) that a
server's TNTProof for round 3 of the clinic example (spec section 9) signs,
in a TLS 1.2 rehandshake. Fixed randoms, so the output is reproducible.

Messages: ClientHello, ServerHello, Certificate (rsa2048b.cert.der),
TNTNegotiation round 1 (server), round 2 (client), round 3 (server, discloses
an "Accreditation" credential whose chain is rsa2048.cert.der). Only the
signatures matter to test_proof_verify, but every message follows the spec so
the file also decodes.

usage: make_transcript.py   (run in tests/data/proof)
"""
import struct


def u8(v):
    return struct.pack("!B", v)


def u16(v):
    return struct.pack("!H", v)


def u24(v):
    return struct.pack("!I", v)[1:]


def vec8(b):
    return u8(len(b)) + b


def vec16(b):
    return u16(len(b)) + b


def vec24(b):
    return u24(len(b)) + b


def msg(t, body):
    return u8(t) + u24(len(body)) + body


def ext(t, body):
    return u16(t) + vec16(body)


SIG_ALGS = [0x0804, 0x0805, 0x0806, 0x0403, 0x0503, 0x0401, 0x0501, 0x0601, 0x0201]
CLIENT_VERIFY = bytes(range(0x10, 0x1C))  # previous handshake's Finished verify_data
SERVER_VERIFY = bytes(range(0x20, 0x2C))


def tnt_ext(mode, strategies, languages):
    return ext(0xFF54, u8(1) + u8(mode) + vec8(bytes(strategies)) + vec8(bytes(languages)))


def client_hello():
    exts = (ext(0x000D, vec16(b"".join(u16(a) for a in SIG_ALGS)))
            + ext(0xFF01, vec8(CLIENT_VERIFY))
            + tnt_ext(1, [1, 2], [1]))
    body = (u16(0x0303) + bytes([0xC1] * 32) + vec8(b"") + vec16(u16(0xC02F) + u16(0x009C))
            + vec8(b"\x00") + vec16(exts))
    return msg(1, body)


def server_hello():
    exts = ext(0xFF01, vec8(CLIENT_VERIFY + SERVER_VERIFY)) + tnt_ext(1, [1], [1])
    body = (u16(0x0303) + bytes([0x5E] * 32) + vec8(bytes([0x77] * 32)) + u16(0xC02F) + u8(0)
            + vec16(exts))
    return msg(2, body)


def policy(kind, name, expr):
    return u8(kind) + vec8(name.encode()) + u8(1) + vec16(expr.encode())


def negotiation(rnd, status, policies, credentials):
    body = (u16(rnd) + u8(status) + vec24(b"".join(policies))
            + vec24(b"".join(credentials)))
    return msg(224, body)


def main():
    server_cert = open("rsa2048b.cert.der", "rb").read()
    cred_cert = open("rsa2048.cert.der", "rb").read()
    msgs = [
        client_hello(),
        server_hello(),
        msg(11, vec24(vec24(server_cert))),
        negotiation(1, 0, [policy(0, "GET /records/4711",
                                  'cred("MedicalLicense", issuer.O="State Medical Board")')], []),
        negotiation(2, 0, [policy(1, "MedicalLicense",
                                  'cred("Accreditation", issuer.O="Better Business Bureau")')], []),
        negotiation(3, 0, [], [vec8(b"Accreditation") + vec24(vec24(cred_cert))]),
    ]
    with open("transcript.bin", "wb") as f:
        f.write(b"".join(msgs))


if __name__ == "__main__":
    main()
