-- Report rollups: for each survey version, completion day (UTC, days since 1970-01-01)
-- and group ('' = everyone, 'question:option' = one segment group), the mergeable counts
-- behind every report figure (domain::tally::Tally as JSON). Maintained in the same
-- transaction as the score rows, so reports never rescan respondents.
CREATE TABLE report_rollups (
    survey_id  BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    version_id BIGINT NOT NULL REFERENCES survey_versions(id) ON DELETE CASCADE,
    day        BIGINT NOT NULL,
    cut        TEXT NOT NULL,
    tally      TEXT NOT NULL,
    PRIMARY KEY (survey_id, cut, day, version_id)
);

-- Partial respondents by survey (drop-off), without touching completed ones.
CREATE INDEX respondents_partial ON respondents (survey_id, started_at) WHERE completed_at IS NULL;

-- Complete responses per version, kept with the rollups (the version list and the reports
-- list show it without counting score rows).
ALTER TABLE survey_versions ADD COLUMN completed BIGINT NOT NULL DEFAULT 0;
