DROP INDEX IF EXISTS audit_events_refused_purpose_idx;
DROP INDEX IF EXISTS audit_events_operation_purpose_idx;
DROP INDEX IF EXISTS audit_events_refused_idx;
