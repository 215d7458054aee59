//! RFC 9162 §2.1 (Merkle tree hashes, inclusion and consistency proofs and their
//! verification) written from the RFC text alone, so that the service's trees and proofs
//! are checked by code that shares nothing with `src/audit/merkle.rs`.

use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];

pub fn sha256(parts: &[&[u8]]) -> Hash {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

pub fn ind_leaf(data: &[u8]) -> Hash {
    sha256(&[&[0], data])
}

pub fn ind_node(left: &Hash, right: &Hash) -> Hash {
    sha256(&[&[1], left, right])
}

/// The largest power of two strictly smaller than `n`, by counting up.
pub fn ind_k(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

/// MTH by the recursive definition (§2.1.1), over leaf hashes.
pub fn ind_mth(d: &[Hash]) -> Hash {
    match d.len() {
        0 => sha256(&[]),
        1 => d[0],
        n => {
            let k = ind_k(n);
            ind_node(&ind_mth(&d[..k]), &ind_mth(&d[k..]))
        }
    }
}

/// PATH(m, D[n]) by the recursive definition (§2.1.3.1).
pub fn ind_path(m: usize, d: &[Hash]) -> Vec<Hash> {
    let n = d.len();
    if n == 1 {
        assert_eq!(m, 0);
        return Vec::new();
    }
    let k = ind_k(n);
    if m < k {
        let mut path = ind_path(m, &d[..k]);
        path.push(ind_mth(&d[k..]));
        path
    } else {
        let mut path = ind_path(m - k, &d[k..]);
        path.push(ind_mth(&d[..k]));
        path
    }
}

/// SUBPROOF(m, D[n], b) by the recursive definition (§2.1.4.1).
pub fn ind_subproof(m: usize, d: &[Hash], b: bool) -> Vec<Hash> {
    let n = d.len();
    if m == n {
        return if b { Vec::new() } else { vec![ind_mth(d)] };
    }
    let k = ind_k(n);
    if m <= k {
        let mut proof = ind_subproof(m, &d[..k], b);
        proof.push(ind_mth(&d[k..]));
        proof
    } else {
        let mut proof = ind_subproof(m - k, &d[k..], false);
        proof.push(ind_mth(&d[..k]));
        proof
    }
}

/// PROOF(m, D[n]) = SUBPROOF(m, D[n], true), for 0 < m < n.
pub fn ind_proof(m: usize, d: &[Hash]) -> Vec<Hash> {
    assert!(0 < m && m < d.len());
    ind_subproof(m, d, true)
}

/// LSB(x): whether the least significant bit of `x` is set.
pub fn lsb(x: u64) -> bool {
    x & 1 == 1
}

/// §2.1.3.2, step by step.
pub fn rfc_verify_inclusion(
    leaf_index: u64,
    tree_size: u64,
    hash: Hash,
    inclusion_path: &[Hash],
    root_hash: Hash,
) -> bool {
    // 1.
    if leaf_index >= tree_size {
        return false;
    }
    // 2.
    let mut fn_ = leaf_index;
    let mut sn = tree_size - 1;
    // 3.
    let mut r = hash;
    // 4.
    for p in inclusion_path {
        // a.
        if sn == 0 {
            return false;
        }
        // b.
        if lsb(fn_) || fn_ == sn {
            r = ind_node(p, &r);
            if !lsb(fn_) {
                loop {
                    if lsb(fn_) || fn_ == 0 {
                        break;
                    }
                    fn_ /= 2;
                    sn /= 2;
                }
            }
        } else {
            r = ind_node(&r, p);
        }
        // c.
        fn_ /= 2;
        sn /= 2;
    }
    // 5.
    sn == 0 && r == root_hash
}

/// §2.1.4.2, step by step, for 0 < first < second.
pub fn rfc_verify_consistency(
    first: u64,
    second: u64,
    first_hash: Hash,
    second_hash: Hash,
    consistency_path: &[Hash],
) -> bool {
    assert!(0 < first && first < second);
    // 1.
    if consistency_path.is_empty() {
        return false;
    }
    // 2.
    let mut path = consistency_path.to_vec();
    if first.count_ones() == 1 {
        path.insert(0, first_hash);
    }
    // 3.
    let mut fn_ = first - 1;
    let mut sn = second - 1;
    // 4.
    while lsb(fn_) {
        fn_ /= 2;
        sn /= 2;
    }
    // 5.
    let mut fr = path[0];
    let mut sr = path[0];
    // 6.
    for c in &path[1..] {
        if sn == 0 {
            return false;
        }
        if lsb(fn_) || fn_ == sn {
            fr = ind_node(c, &fr);
            sr = ind_node(c, &sr);
            if !lsb(fn_) {
                while !lsb(fn_) && fn_ != 0 {
                    fn_ /= 2;
                    sn /= 2;
                }
            }
        } else {
            sr = ind_node(&sr, c);
        }
        fn_ /= 2;
        sn /= 2;
    }
    // 7.
    fr == first_hash && sr == second_hash && sn == 0
}
