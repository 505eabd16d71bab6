#!/usr/bin/env python3
"""Writes one gRPC request frame of certreg.v1.GetCertificateRequest for h2load.

Usage: h2load_frame.py NUMBER OUT_FILE [basic|full]

The frame is what a gRPC client sends as the request body: a 0x00 byte (not
compressed), the message length as 4 bytes big-endian, then the protobuf
encoding of GetCertificateRequest {number: NUMBER, view: VIEW} (number: field
1, length-delimited: tag 0x0a, varint length, UTF-8 bytes; view: field 3,
varint: tag 0x18, 1 for basic, 2 for full; left out when not given). h2load
sends the same body on every request (-d OUT_FILE).
"""
import struct
import sys


def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def main():
    views = {"basic": 1, "full": 2}
    if len(sys.argv) not in (3, 4) or (len(sys.argv) == 4 and sys.argv[3] not in views):
        sys.stderr.write(__doc__)
        return 2
    number = sys.argv[1].encode("utf-8")
    message = b"\x0a" + varint(len(number)) + number
    if len(sys.argv) == 4:
        message += b"\x18" + varint(views[sys.argv[3]])
    frame = b"\x00" + struct.pack(">I", len(message)) + message
    with open(sys.argv[2], "wb") as out:
        out.write(frame)
    return 0


if __name__ == "__main__":
    sys.exit(main())
