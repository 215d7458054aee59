//! The audit log's cryptographic core, checked against an implementation written
//! here independently from RFC 9162 §2.1: the tree head by its recursive definition,
//! PATH and PROOF/SUBPROOF by theirs, the §2.1.3.2 / §2.1.4.2 verification
//! algorithms, and recursive verifiers that rebuild the roots from a proof by the
//! tree's shape. Plus RFC 6962 known answers and end-to-end export verification.

use crate::common::rfc9162::*;
use ed25519_dalek::SigningKey;
use serde_json::json;
use sinergi::audit::Hash;
use sinergi::audit::checkpoint::{self, Checkpoint, CheckpointError};
use sinergi::audit::merkle::{self, NodeId};
use sinergi::audit::note::{self, NoteError, VerifierKey};
use sinergi::audit::verify::{Role, VerifyError, verify_export};
use sinergi::canonical_json::{is_canonical, to_vec as canonical_entry};

/// Rebuilds the root from an inclusion proof by the tree's shape: the last proof
/// element is the root's other child, and so on down.
fn shape_verify_inclusion(m: usize, n: usize, leaf: Hash, proof: &[Hash], root: Hash) -> bool {
    fn rebuild(m: usize, n: usize, leaf: Hash, proof: &[Hash]) -> Option<Hash> {
        if n == 1 {
            return proof.is_empty().then_some(leaf);
        }
        let (sibling, rest) = proof.split_last()?;
        let k = ind_k(n);
        Some(if m < k {
            ind_node(&rebuild(m, k, leaf, rest)?, sibling)
        } else {
            ind_node(sibling, &rebuild(m - k, n - k, leaf, rest)?)
        })
    }
    m < n && rebuild(m, n, leaf, proof) == Some(root)
}

/// Rebuilds both roots from a consistency proof by the tree's shape.
fn shape_verify_consistency(m: usize, n: usize, old: Hash, new: Hash, proof: &[Hash]) -> bool {
    // Returns (old subtree root, new subtree root) for SUBPROOF(m, D[n], b).
    fn rebuild(m: usize, n: usize, b: bool, old: Hash, proof: &[Hash]) -> Option<(Hash, Hash)> {
        if m == n {
            return match (b, proof) {
                (true, []) => Some((old, old)),
                (false, [subtree]) => Some((*subtree, *subtree)),
                _ => None,
            };
        }
        let (sibling, rest) = proof.split_last()?;
        let k = ind_k(n);
        if m <= k {
            let (o, s) = rebuild(m, k, b, old, rest)?;
            Some((o, ind_node(&s, sibling)))
        } else {
            let (o, s) = rebuild(m - k, n - k, false, old, rest)?;
            Some((ind_node(sibling, &o), ind_node(sibling, &s)))
        }
    }
    0 < m && m < n && rebuild(m, n, true, old, proof) == Some((old, new))
}

// ---------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------

