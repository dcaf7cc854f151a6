//! A Merkle tree over the chain, so that one event can be proved to be in
//! the log with a handful of hashes and one signature, without the rest of
//! the log: what a subject access pack gives the subject for each entry of
//! "who has seen my records" (DPA 2018 s.45, the s.62 log turned outward).
//!
//! The tree is RFC 6962's (certificate transparency), over every sealed
//! position from the first: leaf = SHA-256(0x00 ‖ position as 8 bytes
//! big-endian ‖ content hash), node = SHA-256(0x01 ‖ left ‖ right), and a
//! tree of n leaves splits at the largest power of two below n. Any RFC 6962
//! library checks an audit path. Checkpoints (version 3) sign the root of the
//! tree over every position up to theirs.
//!
//! The sealer stores the root of each complete block of 256 positions
//! (`audit_blocks`); every subtree RFC 6962 builds over whole blocks is made
//! of them, so a root or a path needs only the block roots and the leaves of
//! the blocks it passes through.

use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::collections::HashMap;

/// Positions per stored block: a power of two, so blocks are subtrees.
pub const BLOCK: u64 = 256;

pub type Hash = [u8; 32];

/// The leaf for the event sealed at `position` (1-based).
pub fn leaf(position: i64, content_hash: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(position.to_be_bytes());
    h.update(content_hash);
    h.finalize().into()
}

