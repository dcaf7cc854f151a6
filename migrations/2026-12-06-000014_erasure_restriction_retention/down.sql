DROP TABLE retention_reviews;
DROP TRIGGER people_retention_update ON people;
DROP TRIGGER people_retention_insert ON people;
DROP TRIGGER records_retention_update ON records;
DROP TRIGGER links_retention_delete ON links;
DROP TRIGGER links_retention_insert ON links;
DROP FUNCTION retention_dirty_people();
DROP TABLE retention_dirty;
DROP TABLE retention_schedule;
DROP TABLE erasure_ledger;
DROP TABLE audit_restores;
DROP TABLE erasure_certificates;
DROP TABLE erasure_plans;
DROP TABLE recipient_notifications;
DROP TABLE supplementary_statements;
DROP TABLE legal_holds;
ALTER TABLE people DROP COLUMN restriction_request, DROP COLUMN restricted_by,
    DROP COLUMN restriction_review_on, DROP COLUMN restriction_reason;
DROP INDEX records_restricted_idx;
ALTER TABLE records DROP COLUMN restriction_request, DROP COLUMN restricted_by,
    DROP COLUMN restriction_review_on, DROP COLUMN restriction_reason, DROP COLUMN restricted_at;
