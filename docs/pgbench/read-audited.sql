-- A read with its consultation event, as Probity writes it: one statement for
-- the event and its records, in the same transaction (see docs/BENCHMARKS.md).
\set n random(1, 1000000)
BEGIN;
SELECT id, surname, forenames, date_of_birth, version FROM people WHERE source_id = 'D' || :n AND source_system = 'BENCH';
WITH ev AS (INSERT INTO audit_events (id, occurred_at, operation, action, outcome, actor_type, actor_id, actor_roles, on_behalf_of, fields, purpose, reference, reason, recipients, client_addr, user_agent, request_id, content_hash, working_context) VALUES (gen_random_uuid(), now(), 'consultation', 'person.read', 'allowed', 'user', '00000000-0000-0000-0000-000000000001', '{officer}', NULL, '{}', 'investigation', 'BENCH/1', NULL, '{}', '127.0.0.1', 'wrk', 'req-1', decode('00000000000000000000000000000000000000000000000000000000000000ff','hex'), NULL) RETURNING seq) INSERT INTO audit_event_records (event_seq, position, record_type, record_id) SELECT ev.seq, 0, 'person', gen_random_uuid() FROM ev;
COMMIT;
