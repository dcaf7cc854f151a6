-- Every read writes an event, and each foreign key into audit_events made
-- its insert lock the event row (FOR KEY SHARE: a WAL record of its own),
-- once for the records an event touched and again when the sealer chained
-- it. They protected nothing the log does not already guarantee: the
-- append-only triggers refuse UPDATE, DELETE and TRUNCATE, only
-- backend/src/audit/store.rs writes an event with its records (in one
-- statement), and `verify` checks every chain row against its event.
ALTER TABLE audit_event_records DROP CONSTRAINT audit_event_records_event_seq_fkey;
ALTER TABLE audit_chain DROP CONSTRAINT audit_chain_event_seq_fkey;
