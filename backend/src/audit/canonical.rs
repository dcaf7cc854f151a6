//! The exact bytes that are hashed and signed. Changing anything here
//! breaks verification of every existing log: version it instead.

use sha2::{Digest, Sha256};

const CHAIN_PREFIX: &[u8] = b"probity-audit-chain-v1\n";

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
///
/// Version 2 (every checkpoint signed now) also names the log, numbers the
/// checkpoint and names the checkpoint before it, so that one removed from
/// the middle or the start of the series breaks the next one's statement,
/// and signs the Merkle root over the chain, so that one event can be proved
/// to be in the log without the rest of it (`merkle.rs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckpointStatement {
    pub version: i16,
    pub log_id: Option<uuid::Uuid>,
    pub number: Option<i64>,
    pub position: i64,
    pub chain_hash: Vec<u8>,
    pub previous_position: Option<i64>,
    pub previous_chain_hash: Option<Vec<u8>>,
    /// Version 2: the Merkle root over every position up to this one.
    pub merkle_root: Option<Vec<u8>>,
    pub signed_at: chrono::DateTime<chrono::Utc>,
}

impl CheckpointStatement {
    pub fn message(&self) -> Vec<u8> {
        let signed_at = self.signed_at.format("%Y-%m-%dT%H:%M:%S%.6fZ");
        let hash = hex::encode(&self.chain_hash);
        if self.version == 1 {
            return format!(
                "probity-audit-checkpoint-v1\nposition={}\nchain_hash={hash}\nsigned_at={signed_at}\n",
                self.position
            )
            .into_bytes();
        }
        format!(
            "probity-audit-checkpoint-v2\nlog={}\nnumber={}\nposition={}\nchain_hash={hash}\n\
             merkle_root={}\nprevious_position={}\nprevious_chain_hash={}\nsigned_at={signed_at}\n",
            self.log_id.map(|l| l.to_string()).unwrap_or_default(),
            self.number.unwrap_or(0),
            self.position,
            hex::encode(self.merkle_root.as_deref().unwrap_or(&[0u8; 32])),
            self.previous_position.unwrap_or(0),
            hex::encode(self.previous_chain_hash.as_deref().unwrap_or(&[0u8; 32])),
        )
        .into_bytes()
    }
}