fn h(hex: &str) -> Hash {
    assert_eq!(hex.len(), 64);
    let mut out = [0; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

fn test_leaves(n: usize) -> Vec<Hash> {
    (0..n)
        .map(|i| ind_leaf(format!("entry {i}").as_bytes()))
        .collect()
}

fn flip(hash: &Hash, bit: usize) -> Hash {
    let mut out = *hash;
    out[bit / 8 % 32] ^= 1 << (bit % 8);
    out
}

/// 1..=70, and around the powers of two up to 128.
fn sizes() -> Vec<usize> {
    let mut sizes: Vec<usize> = (1..=70).collect();
    sizes.extend([127, 128, 129]);
    sizes
}

// ---------------------------------------------------------------------------
// Known answers (RFC 6962 test vectors of the CT reference implementation).
// ---------------------------------------------------------------------------

const RFC6962_LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];

const RFC6962_ROOTS: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

fn rfc6962_leaf_hashes() -> Vec<Hash> {
    RFC6962_LEAVES
        .iter()
        .map(|hex| {
            let bytes: Vec<u8> = (0..hex.len() / 2)
                .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
                .collect();
            merkle::leaf_hash(&bytes)
        })
        .collect()
}

#[test]
fn known_answer_roots() {
    assert_eq!(
        merkle::root(&[]),
        h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    );
    assert_eq!(merkle::EMPTY_ROOT, merkle::root(&[]));
    let leaves = rfc6962_leaf_hashes();
    for (size, expected) in (1..=8).zip(RFC6962_ROOTS) {
        assert_eq!(merkle::root(&leaves[..size]), h(expected), "size {size}");
        assert_eq!(ind_mth(&leaves[..size]), h(expected), "size {size}");
    }
}

#[test]
fn known_answer_proofs() {
    let leaves = rfc6962_leaf_hashes();
    let inclusion = vec![
        h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
        h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    ];
    assert_eq!(merkle::inclusion_proof(&leaves, 5).unwrap(), inclusion);
    let root8 = h(RFC6962_ROOTS[7]);
    assert!(merkle::verify_inclusion(
        5, 8, &leaves[5], &inclusion, &root8
    ));
    assert!(!merkle::verify_inclusion(
        4, 8, &leaves[5], &inclusion, &root8
    ));

    let six_to_eight = vec![
        h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
        h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
        h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    ];
    assert_eq!(
        merkle::consistency_proof(&leaves, 6, 8).unwrap(),
        six_to_eight
    );
    let root6 = h(RFC6962_ROOTS[5]);
    assert!(merkle::verify_consistency(
        6,
        8,
        &root6,
        &root8,
        &six_to_eight
    ));
    assert!(!merkle::verify_consistency(
        6,
        8,
        &h(RFC6962_ROOTS[4]),
        &root8,
        &six_to_eight
    ));

    let two_to_five = vec![
        h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
    ];
    assert_eq!(
        merkle::consistency_proof(&leaves, 2, 5).unwrap(),
        two_to_five
    );
    assert!(merkle::verify_consistency(
        2,
        5,
        &h(RFC6962_ROOTS[1]),
        &h(RFC6962_ROOTS[4]),
        &two_to_five
    ));
}

// ---------------------------------------------------------------------------
// Exhaustive cross-checks.
// ---------------------------------------------------------------------------

#[test]
fn roots_match_the_recursive_definition() {
    let leaves = test_leaves(300);
    for n in 0..=300 {
        assert_eq!(
            merkle::root(&leaves[..n]),
            ind_mth(&leaves[..n]),
            "size {n}"
        );
    }
    assert_eq!(merkle::leaf_hash(b"abc"), ind_leaf(b"abc"));
    assert_eq!(
        merkle::node_hash(&leaves[0], &leaves[1]),
        ind_node(&leaves[0], &leaves[1])
    );
}

#[test]
fn inclusion_proofs_for_every_index() {
    let all = test_leaves(130);
    let mut checked = 0;
    for n in sizes() {
        let leaves = &all[..n];
        let root = ind_mth(leaves);
        let size = n as u64;
        for m in 0..n {
            let index = m as u64;
            let leaf = leaves[m];
            let proof = merkle::inclusion_proof(leaves, index).unwrap();
            assert_eq!(proof, ind_path(m, leaves), "PATH({m}, D[{n}])");

            assert!(merkle::verify_inclusion(index, size, &leaf, &proof, &root));
            assert!(rfc_verify_inclusion(index, size, leaf, &proof, root));
            assert!(shape_verify_inclusion(m, n, leaf, &proof, root));

            // Tampered proof elements, leaf, root.
            for i in 0..proof.len() {
                let mut bad = proof.clone();
                bad[i] = flip(&bad[i], 7 * i + m);
                assert!(!merkle::verify_inclusion(index, size, &leaf, &bad, &root));
                assert!(!rfc_verify_inclusion(index, size, leaf, &bad, root));
            }
            assert!(!merkle::verify_inclusion(
                index,
                size,
                &flip(&leaf, m),
                &proof,
                &root
            ));
            assert!(!merkle::verify_inclusion(
                index,
                size,
                &leaf,
                &proof,
                &flip(&root, m)
            ));
            // Truncated and extended proofs.
            if !proof.is_empty() {
                let short = &proof[..proof.len() - 1];
                assert!(!merkle::verify_inclusion(index, size, &leaf, short, &root));
                let shorter = &proof[1..];
                assert!(!merkle::verify_inclusion(
                    index, size, &leaf, shorter, &root
                ));
            }
            let mut long = proof.clone();
            long.push(root);
            assert!(!merkle::verify_inclusion(index, size, &leaf, &long, &root));
            // The right leaf claimed at another index, or another index's leaf.
            for other in [m ^ 1, (m + 1) % n, n - 1 - m] {
                if other != m && other < n {
                    assert!(!merkle::verify_inclusion(
                        other as u64,
                        size,
                        &leaf,
                        &proof,
                        &root
                    ));
                    assert!(!merkle::verify_inclusion(
                        index,
                        size,
                        &leaves[other],
                        &proof,
                        &root
                    ));
                }
            }
            // A size whose own root the proof cannot produce.
            assert!(!merkle::verify_inclusion(
                index,
                size + 1,
                &leaf,
                &proof,
                &ind_mth(&all[..n + 1])
            ));
            checked += 1;
        }
        assert!(!merkle::verify_inclusion(
            size,
            size,
            &leaves[0],
            &[],
            &root
        ));
        assert!(merkle::inclusion_proof(leaves, size).is_err());
    }
    assert_eq!(checked, (1..=70).sum::<usize>() + 127 + 128 + 129);
}

#[test]
fn consistency_proofs_for_every_pair() {
    let all = test_leaves(129);
    let roots: Vec<Hash> = (0..=129).map(|n| ind_mth(&all[..n])).collect();
    let mut checked = 0;
    for n in sizes() {
        let leaves = &all[..n];
        let to = n as u64;
        for m in 0..=n {
            let from = m as u64;
            let (old, new) = (roots[m], roots[n]);
            let proof = merkle::consistency_proof(leaves, from, to).unwrap();
            assert!(merkle::verify_consistency(from, to, &old, &new, &proof));
            if m == 0 || m == n {
                assert!(proof.is_empty(), "({m}, {n})");
            } else {
                assert_eq!(proof, ind_proof(m, leaves), "PROOF({m}, D[{n}])");
                assert!(rfc_verify_consistency(from, to, old, new, &proof));
                assert!(shape_verify_consistency(m, n, old, new, &proof));
                for i in 0..proof.len() {
                    let mut bad = proof.clone();
                    bad[i] = flip(&bad[i], 5 * i + m);
                    assert!(!merkle::verify_consistency(from, to, &old, &new, &bad));
                    assert!(!rfc_verify_consistency(from, to, old, new, &bad));
                    assert!(!shape_verify_consistency(m, n, old, new, &bad));
                }
                let short = &proof[..proof.len() - 1];
                assert!(!merkle::verify_consistency(from, to, &old, &new, short));
                assert!(!merkle::verify_consistency(
                    from,
                    to,
                    &old,
                    &new,
                    &proof[1..]
                ));
                let mut long = proof.clone();
                long.push(new);
                assert!(!merkle::verify_consistency(from, to, &old, &new, &long));
                assert!(!merkle::verify_consistency(from, to, &old, &new, &[]));
                // Another old tree, wrong sizes, reversed.
                assert!(!merkle::verify_consistency(
                    from,
                    to,
                    &roots[m - 1],
                    &new,
                    &proof
                ));
                assert!(!merkle::verify_consistency(
                    from,
                    to,
                    &old,
                    &roots[n - 1],
                    &proof
                ));
                assert!(!merkle::verify_consistency(
                    from - 1,
                    to,
                    &roots[m - 1],
                    &new,
                    &proof
                ));
                assert!(!merkle::verify_consistency(to, from, &new, &old, &proof));
            }
            // A non-empty proof is never accepted where an empty one is expected.
            if m == n {
                assert!(!merkle::verify_consistency(from, to, &old, &new, &[old]));
                assert!(!merkle::verify_consistency(
                    from,
                    to,
                    &old,
                    &flip(&new, 1),
                    &[]
                ));
            }
            if m == 0 {
                assert!(!merkle::verify_consistency(0, to, &old, &new, &[new]));
                assert!(!merkle::verify_consistency(0, to, &new, &new, &[]));
            }
            checked += 1;
        }
        assert!(merkle::consistency_proof(leaves, to + 1, to).is_err());
        assert!(merkle::consistency_proof(leaves, 1, to + 1).is_err());
    }
    assert_eq!(
        checked,
        (1..=70).map(|n| n + 1).sum::<usize>() + 128 + 129 + 130
    );
}

/// Proofs built the way a database would: from the perfect subtree hashes that
/// a `Frontier` reported while appending.
#[test]
fn proofs_from_stored_subtrees() {
    let all = test_leaves(70);
    let mut stored = std::collections::HashMap::<NodeId, Hash>::new();
    let mut frontier = merkle::Frontier::new();
    for leaf in &all {
        frontier.push_with(*leaf, |id, hash| {
            stored.insert(id, *hash);
        });
    }
    assert_eq!(stored.len(), 2 * 70 - 70usize.count_ones() as usize);
    let range_hash = |range: std::ops::Range<u64>| {
        let ids = merkle::perfect_subtrees(range).unwrap();
        let hashes: Vec<Hash> = ids.iter().map(|id| stored[id]).collect();
        merkle::fold_subtrees(&hashes)
    };
    for n in 1..=70usize {
        let leaves = &all[..n];
        assert_eq!(range_hash(0..n as u64), ind_mth(leaves));
        for m in 0..n {
            let proof: Vec<Hash> = merkle::inclusion_ranges(m as u64, n as u64)
                .unwrap()
                .into_iter()
                .map(range_hash)
                .collect();
            assert_eq!(proof, ind_path(m, leaves));
        }
        for m in 1..n {
            let proof: Vec<Hash> = merkle::consistency_ranges(m as u64, n as u64)
                .unwrap()
                .into_iter()
                .map(range_hash)
                .collect();
            assert_eq!(proof, ind_proof(m, leaves));
        }
    }
}

// ---------------------------------------------------------------------------
// Notes and checkpoints, with the independent key hash.
// ---------------------------------------------------------------------------

#[test]
fn note_key_hash_and_format() {
    let key = SigningKey::from_bytes(&[42; 32]);
    let public = key.verifying_key();
    let name = "sinergi/audit";
    let digest = sha256(&[name.as_bytes(), b"\n", &[1], public.as_bytes()]);
    let hash = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
    let verifier = VerifierKey::new(name, public).unwrap();
    assert_eq!(verifier.key_hash(), hash);
    assert_eq!(note::key_hash(name, &public), hash);
    let encoded = verifier.to_string();
    let parts: Vec<&str> = encoded.splitn(3, '+').collect();
    assert_eq!(parts[0], name);
    assert_eq!(parts[1], format!("{hash:08x}"));
    use base64::Engine;
    let data = base64::engine::general_purpose::STANDARD
        .decode(parts[2])
        .unwrap();
    assert_eq!(data[0], 1);
    assert_eq!(&data[1..], public.as_bytes());

    let text = "sinergi/audit\n3\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";
    let signed = note::sign(text, name, &key).unwrap();
    let (body, line) = signed.split_at(text.len() + 1);
    assert_eq!(body, format!("{text}\n"));
    let line = line.strip_prefix("\u{2014} sinergi/audit ").unwrap();
    let blob = base64::engine::general_purpose::STANDARD
        .decode(line.strip_suffix('\n').unwrap())
        .unwrap();
    assert_eq!(&blob[..4], &hash.to_be_bytes());
    let signature = ed25519_dalek::Signature::from_slice(&blob[4..]).unwrap();
    public.verify_strict(text.as_bytes(), &signature).unwrap();
    assert_eq!(note::verify(&signed, &verifier).unwrap(), text);
}

// ---------------------------------------------------------------------------
// Export verification end to end.
// ---------------------------------------------------------------------------

const ORIGIN: &str = "sinergi/audit";

fn log_key() -> SigningKey {
    SigningKey::from_bytes(&[3; 32])
}

fn log_public_key() -> String {
    VerifierKey::new(ORIGIN, log_key().verifying_key())
        .unwrap()
        .to_string()
}

fn entry(index: u64) -> serde_json::Value {
    json!({
        "index": index,
        "time": format!("2025-01-01T00:00:{:02}Z", index % 60),
        "request_id": format!("req-{index:04}"),
        "client": "kemensos-backend",
        "agency": "KEMENSOS",
        "purpose": "graduation sync",
        "method": "POST",
        "route": "/v1/graduations",
        "status": 200 + (index % 3),
        "outcome": "allowed",
        "record_ids": [format!("rec-{index}")],
        "nik_hashes": ["5f1c\u{00e9}"],
        "latency_ms": 12,
    })
}

fn export_lines(n: u64) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| {
            let line = canonical_entry(&entry(i)).unwrap();
            assert!(is_canonical(&line));
            line
        })
        .collect()
}

