DROP TABLE retention_reviews;
DROP TABLE retention_schedule;
DROP TABLE erasure_ledger;
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
