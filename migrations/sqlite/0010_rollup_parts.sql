-- Scale-out without hot rows (db::rollups; the PostgreSQL migration says why). SQLite
-- keeps folding each group commit's completions into the rows with `part` = 0 (it has one
-- writer, so no row is contended); the tables have the same shape on both databases so
-- that every reader is written once. SQLite cannot change a primary key: the two tables
-- are rebuilt.
CREATE TABLE report_rollups_parts (
    survey_id  INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    version_id INTEGER NOT NULL REFERENCES survey_versions(id) ON DELETE CASCADE,
    day        INTEGER NOT NULL,
    cut        TEXT NOT NULL,
    tally      TEXT NOT NULL,
    part       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (survey_id, cut, day, version_id, part)
);
INSERT INTO report_rollups_parts (survey_id, version_id, day, cut, tally)
SELECT survey_id, version_id, day, cut, tally FROM report_rollups;
DROP TABLE report_rollups;
ALTER TABLE report_rollups_parts RENAME TO report_rollups;
CREATE INDEX report_rollups_unfolded ON report_rollups (version_id, part) WHERE part <> 0;

CREATE TABLE response_durations_parts (
    version_id BIGINT NOT NULL REFERENCES survey_versions(id) ON DELETE CASCADE,
    seconds    BIGINT NOT NULL,
    responses  BIGINT NOT NULL,
    part       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (version_id, seconds, part)
);
INSERT INTO response_durations_parts (version_id, seconds, responses)
SELECT version_id, seconds, responses FROM response_durations;
DROP TABLE response_durations;
ALTER TABLE response_durations_parts RENAME TO response_durations;
CREATE INDEX response_durations_unfolded ON response_durations (part) WHERE part <> 0;

ALTER TABLE survey_versions ADD COLUMN pages BIGINT;
UPDATE survey_versions SET pages = json_array_length(definition, '$.pages')
WHERE published_at IS NOT NULL AND json_type(definition, '$.pages') = 'array';
