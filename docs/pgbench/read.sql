-- A read with no audit: a read-only transaction (see docs/BENCHMARKS.md).
\set n random(1, 1000000)
BEGIN;
SELECT id, surname, forenames, date_of_birth, version FROM people WHERE source_id = 'D' || :n AND source_system = 'BENCH';
COMMIT;
