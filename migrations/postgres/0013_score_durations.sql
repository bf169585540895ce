-- The duration bucket a completion counted in `response_durations` (domain::quality::
-- duration_bucket), on its score row, so that a respondent who deletes their response
-- takes it out of the speeder median's counts exactly. NULL: not counted (imported
-- responses took no time answering). Rows completed before this version get the bucket
-- 0007's backfill gave them, by the same rule.
ALTER TABLE respondent_scores ADD COLUMN duration_bucket BIGINT;
UPDATE respondent_scores SET duration_bucket = (
    SELECT CASE WHEN d < 600 THEN d WHEN d < 3600 THEN d - d % 10
                WHEN d < 86400 THEN d - d % 60 ELSE 86400 END
    FROM (SELECT (completed_at - started_at) / 1000 AS d FROM respondents r
          WHERE r.id = respondent_scores.respondent_id AND r.completed_at > r.started_at) AS durations
);
