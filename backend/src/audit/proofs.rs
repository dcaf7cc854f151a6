//! Merkle roots and audit paths from the stored chain: what the sealer
//! signs, and what a subject access pack hands the subject so that each
//! entry of "who has seen my records" can be checked against one signed
//! checkpoint without the rest of the log.

use super::merkle::{self, BLOCK, Hash, Tree};
use crate::db::schema::{audit_blocks, audit_chain};
use crate::error::ApiError;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::collections::{BTreeSet, HashMap};

/// The roots of the complete blocks, as this server has read them: they
/// never change once written (verify checks them against the events), so
/// each is read from the database once, not for every root or proof (there
/// are 40,000 of them in a log of ten million events).
#[derive(Default)]
pub struct BlockCache {
    roots: tokio::sync::RwLock<Vec<Hash>>,
}

impl BlockCache {
    /// The roots of every complete block among positions 1..=`head`.
    pub async fn below(
        &self,
        conn: &mut AsyncPgConnection,
        head: i64,
    ) -> Result<Vec<Hash>, ApiError> {
        let complete = usize::try_from(head / BLOCK as i64).unwrap_or(0);
        {
            let held = self.roots.read().await;
            if held.len() >= complete {
                return Ok(held[..complete].to_vec());
            }
        }
        let mut held = self.roots.write().await;
        if held.len() < complete {
            let rows: Vec<(i64, Vec<u8>)> = audit_blocks::table
                .filter(audit_blocks::block.ge(held.len() as i64))
                .filter(audit_blocks::block.lt(complete as i64))
                .order(audit_blocks::block)
                .select((audit_blocks::block, audit_blocks::root))
                .load(conn)
                .await?;
            for (block, root) in rows {
                let Ok(root) = Hash::try_from(root.as_slice()) else {
                    break;
                };
                if block as usize != held.len() {
                    break;
                }
                held.push(root);
            }
        }
        if held.len() < complete {
            return Err(ApiError::internal(
                "the audit chain's blocks are incomplete",
            ));
        }
        Ok(held[..complete].to_vec())
    }
}

/// The stored roots of the blocks `from..to`.
pub async fn blocks_between(
    conn: &mut AsyncPgConnection,
    from: i64,
    to: i64,
) -> Result<HashMap<u64, Hash>, ApiError> {
    let rows: Vec<(i64, Vec<u8>)> = audit_blocks::table
        .filter(audit_blocks::block.ge(from))
        .filter(audit_blocks::block.lt(to))
        .select((audit_blocks::block, audit_blocks::root))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(b, r)| Some((u64::try_from(b).ok()?, Hash::try_from(r.as_slice()).ok()?)))
        .collect())
}

/// The stored roots of the complete blocks among positions 1..=`head`.
pub async fn blocks_below(
    conn: &mut AsyncPgConnection,
    head: i64,
) -> Result<HashMap<u64, Hash>, ApiError> {
    let complete = head / BLOCK as i64;
    let rows: Vec<(i64, Vec<u8>)> = audit_blocks::table
        .filter(audit_blocks::block.lt(complete))
        .select((audit_blocks::block, audit_blocks::root))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(b, r)| Some((u64::try_from(b).ok()?, Hash::try_from(r.as_slice()).ok()?)))
        .collect())
}

/// The leaves of positions `from..=to`, by 0-based leaf index.
async fn leaves(
    conn: &mut AsyncPgConnection,
    from: i64,
    to: i64,
    into: &mut HashMap<u64, Hash>,
) -> Result<(), ApiError> {
    if from > to {
        return Ok(());
    }
    let rows: Vec<(i64, Vec<u8>)> = audit_chain::table
        .filter(audit_chain::position.between(from, to))
        .select((audit_chain::position, audit_chain::content_hash))
        .load(conn)
        .await?;
    for (p, c) in rows {
        into.insert((p - 1) as u64, merkle::leaf(p, &c));
    }
    Ok(())
}

/// The Merkle root over positions 1..=`head`.
pub async fn merkle_root(
    conn: &mut AsyncPgConnection,
    cache: &BlockCache,
    head: i64,
) -> Result<Hash, ApiError> {
    let blocks = cache.below(conn, head).await?;
    let mut tail = HashMap::new();
    let whole = head / BLOCK as i64 * BLOCK as i64;
    leaves(conn, whole + 1, head, &mut tail).await?;
    Tree::new(head as u64, blocks.as_slice(), &tail)
        .root()
        .ok_or_else(|| ApiError::internal("the audit chain's blocks are incomplete"))
}

/// Audit paths for `positions` in the tree over 1..=`size`, each checked
/// against `root` before it is handed out.
pub async fn paths(
    conn: &mut AsyncPgConnection,
    cache: &BlockCache,
    positions: &[i64],
    size: i64,
    root: &Hash,
) -> Result<HashMap<i64, Vec<Hash>>, ApiError> {
    let blocks = cache.below(conn, size).await?;
    let mut loaded = HashMap::new();
    let wanted: BTreeSet<i64> = positions
        .iter()
        .map(|p| (p - 1) / BLOCK as i64)
        .chain(std::iter::once((size - 1).max(0) / BLOCK as i64))
        .collect();
    for b in wanted {
        let from = b * BLOCK as i64 + 1;
        leaves(conn, from, (from + BLOCK as i64 - 1).min(size), &mut loaded).await?;
    }
    let tree = Tree::new(size as u64, blocks.as_slice(), &loaded);
    let mut out = HashMap::new();
    for &p in positions {
        let index = (p - 1) as u64;
        let path = tree
            .path(index)
            .ok_or_else(|| ApiError::internal("an audit path could not be built"))?;
        let leaf = loaded
            .get(&index)
            .ok_or_else(|| ApiError::internal("an audit leaf was not loaded"))?;
        if !merkle::verify_path(leaf, index, size as u64, &path, root) {
            return Err(ApiError::internal(format!(
                "the audit path for position {p} does not lead to the signed root"
            )));
        }
        out.insert(p, path);
    }
    Ok(out)
}
