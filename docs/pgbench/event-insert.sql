-- A consultation event and its record, as Probity writes them, alone in a
-- transaction: to price each index on the audit tables at the size of a real
-- log (`BENCH_KEEP_DB=1 cargo xtask bench audit-log` keeps ten million events).
\set p random(1, 200000)
BEGIN;
WITH ev AS (INSERT INTO audit_events (id, occurred_at, operation, action, outcome, actor_type, actor_id, actor_roles, on_behalf_of, fields, purpose, reference, reason, recipients, client_addr, user_agent, request_id, content_hash, working_context) VALUES (gen_random_uuid(), now(), 'consultation', 'person.read', 'allowed', 'user', '00000000-0000-4000-8000-000000000001', '{officer}', NULL, '{}', 'investigation', 'BENCH/1', NULL, '{}', '127.0.0.1', 'pgbench', 'req-1', decode('00000000000000000000000000000000000000000000000000000000000000ff','hex'), NULL) RETURNING seq) INSERT INTO audit_event_records (event_seq, position, record_type, record_id) SELECT ev.seq, 0, 'person', ('00000000-0000-4000-9000-' || lpad(to_hex(:p::bigint), 12, '0'))::uuid FROM ev;
COMMIT;