pub fn node(left: &[u8], right: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The largest power of two strictly below `n` (n ≥ 2).
fn split(n: u64) -> u64 {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

/// The root of leaves in order (a block, or any short list).
pub fn root_of(leaves: &[Hash]) -> Option<Hash> {
    match leaves.len() {
        0 => None,
        1 => Some(leaves[0]),
        n => {
            let k = split(n as u64) as usize;
            Some(node(&root_of(&leaves[..k])?, &root_of(&leaves[k..])?))
        }
    }
}

/// The stored roots of complete blocks, by block number.
pub trait BlockRoots {
    fn root(&self, block: u64) -> Option<Hash>;
}

impl BlockRoots for HashMap<u64, Hash> {
    fn root(&self, block: u64) -> Option<Hash> {
        self.get(&block).copied()
    }
}

/// Every block from the first, in order.
impl BlockRoots for [Hash] {
    fn root(&self, block: u64) -> Option<Hash> {
        self.get(usize::try_from(block).ok()?).copied()
    }
}

/// A tree of `size` leaves (0-based leaf `i` is position `i + 1`) known by
/// the roots of its complete blocks and by whichever leaves were loaded.
pub struct Tree<'a, B: BlockRoots + ?Sized> {
    pub size: u64,
    blocks: &'a B,
    leaves: &'a HashMap<u64, Hash>,
    memo: RefCell<HashMap<(u64, u64), Hash>>,
}

impl<'a, B: BlockRoots + ?Sized> Tree<'a, B> {
    pub fn new(size: u64, blocks: &'a B, leaves: &'a HashMap<u64, Hash>) -> Self {
        Self {
            size,
            blocks,
            leaves,
            memo: RefCell::new(HashMap::new()),
        }
    }

    /// The root of leaves `lo..hi`; `None` if a leaf it needs was not loaded.
    pub fn subtree(&self, lo: u64, hi: u64) -> Option<Hash> {
        if hi - lo == 1 {
            return self.leaves.get(&lo).copied();
        }
        if hi - lo == BLOCK
            && lo.is_multiple_of(BLOCK)
            && let Some(root) = self.blocks.root(lo / BLOCK)
        {
            return Some(root);
        }
        if let Some(h) = self.memo.borrow().get(&(lo, hi)) {
            return Some(*h);
        }
        let k = split(hi - lo);
        let h = node(&self.subtree(lo, lo + k)?, &self.subtree(lo + k, hi)?);
        self.memo.borrow_mut().insert((lo, hi), h);
        Some(h)
    }

    pub fn root(&self) -> Option<Hash> {
        (self.size > 0)
            .then(|| self.subtree(0, self.size))
            .flatten()
    }

    /// RFC 6962's audit path for leaf `m`: the sibling hashes from the leaf
    /// up to the root.
    pub fn path(&self, m: u64) -> Option<Vec<Hash>> {
        let mut out = Vec::new();
        self.path_in(m, 0, self.size, &mut out)?;
        Some(out)
    }

    fn path_in(&self, m: u64, lo: u64, hi: u64, out: &mut Vec<Hash>) -> Option<()> {
        if hi - lo <= 1 {
            return Some(());
        }
        let k = split(hi - lo);
        if m < lo + k {
            self.path_in(m, lo, lo + k, out)?;
            out.push(self.subtree(lo + k, hi)?);
        } else {
            self.path_in(m, lo + k, hi, out)?;
            out.push(self.subtree(lo, lo + k)?);
        }
        Some(())
    }
}

/// Checks an audit path as RFC 9162 §2.1.3.2 does: that `leaf` at 0-based
/// index `index` of a tree of `size` leaves leads to `root`.
pub fn verify_path(leaf: &Hash, index: u64, size: u64, path: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut f_n, mut s_n) = (index, size - 1);
    let mut r = *leaf;
    for p in path {
        if s_n == 0 {
            return false;
        }
        if f_n & 1 == 1 || f_n == s_n {
            r = node(p, &r);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            r = node(&r, p);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    s_n == 0 && &r == root
}

/// The tree's right edge, grown one leaf (or one whole block) at a time:
/// the root after any number of leaves in O(log n), for a walk over the
/// whole chain that checks every signed root on the way.
#[derive(Clone, Debug, Default)]
pub struct Frontier {
    /// Complete subtrees, largest first, with their sizes.
    nodes: Vec<(u64, Hash)>,
    pub size: u64,
}

impl Frontier {
    pub fn push(&mut self, leaf: Hash) {
        self.push_subtree(1, leaf);
    }

    /// Adds a complete, aligned subtree of `size` leaves.
    pub fn push_subtree(&mut self, size: u64, hash: Hash) {
        self.size += size;
        let (mut size, mut hash) = (size, hash);
        while let Some((top, top_hash)) = self.nodes.last().copied() {
            if top != size {
                break;
            }
            self.nodes.pop();
            hash = node(&top_hash, &hash);
            size *= 2;
        }
        self.nodes.push((size, hash));
    }

    pub fn root(&self) -> Option<Hash> {
        let mut iter = self.nodes.iter().rev();
        let mut r = iter.next()?.1;
        for (_, h) in iter {
            r = node(h, &r);
        }
        Some(r)
    }
}

/// Checks stored block roots against the leaves a walk recomputes, block
/// by block (a block the walk entered part-way is left to the walk that
/// covered its start).
pub struct BlockCheck<'a> {
    stored: &'a HashMap<u64, Hash>,
    block: Option<u64>,
    leaves: Vec<Hash>,
}

impl<'a> BlockCheck<'a> {
    pub fn new(stored: &'a HashMap<u64, Hash>) -> Self {
        Self {
            stored,
            block: None,
            leaves: Vec::with_capacity(BLOCK as usize),
        }
    }

    /// The next position's leaf; a problem when it completes a block whose
    /// stored root differs.
    pub fn add(&mut self, position: i64, leaf: Hash) -> Option<String> {
        let index = u64::try_from(position - 1).ok()?;
        let block = index / BLOCK;
        if index.is_multiple_of(BLOCK) {
            self.block = Some(block);
            self.leaves.clear();
        }
        if self.block != Some(block) {
            return None;
        }
        self.leaves.push(leaf);
        if self.leaves.len() as u64 != BLOCK {
            return None;
        }
        self.block = None;
        match self.stored.get(&block) {
            Some(stored) if root_of(&self.leaves) != Some(*stored) => Some(format!(
                "the stored Merkle root of block {block} (positions {} to {}) differs from its events",
                block * BLOCK + 1,
                (block + 1) * BLOCK
            )),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: u64) -> Vec<Hash> {
        (1..=n as i64).map(|p| leaf(p, &[p as u8; 32])).collect()
    }

    #[test]
    fn the_root_matches_rfc_6962_splitting_for_every_size() {
        for n in 1..=70u64 {
            let all = leaves(n);
            let want = root_of(&all).unwrap();
            let map: HashMap<u64, Hash> = all
                .iter()
                .enumerate()
                .map(|(i, h)| (i as u64, *h))
                .collect();
            let none = HashMap::new();
            assert_eq!(Tree::new(n, &none, &map).root(), Some(want), "{n}");
            let mut f = Frontier::default();
            for h in &all {
                f.push(*h);
            }
            assert_eq!(f.root(), Some(want), "frontier {n}");
        }
    }

    #[test]
    fn a_tree_known_by_its_block_roots_agrees_and_every_path_checks() {
        let n = BLOCK * 3 + 17;
        let all = leaves(n);
        let want = root_of(&all).unwrap();
        let blocks: HashMap<u64, Hash> = (0..3)
            .map(|b| {
                let lo = (b * BLOCK) as usize;
                (b, root_of(&all[lo..lo + BLOCK as usize]).unwrap())
            })
            .collect();
        // Only the leaves of block 1 and of the partial last block.
        let loaded: HashMap<u64, Hash> = all
            .iter()
            .enumerate()
            .map(|(i, h)| (i as u64, *h))
            .filter(|(i, _)| (BLOCK..2 * BLOCK).contains(i) || *i >= 3 * BLOCK)
            .collect();
        let tree = Tree::new(n, &blocks, &loaded);
        assert_eq!(tree.root(), Some(want));
        for m in [BLOCK, BLOCK + 100, 2 * BLOCK - 1, 3 * BLOCK, n - 1] {
            let path = tree.path(m).unwrap();
            assert!(verify_path(&all[m as usize], m, n, &path, &want), "{m}");
            // The same leaf claimed at another place, or another leaf here.
            assert!(!verify_path(&all[m as usize], m ^ 1, n, &path, &want));
            assert!(!verify_path(&all[0], m, n, &path, &want));
        }
        // A leaf whose block was not loaded cannot be proved, not faked.
        assert_eq!(tree.path(5), None);
        let mut f = Frontier::default();
        for b in 0..3 {
            f.push_subtree(BLOCK, blocks[&b]);
        }
        for h in &all[3 * BLOCK as usize..] {
            f.push(*h);
        }
        assert_eq!(f.root(), Some(want));
        assert_eq!(f.size, n);
    }
}
