DROP TABLE organisations;
DROP TABLE audit_blocks;
DROP TABLE audit_witness_deliveries;
DROP TABLE audit_texts_erased;
DROP TABLE audit_texts;
ALTER TABLE audit_events DROP COLUMN reason_hash, DROP COLUMN reference_hash, DROP COLUMN canonical_version;
ALTER TABLE audit_checkpoints DROP COLUMN merkle_root, DROP COLUMN previous_chain_hash, DROP COLUMN previous_position,
    DROP COLUMN number, DROP COLUMN log_id, DROP COLUMN version;
DROP TABLE audit_log_identity;
