-- Response quality (measurement.md "Response quality", domain::quality). Flags are bits:
-- 1 speeder, 2 straight-liner, 4 bot. On the respondent row: the bot evidence gathered
-- page by page (the honeypot, a page posted too fast). With the scores: the flags the
-- response completed with (reports, CSV). Responses completed before this version have
-- none; rollup rows of flagged responses carry the flags in their cut ("!5…").
ALTER TABLE respondents ADD COLUMN quality BIGINT NOT NULL DEFAULT 0;
ALTER TABLE respondent_scores ADD COLUMN quality BIGINT NOT NULL DEFAULT 0;

-- How long each version's complete responses took, with how many took that long: the
-- speeder rule's median, read at each completion. `seconds` is the duration's bucket
-- (domain::quality::duration_bucket: the second under 10 min, its 10 s under an hour, its
-- minute under a day, 86400 beyond), so the rows stay few. Responses that were imported
-- (no time spent answering) are not in it.
CREATE TABLE response_durations (
    version_id BIGINT NOT NULL REFERENCES survey_versions(id) ON DELETE CASCADE,
    seconds    BIGINT NOT NULL,
    responses  BIGINT NOT NULL,
    PRIMARY KEY (version_id, seconds)
);
INSERT INTO response_durations (version_id, seconds, responses)
SELECT version_id, bucket, COUNT(*) FROM (
    SELECT version_id,
           CASE WHEN d < 600 THEN d WHEN d < 3600 THEN d - d % 10
                WHEN d < 86400 THEN d - d % 60 ELSE 86400 END AS bucket
    FROM (SELECT version_id, (completed_at - started_at) / 1000 AS d FROM respondents
          WHERE completed_at IS NOT NULL AND completed_at > started_at) AS durations
) AS buckets
GROUP BY version_id, bucket;
