-- A read with a one-row insert into a table with no index (create it first:
-- CREATE TABLE audit_lean0 (LIKE audit_events INCLUDING DEFAULTS)): the
-- least any write transaction costs (see docs/BENCHMARKS.md).
\set n random(1, 1000000)
BEGIN;
SELECT id, surname, forenames, date_of_birth, version FROM people WHERE source_id = 'D' || :n AND source_system = 'BENCH';
INSERT INTO audit_lean0 (id, occurred_at, operation, action, outcome, actor_type, actor_id, actor_roles, on_behalf_of, fields, purpose, reference, reason, recipients, client_addr, user_agent, request_id, content_hash, working_context) VALUES (gen_random_uuid(), now(), 'consultation', 'person.read', 'allowed', 'user', '00000000-0000-0000-0000-000000000001', '{officer}', NULL, '{}', 'investigation', 'BENCH/1', NULL, '{}', '127.0.0.1', 'wrk', 'req-1', decode('00000000000000000000000000000000000000000000000000000000000000ff','hex'), NULL);
COMMIT;
