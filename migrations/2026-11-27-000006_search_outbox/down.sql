DROP INDEX people_merged_into_idx;
DROP TRIGGER records_search_delete ON records;
DROP TRIGGER records_search_update ON records;
DROP TRIGGER records_search_insert ON records;
DROP TRIGGER people_search_delete ON people;
DROP TRIGGER people_search_update ON people;
DROP TRIGGER people_search_insert ON people;
DROP FUNCTION search_outbox_enqueue();
DROP TABLE search_outbox;
