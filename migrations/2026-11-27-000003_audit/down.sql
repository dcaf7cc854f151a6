DROP TABLE audit_event_records;
DROP TABLE audit_events;
DROP FUNCTION audit_refuse_change();
