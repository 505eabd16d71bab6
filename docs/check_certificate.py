"""Fetches a certificate's verification bundle and checks it with the two
pinned keys: the checkpoint's signature, every statement's inclusion in the
signed tree, the operator's accreditation statements and, with the body key
they register, the certificate's statements and their chain.

It leaves out what `certctl verify` and certreg-verifier also check: the
signed head (that no statement was left out), accreditation dates, the event
rules and the status (docs/TRUST.md, "Verification bundles").

  python3 check_certificate.py NUMBER [REGISTRY] [--ca=CA.pem]
    REGISTRY: host:port, default 127.0.0.1:50051; --ca: reach it over TLS,
    its certificate checked against CA.pem

Needs the certreg.v1 stubs on the path (docs/TRUST.md, "A client in Python")
and the pinned keys in $XDG_CONFIG_HOME/certreg/{operator,log}.pub
(~/.config/certreg by default).
"""
import hashlib
import os
import sys

import grpc
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from certreg.v1 import log_pb2, registry_pb2, registry_pb2_grpc, statement_pb2

STATEMENT = b"certreg.v1.Statement\0"    # signing prefixes, NUL included
CHECKPOINT = b"certreg.v1.Checkpoint\0"


def sha256(data):
    return hashlib.sha256(data).digest()


def leaf_hash(signed):
    # Leaf data: statement, signature, key id, each a 4-byte big-endian
    # length and the bytes. RFC 9162: leaf = SHA-256(0x00 || leaf data).
    data = b"".join(len(f).to_bytes(4, "big") + f
                    for f in (signed.statement, signed.signature, signed.key_id))
    return sha256(b"\x00" + data)


def root_from_path(index, size, leaf, path):
    # RFC 9162 2.1.3.2; node = SHA-256(0x01 || left || right).
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            raise ValueError("inclusion proof too long")
        if fn % 2 == 1 or fn == sn:
            r = sha256(b"\x01" + p + r)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = sha256(b"\x01" + r + p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ValueError("inclusion proof too short")
    return r


def channel(registry, ca_file):
    if not ca_file:
        return grpc.insecure_channel(registry)
    roots = open(ca_file, "rb").read()
    return grpc.secure_channel(registry, grpc.ssl_channel_credentials(roots))


def main():
    options = [a for a in sys.argv[1:] if a.startswith("--ca=")]
    args = [a for a in sys.argv[1:] if not a.startswith("--ca=")]
    number = args[0]
    registry = args[1] if len(args) > 1 else "127.0.0.1:50051"
    ca_file = options[-1][len("--ca="):] if options else ""
    config = os.path.join(os.environ.get("XDG_CONFIG_HOME") or
                          os.path.expanduser("~/.config"), "certreg")
    operator_key = load_pem_public_key(open(config + "/operator.pub", "rb").read())
    log_key = load_pem_public_key(open(config + "/log.pub", "rb").read())

    stub = registry_pb2_grpc.RegistryServiceStub(channel(registry, ca_file))
    bundle = stub.GetVerificationBundle(
        registry_pb2.GetVerificationBundleRequest(number=number))

    # verify() raises cryptography's InvalidSignature on a bad signature.
    log_key.verify(bundle.checkpoint.signature,
                   CHECKPOINT + bundle.checkpoint.checkpoint)
    checkpoint = log_pb2.Checkpoint.FromString(bundle.checkpoint.checkpoint)

    for proven in [*bundle.authority_statements, *bundle.certificate_statements]:
        proof = proven.inclusion_proof
        root = root_from_path(proof.leaf_index, proof.tree_size,
                              leaf_hash(proven.signed_statement), proof.hashes)
        if proof.tree_size != checkpoint.tree_size or root != checkpoint.root_hash:
            sys.exit("leaf %d: not in the signed tree" % proof.leaf_index)

    body_keys = {}  # key id -> key, from the operator's signed statements
    for proven in bundle.authority_statements:
        signed = proven.signed_statement
        operator_key.verify(signed.signature, STATEMENT + signed.statement)
        s = statement_pb2.Statement.FromString(signed.statement)
        raw = s.accredit_body.public_key or s.rotate_body_key.new_public_key
        if raw:
            body_keys[sha256(raw)] = Ed25519PublicKey.from_public_bytes(raw)

    previous = b""
    for proven in bundle.certificate_statements:
        signed = proven.signed_statement
        if signed.key_id not in body_keys:
            sys.exit("a statement is signed by a key the operator never registered")
        body_keys[signed.key_id].verify(signed.signature, STATEMENT + signed.statement)
        s = statement_pb2.Statement.FromString(signed.statement)
        if s.previous_event_hash != previous:
            sys.exit("the chain is broken before leaf %d" % proven.inclusion_proof.leaf_index)
        previous = sha256(signed.statement)
        print("%04d-%02d-%02d %s" % (s.date.year, s.date.month, s.date.day,
                                     s.WhichOneof("kind")))
    print("%s: %d statement(s) signed and in the log at tree size %d" %
          (number, len(bundle.certificate_statements), checkpoint.tree_size))


if __name__ == "__main__":
    main()
