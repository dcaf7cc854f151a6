-- Auditors filter the log by operation and by purpose, and a page must come
-- back fast at any depth of a log of tens of millions of events.
--
-- Consultations are nearly every event, and a page of them is found by
-- walking the time index; every other operation can be rare (an erasure
-- perhaps 1 in 20,000 events), and finding a page of those by the time
-- index would read millions of rows. This index holds only the other
-- operations, so an officer's read, a consultation, never maintains it.
CREATE INDEX audit_events_operation_idx ON audit_events (operation, occurred_at DESC, seq DESC)
    WHERE operation <> 'consultation';

-- Purposes have no such majority to leave out: whichever is rare in a
-- force (subject access, safeguarding) is the one an auditor asks about.
-- Measured in docs/BENCHMARKS.md: what this costs each read, and what it
-- saves the auditor.
CREATE INDEX audit_events_purpose_idx ON audit_events (purpose, occurred_at DESC, seq DESC);
