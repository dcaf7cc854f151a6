-- Six reads in one read-only transaction: the baseline for read6-grouped.sql
-- (see docs/BENCHMARKS.md). Multiply tps by six for reads a second.
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
COMMIT;
