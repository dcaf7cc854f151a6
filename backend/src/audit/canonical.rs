//! The exact bytes that are hashed and signed. Changing anything here
//! breaks verification of every existing log: version it instead.

use sha2::{Digest, Sha256};

const CHAIN_PREFIX: &[u8] = b"probity-audit-chain-v1\n";
const CHECKPOINT_PREFIX: &str = "probity-audit-checkpoint-v1";

/// The chain hash at `position`: SHA-256(prefix ‖ previous chain hash ‖
/// event content hash ‖ position ‖ event seq), integers big-endian.
pub fn chain_link(prev: &[u8], content_hash: &[u8], position: i64, seq: i64) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(CHAIN_PREFIX);
    h.update(prev);
    h.update(content_hash);
    h.update(position.to_be_bytes());
    h.update(seq.to_be_bytes());
    h.finalize().into()
}

/// What a checkpoint signs, as text an outside party can rebuild by hand.
pub fn checkpoint_message(
    position: i64,
    chain_hash: &[u8],
    signed_at: &chrono::DateTime<chrono::Utc>,
) -> Vec<u8> {
    format!(
        "{CHECKPOINT_PREFIX}\nposition={position}\nchain_hash={}\nsigned_at={}\n",
        hex::encode(chain_hash),
        signed_at.format("%Y-%m-%dT%H:%M:%S%.6fZ")
    )
    .into_bytes()
}