fn join(lines: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for line in lines {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    out
}

/// The checkpoint the log would sign after its first `size` entries.
fn sign_prefix(lines: &[Vec<u8>], size: usize, key: &SigningKey) -> String {
    let leaves: Vec<Hash> = lines[..size].iter().map(|l| ind_leaf(l)).collect();
    checkpoint::sign(&Checkpoint::new(ORIGIN, size as u64, ind_mth(&leaves)), key).unwrap()
}

fn verify(
    entries: &[u8],
    latest: &str,
    previous: &[String],
) -> Result<sinergi::audit::verify::Verified, VerifyError> {
    let previous: Vec<&str> = previous.iter().map(String::as_str).collect();
    verify_export(entries, latest, &log_public_key(), &previous)
}

/// Changes entry `k`'s status while keeping the line canonical.
fn alter_status(lines: &mut [Vec<u8>], k: usize) {
    let mut value = entry(k as u64);
    value["status"] = json!(403);
    lines[k] = canonical_entry(&value).unwrap();
}

const N: usize = 50;

#[test]
fn a_complete_export_verifies() {
    let lines = export_lines(N as u64);
    let latest = sign_prefix(&lines, N, &log_key());
    let verified = verify(&join(&lines), &latest, &[]).unwrap();
    assert_eq!(verified.size, N as u64);
    assert_eq!(verified.origin, ORIGIN);
    assert_eq!(verified.checkpoint_sizes, vec![N as u64]);

    let previous: Vec<String> = [17, 0, 32, 1, 50, 17]
        .iter()
        .map(|&s| sign_prefix(&lines, s, &log_key()))
        .collect();
    let verified = verify(&join(&lines), &latest, &previous).unwrap();
    assert_eq!(verified.checkpoint_sizes, vec![0, 1, 17, 32, 50]);
}

#[test]
fn an_altered_entry_is_located_as_far_as_checkpoints_allow() {
    let lines = export_lines(N as u64);
    let every: Vec<String> = (0..N).map(|s| sign_prefix(&lines, s, &log_key())).collect();
    let every_ten: Vec<String> = (0..N)
        .step_by(10)
        .map(|s| sign_prefix(&lines, s, &log_key()))
        .collect();
    let latest = sign_prefix(&lines, N, &log_key());
    for k in [0, 1, 9, 10, 11, 31, 32, 48, 49] {
        let mut altered = lines.clone();
        alter_status(&mut altered, k);
        let entries = join(&altered);
        // The signed root alone: somewhere in the whole log.
        assert_eq!(
            verify(&entries, &latest, &[]),
            Err(VerifyError::Tampered {
                first: 0,
                end: N as u64
            })
        );
        // A checkpoint after every entry: exactly entry k.
        let error = verify(&entries, &latest, &every).unwrap_err();
        assert_eq!(
            error,
            VerifyError::Tampered {
                first: k as u64,
                end: k as u64 + 1
            }
        );
        assert!(
            error.to_string().starts_with(&format!("entry {k} ")),
            "{error}"
        );
        // A checkpoint every ten entries: the block holding k.
        let first = (k / 10 * 10) as u64;
        assert_eq!(
            verify(&entries, &latest, &every_ten),
            Err(VerifyError::Tampered {
                first,
                end: (first + 10).min(N as u64)
            })
        );
    }
}

#[test]
fn one_altered_byte_is_caught_at_its_entry() {
    let lines = export_lines(N as u64);
    let latest = sign_prefix(&lines, N, &log_key());
    let every: Vec<String> = (0..N).map(|s| sign_prefix(&lines, s, &log_key())).collect();
    let k = 23;
    for position in 0..lines[k].len() {
        let mut altered = lines.clone();
        altered[k][position] ^= 0x01;
        let error = verify(&join(&altered), &latest, &every).unwrap_err();
        let at = match error {
            VerifyError::NotCanonical { index }
            | VerifyError::BadIndex { index, .. }
            | VerifyError::Unterminated { index } => index,
            VerifyError::Tampered { first, end } => {
                assert_eq!(end, first + 1);
                first
            }
            other => panic!("byte {position}: unexpected {other}"),
        };
        assert_eq!(at, k as u64, "byte {position}: {error}");
    }
}

#[test]
fn structural_damage_is_named_exactly() {
    let lines = export_lines(N as u64);
    let latest = sign_prefix(&lines, N, &log_key());

    let mut deleted = lines.clone();
    deleted.remove(12);
    assert_eq!(
        verify(&join(&deleted), &latest, &[]),
        Err(VerifyError::BadIndex {
            index: 12,
            found: Some(13)
        })
    );

    let mut duplicated = lines.clone();
    duplicated.insert(12, lines[12].clone());
    assert_eq!(
        verify(&join(&duplicated), &latest, &[]),
        Err(VerifyError::BadIndex {
            index: 13,
            found: Some(12)
        })
    );

    let mut swapped = lines.clone();
    swapped.swap(30, 31);
    assert_eq!(
        verify(&join(&swapped), &latest, &[]),
        Err(VerifyError::BadIndex {
            index: 30,
            found: Some(31)
        })
    );

    let mut reformatted = lines.clone();
    reformatted[7] = serde_json::to_vec_pretty(&entry(7)).unwrap();
    reformatted[7].retain(|b| *b != b'\n');
    assert_eq!(
        verify(&join(&reformatted), &latest, &[]),
        Err(VerifyError::NotCanonical { index: 7 })
    );

    let mut no_index = lines.clone();
    let mut value = entry(5);
    value.as_object_mut().unwrap().remove("index");
    no_index[5] = canonical_entry(&value).unwrap();
    assert_eq!(
        verify(&join(&no_index), &latest, &[]),
        Err(VerifyError::BadIndex {
            index: 5,
            found: None
        })
    );

    let mut blank = join(&lines);
    blank.extend_from_slice(b"\n");
    assert_eq!(
        verify(&blank, &latest, &[]),
        Err(VerifyError::NotCanonical { index: N as u64 })
    );
}

#[test]
fn missing_or_extra_entries() {
    let lines = export_lines(N as u64 + 3);
    let latest = sign_prefix(&lines, N, &log_key());
    let intermediate = vec![sign_prefix(&lines, 40, &log_key())];
    assert_eq!(
        verify(&join(&lines[..45]), &latest, &intermediate),
        Err(VerifyError::EntryCount {
            found: 45,
            expected: N as u64,
            verified: 40
        })
    );
    assert_eq!(
        verify(&join(&lines[..0]), &latest, &[]),
        Err(VerifyError::EntryCount {
            found: 0,
            expected: N as u64,
            verified: 0
        })
    );
    let error = verify(&join(&lines), &latest, &[]).unwrap_err();
    assert_eq!(
        error,
        VerifyError::EntryCount {
            found: N as u64 + 3,
            expected: N as u64,
            verified: N as u64
        }
    );
    assert!(error.to_string().contains("newer checkpoint"), "{error}");
}

#[test]
fn checkpoints_from_another_key_or_log_fail() {
    let lines = export_lines(N as u64);
    let entries = join(&lines);
    let latest = sign_prefix(&lines, N, &log_key());
    let stranger = SigningKey::from_bytes(&[4; 32]);

    let forged = sign_prefix(&lines, N, &stranger);
    assert!(matches!(
        verify(&entries, &forged, &[]),
        Err(VerifyError::Checkpoint {
            role: Role::Latest,
            error: CheckpointError::Note(NoteError::NotSigned { .. })
        })
    ));
    let forged_previous = vec![sign_prefix(&lines, 10, &stranger)];
    assert!(matches!(
        verify(&entries, &latest, &forged_previous),
        Err(VerifyError::Checkpoint {
            role: Role::Previous(0),
            error: CheckpointError::Note(NoteError::NotSigned { .. })
        })
    ));

    // The right key, but the checkpoint names another log.
    let root = ind_mth(&lines.iter().map(|l| ind_leaf(l)).collect::<Vec<_>>());
    let other_log = note::sign(
        &Checkpoint::new("sinergi/sandbox", N as u64, root).to_text(),
        ORIGIN,
        &log_key(),
    )
    .unwrap();
    assert_eq!(
        verify(&entries, &other_log, &[]),
        Err(VerifyError::WrongOrigin {
            role: Role::Latest,
            expected: ORIGIN.into(),
            found: "sinergi/sandbox".into()
        })
    );

    // A changed size or root breaks the signature.
    let resized = latest.replacen(&format!("\n{N}\n"), &format!("\n{}\n", N - 1), 1);
    assert!(matches!(
        verify(&entries, &resized, &[]),
        Err(VerifyError::Checkpoint {
            error: CheckpointError::Note(NoteError::InvalidSignature { .. }),
            ..
        })
    ));

    // A bad public key.
    assert!(matches!(
        verify_export(
            entries.as_slice(),
            &latest,
            "sinergi/audit+00000000+AAAA",
            &[]
        ),
        Err(VerifyError::PublicKey(_))
    ));
}

#[test]
fn a_previous_checkpoint_that_is_not_a_prefix_fails() {
    let lines = export_lines(N as u64);
    let entries = join(&lines);
    let latest = sign_prefix(&lines, N, &log_key());

    // The log once signed a different history of 20 entries.
    let mut rewritten = lines.clone();
    alter_status(&mut rewritten, 4);
    let old = vec![sign_prefix(&rewritten, 20, &log_key())];
    let error = verify(&entries, &latest, &old).unwrap_err();
    assert_eq!(
        error,
        VerifyError::Inconsistent {
            role: Role::Previous(0),
            size: 20,
            vouched_by: N as u64
        }
    );
    assert!(error.to_string().contains("inconsistent"), "{error}");

    // Larger than the checkpoint being verified.
    let longer = export_lines(N as u64 + 5);
    let ahead = vec![sign_prefix(&longer, N + 5, &log_key())];
    assert_eq!(
        verify(&entries, &latest, &ahead),
        Err(VerifyError::PreviousLarger {
            role: Role::Previous(0),
            size: N as u64 + 5,
            latest: N as u64
        })
    );

    // Both the export and a previous checkpoint disagree below its size: the
    // export was altered before that checkpoint (assuming a consistent log).
    let mut altered = lines.clone();
    alter_status(&mut altered, 4);
    let honest_old = vec![sign_prefix(&lines, 20, &log_key())];
    assert_eq!(
        verify(&join(&altered), &latest, &honest_old),
        Err(VerifyError::Tampered { first: 0, end: 20 })
    );
}
