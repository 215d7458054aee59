use super::*;

fn leaves(n: u64) -> Vec<Hash> {
    (0..n).map(|i| leaf_hash(&i.to_be_bytes())).collect()
}

#[test]
fn empty_root_is_sha256_of_nothing() {
    assert_eq!(EMPTY_ROOT, <[u8; 32]>::from(Sha256::digest(b"")));
    assert_eq!(root(&[]), EMPTY_ROOT);
}

#[test]
fn small_trees_by_hand() {
    let l = leaves(3);
    assert_eq!(root(&l[..1]), l[0]);
    assert_eq!(root(&l[..2]), node_hash(&l[0], &l[1]));
    assert_eq!(root(&l), node_hash(&node_hash(&l[0], &l[1]), &l[2]));
}

#[test]
fn split_points() {
    assert_eq!(split_point(2), 1);
    assert_eq!(split_point(3), 2);
    assert_eq!(split_point(4), 2);
    assert_eq!(split_point(5), 4);
    assert_eq!(split_point(8), 4);
    assert_eq!(split_point(9), 8);
    assert_eq!(split_point(u64::MAX), 1 << 63);
}

#[test]
fn ranges_for_a_tree_of_seven() {
    assert_eq!(inclusion_ranges(0, 1).unwrap(), vec![]);
    assert_eq!(inclusion_ranges(2, 7).unwrap(), vec![3..4, 0..2, 4..7]);
    assert_eq!(inclusion_ranges(6, 7).unwrap(), vec![4..6, 0..4]);
    assert_eq!(
        consistency_ranges(3, 7).unwrap(),
        vec![2..3, 3..4, 0..2, 4..7]
    );
    assert_eq!(consistency_ranges(4, 7).unwrap(), vec![4..7]);
    assert_eq!(consistency_ranges(6, 7).unwrap(), vec![4..6, 6..7, 0..4]);
    assert_eq!(consistency_ranges(0, 7).unwrap(), vec![]);
    assert_eq!(consistency_ranges(7, 7).unwrap(), vec![]);
}

#[test]
fn proof_errors() {
    assert_eq!(
        inclusion_ranges(3, 3),
        Err(ProofError::IndexOutOfRange { index: 3, size: 3 })
    );
    assert_eq!(
        consistency_ranges(4, 3),
        Err(ProofError::SizesReversed { from: 4, to: 3 })
    );
    assert_eq!(
        consistency_proof(&leaves(3), 1, 4),
        Err(ProofError::TreeTooLarge {
            size: 4,
            available: 3
        })
    );
    assert!(inclusion_proof(&[], 0).is_err());
}

#[test]
fn every_proof_range_is_a_tree_range() {
    for size in 1..=40 {
        for index in 0..size {
            for range in inclusion_ranges(index, size).unwrap() {
                perfect_subtrees(range).unwrap();
            }
        }
        for from in 0..=size {
            for range in consistency_ranges(from, size).unwrap() {
                perfect_subtrees(range).unwrap();
            }
        }
    }
}

#[test]
fn perfect_subtrees_and_fold_match_root() {
    let all = leaves(45);
    // Hash of every perfect subtree, collected while appending.
    let mut stored = std::collections::HashMap::new();
    let mut frontier = Frontier::new();
    for leaf in &all {
        frontier.push_with(*leaf, |id, hash| {
            assert!(stored.insert(id, *hash).is_none(), "{id:?} reported twice");
        });
        assert_eq!(frontier.root(), root(&all[..frontier.size() as usize]));
    }
    for (id, hash) in &stored {
        let r = id.leaves();
        assert_eq!(*hash, root(&all[r.start as usize..r.end as usize]));
    }
    for size in 0..=45u64 {
        for start in 0..size {
            let Ok(nodes) = perfect_subtrees(start..size) else {
                continue;
            };
            let hashes: Vec<Hash> = nodes.iter().map(|id| stored[id]).collect();
            assert_eq!(
                fold_subtrees(&hashes),
                root(&all[start as usize..size as usize])
            );
        }
    }
    assert_eq!(
        perfect_subtrees(0..7).unwrap(),
        vec![
            NodeId { level: 2, index: 0 },
            NodeId { level: 1, index: 2 },
            NodeId { level: 0, index: 6 }
        ]
    );
    assert!(perfect_subtrees(2..7).is_err());
    assert!(perfect_subtrees(3..3).is_err());
}

#[test]
fn frontier_restores() {
    let all = leaves(13);
    let mut original = Frontier::new();
    for leaf in &all[..11] {
        original.push(*leaf);
    }
    let mut restored = Frontier::restore(11, original.subtrees().to_vec()).unwrap();
    assert_eq!(restored, original);
    restored.push(all[11]);
    restored.push(all[12]);
    assert_eq!(restored.root(), root(&all));
    assert!(Frontier::restore(11, vec![[0; 32]; 2]).is_err());
}

#[test]
fn proofs_verify_and_tampering_fails() {
    let all = leaves(21);
    let head = root(&all);
    for index in 0..21 {
        let proof = inclusion_proof(&all, index).unwrap();
        assert!(verify_inclusion(
            index,
            21,
            &all[index as usize],
            &proof,
            &head
        ));
        // The size is bound to the root by the signed checkpoint, so a wrong size
        // is checked together with that size's root.
        assert!(!verify_inclusion(
            index,
            22,
            &all[index as usize],
            &proof,
            &root(&leaves(22))
        ));
        assert!(!verify_inclusion(
            (index + 1) % 21,
            21,
            &all[index as usize],
            &proof,
            &head
        ));
    }
    for from in 0..=21 {
        let proof = consistency_proof(&all, from, 21).unwrap();
        let old = root(&all[..from as usize]);
        assert!(verify_consistency(from, 21, &old, &head, &proof));
        assert!(!verify_consistency(from, 21, &head, &old, &proof) || from == 21);
    }
    assert!(!verify_consistency(0, 3, &head, &root(&all[..3]), &[]));
    assert!(!verify_consistency(4, 3, &head, &head, &[]));
    assert!(!verify_inclusion(0, 0, &all[0], &[], &all[0]));
}
