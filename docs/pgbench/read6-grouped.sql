-- Six reads sharing one writing transaction, each with its own event, all six
-- events in one statement: what reads sharing a transaction would cost
-- PostgreSQL (see docs/BENCHMARKS.md). Multiply tps by six for reads a second.
\set n0 random(1, 1000000)
\set n1 random(1, 1000000)
\set n2 random(1, 1000000)
\set n3 random(1, 1000000)
\set n4 random(1, 1000000)
\set n5 random(1, 1000000)
BEGIN;
SELECT id, surname, forenames, date_of_birth, version FROM people WHERE source_id = 'D' || :n0 AND source_system = 'BENCH';
SELECT id, surname, forenames, date_of_birth, version FROM people WHERE source_id = 'D' || :n1 AND source_system = 'BENCH';
SELECT id, surname, forenames, date_of_birth, version FROM people WHERE source_id = 'D' || :n2 AND source_system = 'BENCH';
SELECT id, surname, forenames, date_of_birth, version FROM people WHERE source_id = 'D' || :n3 AND source_system = 'BENCH';
SELECT id, surname, forenames, date_of_birth, version FROM people WHERE source_id = 'D' || :n4 AND source_system = 'BENCH';
SELECT id, surname, forenames, date_of_birth, version FROM people WHERE source_id = 'D' || :n5 AND source_system = 'BENCH';
WITH ev AS (INSERT INTO audit_events (id, occurred_at, operation, action, outcome, actor_type, actor_id, actor_roles, on_behalf_of, fields, purpose, reference, reason, recipients, client_addr, user_agent, request_id, content_hash, working_context) VALUES (gen_random_uuid(), now(), 'consultation', 'person.read', 'allowed', 'user', '00000000-0000-0000-0000-000000000001', '{officer}', NULL, '{}', 'investigation', 'BENCH/1', NULL, '{}', '127.0.0.1', 'wrk', 'req-1', decode('00000000000000000000000000000000000000000000000000000000000000ff','hex'), NULL), (gen_random_uuid(), now(), 'consultation', 'person.read', 'allowed', 'user', '00000000-0000-0000-0000-000000000001', '{officer}', NULL, '{}', 'investigation', 'BENCH/1', NULL, '{}', '127.0.0.1', 'wrk', 'req-1', decode('00000000000000000000000000000000000000000000000000000000000000ff','hex'), NULL), (gen_random_uuid(), now(), 'consultation', 'person.read', 'allowed', 'user', '00000000-0000-0000-0000-000000000001', '{officer}', NULL, '{}', 'investigation', 'BENCH/1', NULL, '{}', '127.0.0.1', 'wrk', 'req-1', decode('00000000000000000000000000000000000000000000000000000000000000ff','hex'), NULL), (gen_random_uuid(), now(), 'consultation', 'person.read', 'allowed', 'user', '00000000-0000-0000-0000-000000000001', '{officer}', NULL, '{}', 'investigation', 'BENCH/1', NULL, '{}', '127.0.0.1', 'wrk', 'req-1', decode('00000000000000000000000000000000000000000000000000000000000000ff','hex'), NULL), (gen_random_uuid(), now(), 'consultation', 'person.read', 'allowed', 'user', '00000000-0000-0000-0000-000000000001', '{officer}', NULL, '{}', 'investigation', 'BENCH/1', NULL, '{}', '127.0.0.1', 'wrk', 'req-1', decode('00000000000000000000000000000000000000000000000000000000000000ff','hex'), NULL), (gen_random_uuid(), now(), 'consultation', 'person.read', 'allowed', 'user', '00000000-0000-0000-0000-000000000001', '{officer}', NULL, '{}', 'investigation', 'BENCH/1', NULL, '{}', '127.0.0.1', 'wrk', 'req-1', decode('00000000000000000000000000000000000000000000000000000000000000ff','hex'), NULL) RETURNING seq) INSERT INTO audit_event_records (event_seq, position, record_type, record_id) SELECT ev.seq, 0, 'person', gen_random_uuid() FROM ev;
COMMIT;
