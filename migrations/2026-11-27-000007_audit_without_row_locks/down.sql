ALTER TABLE audit_event_records ADD CONSTRAINT audit_event_records_event_seq_fkey
    FOREIGN KEY (event_seq) REFERENCES audit_events (seq);
ALTER TABLE audit_chain ADD CONSTRAINT audit_chain_event_seq_fkey
    FOREIGN KEY (event_seq) REFERENCES audit_events (seq);
