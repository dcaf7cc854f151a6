DROP INDEX audit_events_purpose_idx;
DROP INDEX audit_events_operation_idx;
