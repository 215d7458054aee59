#!/usr/bin/env python3
"""Writes the seed corpus under fuzz/seeds/<target>/ (run from anywhere; needs the
`cryptography` package for the Ed25519 signatures). The files are committed: run this only
to change them. Every seed is deterministic, so re-running gives the same files.

Seeds that carry a MAC or a signature are made with the fixed keys the fuzz targets also
use: the cursor key-encryption key SEED_KEK of fuzz_targets/cursor_open.rs and the
checkpoint key [5; 32] named "sinergi/audit" of fuzz_targets/audit_text.rs.
"""

import base64
import hashlib
import hmac
import json
import os
import random
import shutil
import struct
import uuid

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    directory = os.path.join(HERE, target)
    os.makedirs(directory, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def reset(target):
    shutil.rmtree(os.path.join(HERE, target), ignore_errors=True)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# --- NIK and KK: valid ones from the tests and the demo, and one of each refusal. ---
reset("nik")
for name, nik in [
    ("valid_female_1990", "3201015708900123"),
    ("valid_male_1985", "3201011507850003"),
    ("valid_tests", "3201015508870002"),
    ("valid_29feb2000_female", "3201016902000001"),
    ("valid_1980", "3201011501800001"),
    ("bad_29feb2001", "3201012902010001"),
    ("bad_month13", "3201011513850003"),
    ("bad_unknown_province", "9901011507850003"),
    ("bad_zero_serial", "3201011507850000"),
    ("bad_zero_regency", "3200011507850003"),
    ("bad_day72", "3201017208900123"),
    ("bad_short", "320101570890012"),
    ("bad_space", " 3201015708900123"),
    ("bad_arabic_indic_digits", "\u0663\u0662\u0660\u0661\u0660\u0661\u0665\u0667\u0660\u0668\u0669\u0660\u0660\u0661\u0662\u0663"),
]:
    write("nik", name, nik)

reset("kk")
for name, kk in [
    ("valid_schema_example", "3301010101090001"),
    ("valid_tests", "3201012308150007"),
    ("valid_papua_barat_daya", "9601010101090001"),
    ("bad_zero_serial", "3201012308150000"),
    ("bad_unknown_province", "9901012308150007"),
    ("bad_long", "33010101010900011"),
    ("bad_fullwidth_digit", "330101010109000\uff11"),
]:
    write("kk", name, kk)

# --- Region codes: every level, dotted and not, real and not. ---
reset("region")
for name, code in [
    ("village_dotted", "33.01.01.2001"),
    ("village_undotted", "3301012001"),
    ("village_aceh", "11.01.01.2001"),
    ("village_sumut", "12.07.28.1007"),
    ("district_dotted", "33.01.01"),
    ("district_undotted", "330101"),
    ("regency_dotted", "33.01"),
    ("regency_undotted", "3301"),
    ("province", "33"),
    ("unknown_village", "32.01.01.9999"),
    ("bad_group_width", "33.1.01.2001"),
    ("bad_empty_group", "33..01"),
    ("bad_mixed", "33.01012001"),
]:
    write("region", name, code)

# --- Cursors sealed exactly as CursorKey::seal does, under cursor_open.rs's SEED_KEK. ---
SEED_KEK = base64.b64decode("c2luZXJnaS1mdXp6LWN1cnNvci1zZWVkLWtleS0wMDE=")
CURSOR_KEY = hmac.new(SEED_KEK, b"sinergi search cursor v1", hashlib.sha256).digest()
SEARCHES = [
    "graduation Filter { nik: None, kk: None, program: None, publisher: None, region_digits: None, event_from: None, event_to: None, updated_after: None, status: None, graduation_id: None, include_retracted: false }",
    'enrollment Filter { nik: Some("3301014501900002"), kk: None, program: Some("KEMENDES-DESA-MANDIRI"), publisher: None, region_digits: Some(("3301000000", "3301999999")), event_from: None, event_to: None, updated_after: None, status: None, graduation_id: None, include_retracted: false }',
]


def seal(search, record_id):
    search = search.encode()
    mac = hmac.new(CURSOR_KEY, struct.pack(">Q", len(search)) + search + record_id.bytes,
                   hashlib.sha256).digest()[:16]
    return b64url(record_id.bytes + mac)


reset("cursor_open")
ids = [uuid.UUID("0190a5f2-7c3e-7b1a-8d2e-3f4a5b6c7d8e"), uuid.UUID(int=0), uuid.UUID(int=2**128 - 1)]
for i, record_id in enumerate(ids):
    write("cursor_open", f"graduation_{i}", seal(SEARCHES[0], record_id))
    write("cursor_open", f"enrollment_{i}", seal(SEARCHES[1], record_id))
write("cursor_open", "own_search", "graduation nik=1\n" + seal("graduation nik=1", ids[0]))
write("cursor_open", "not_base64", "not base64 !")
write("cursor_open", "padded", seal(SEARCHES[0], ids[0]) + "=")

# --- Canonical JSON: RFC 8785's examples and the shapes the exchange hashes. ---
reset("canonical_json")
for name, text in [
    ("rfc8785_numbers", '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001, -0.0, 100.0], '
     '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}'),
    ("rfc8785_key_order", '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh", '
     '"1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control", "\\u00f6": "Latin Small Letter O With Diaeresis"}'),
    ("audit_entry", '{"agency":"KEMENDES","client_id":"kemendes-sipede","index":41,"latency_us":2314,"method":"GET",'
     '"nik_hashes":["5d0c1e6fb1f1d1b37d8f5a4c1c9e2e0b7a3e5f2d8c4b6a9e1f3d5c7b9a1e3f5d"],"outcome":"allowed",'
     '"purpose":"Verifikasi calon peserta program pemberdayaan","record_ids":["019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80"],'
     '"request_id":"0b7f8f1e-3f0c-4d55-9a55-61f0a3f1c2d4","route":"/v1/graduations","status":200,'
     '"time":"2026-11-28T03:12:45.123456Z"}'),
    ("graduation", json.dumps({"source_record_id": "KEMENSOS-PKH-2026-000001", "nik": "3201015708900123",
                               "kk": "3301010101090001", "region_code": "33.01.01.2001", "graduated_on": "2026-06-30",
                               "reason": "economic_independence", "household_size": 4}, indent=1)),
    ("unsafe_integers", "[9007199254740991, 9007199254740992, 9007199254740993, -9007199254740993, 1e20, 1e21, 18446744073709551615]"),
    ("prefix_keys", '{"a!": 1, "a": 2, "a b": 3}'),
    ("deep", "[" * 40 + "{}" + "]" * 40),
]:
    write("canonical_json", name, text)

# --- Tokens: the shape the exchange issues (EdDSA, kid, our claims), and classic forgeries. ---
reset("token_bytes")
header = {"typ": "JWT", "alg": "EdDSA", "kid": "3f1c2a9b8d7e6f50"}
claims = {"iss": "https://sinergi.example", "sub": "demo-kemensos", "aud": "sinergi-api", "exp": 4102444800,
          "iat": 1767225600, "nbf": 1767225600, "jti": "6f1c0b4e-2d8a-4c1e-9f3a-7b5d2e8c1a90",
          "agency": "KEMENSOS", "scope": "graduations:read graduations:write"}
rng = random.Random(8785)
signature = bytes(rng.randrange(256) for _ in range(64))


def jwt(h, c, sig):
    return b64url(json.dumps(h, separators=(",", ":")).encode()) + "." + \
        b64url(json.dumps(c, separators=(",", ":")).encode()) + "." + sig


write("token_bytes", "eddsa_shape", jwt(header, claims, b64url(signature)))
write("token_bytes", "alg_none", jwt({"typ": "JWT", "alg": "none"}, claims, ""))
write("token_bytes", "hs256", jwt({"typ": "JWT", "alg": "HS256", "kid": header["kid"]}, claims, b64url(signature[:32])))
write("token_bytes", "no_kid", jwt({"typ": "JWT", "alg": "EdDSA"}, claims, b64url(signature)))
write("token_bytes", "b64_false", jwt({"alg": "EdDSA", "kid": header["kid"], "b64": False, "crit": ["b64"]}, claims, b64url(signature)))
write("token_bytes", "two_dots", "..")

# --- Audit: checkpoints and notes signed as note.rs does, keys in note key form. ---
reset("audit_text")


def key_hash(name, public):
    return hashlib.sha256(name.encode() + b"\n\x01" + public).digest()[:4]


def sign_note(text, name, seed):
    private = Ed25519PrivateKey.from_private_bytes(seed)
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    blob = key_hash(name, public) + private.sign(text.encode())
    return f"{text}\n\u2014 {name} {base64.b64encode(blob).decode()}\n"


def verifier_key(name, seed):
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    data = base64.b64encode(bytes([1]) + public).decode()
    return f"{name}+{key_hash(name, public).hex()}+{data}"


EMPTY_ROOT = base64.b64encode(hashlib.sha256(b"").digest()).decode()
checkpoint = f"sinergi/audit\n42\n{base64.b64encode(bytes([9] * 32)).decode()}\n"
with_extension = f"sinergi/audit\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\ntime 1700000000\n"
write("audit_text", "checkpoint_text", checkpoint)
write("audit_text", "checkpoint_empty_log", f"sinergi/audit\n0\n{EMPTY_ROOT}\n")
write("audit_text", "checkpoint_spec_example",
      "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")
write("audit_text", "signed_checkpoint", sign_note(checkpoint, "sinergi/audit", bytes([5] * 32)))
write("audit_text", "signed_checkpoint_extension", sign_note(with_extension, "sinergi/audit", bytes([5] * 32)))
cosigned = sign_note(checkpoint, "sinergi/audit", bytes([5] * 32)) + \
    sign_note(checkpoint, "witness", bytes([9] * 32))[len(checkpoint) + 1:]
write("audit_text", "cosigned_checkpoint", cosigned)
write("audit_text", "verifier_key", verifier_key("sinergi/audit", bytes([5] * 32)))
write("audit_text", "key_then_note", verifier_key("witness", bytes([9] * 32)) + "\n" +
      sign_note(checkpoint, "witness", bytes([9] * 32)))
GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
write("audit_text", "go_note", GO_TEXT + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")
write("audit_text", "go_verifier_key", "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
write("audit_text", "go_signer_key", "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")

# --- Structured targets: arbitrary bytes, decoded by `arbitrary`. ---
for target in ["cursor_roundtrip", "token_mutation", "audit_mutation"]:
    reset(target)
    rng = random.Random(target)
    for i, size in enumerate([16, 64, 256, 1024]):
        write(target, f"random_{i}", bytes(rng.randrange(256) for _ in range(size)))
