-- Scale-out without hot rows (db::rollups). On PostgreSQL a page post that completes a
-- response no longer read-modify-writes the shared rollup rows of its day, the duration
-- counts of its version or the version's completed count, which every concurrent
-- completion of the survey would queue on until commit. It inserts its own rows instead,
-- with `part` = its respondent id: its tally under each rollup key and its duration bucket.
-- A background fold adds such rows to the rows with `part` = 0 and deletes them, in one
-- transaction; readers sum every part, so a figure is the same before and after the fold.
ALTER TABLE report_rollups ADD COLUMN part BIGINT NOT NULL DEFAULT 0;
ALTER TABLE report_rollups DROP CONSTRAINT report_rollups_pkey;
ALTER TABLE report_rollups ADD PRIMARY KEY (survey_id, cut, day, version_id, part);
-- The fold finds the rows still to fold; the versions' completed counts add theirs.
CREATE INDEX report_rollups_unfolded ON report_rollups (version_id, part) WHERE part <> 0;

ALTER TABLE response_durations ADD COLUMN part BIGINT NOT NULL DEFAULT 0;
ALTER TABLE response_durations DROP CONSTRAINT response_durations_pkey;
ALTER TABLE response_durations ADD PRIMARY KEY (version_id, seconds, part);
CREATE INDEX response_durations_unfolded ON response_durations (part) WHERE part <> 0;

-- Pages of a published version: a post of its last page reads the version's durations
-- with the respondent (the speeder rule needs them if the post completes the response),
-- and other posts do not. NULL (drafts) reads them always.
ALTER TABLE survey_versions ADD COLUMN pages BIGINT;
UPDATE survey_versions SET pages = json_array_length(definition::json -> 'pages')
WHERE published_at IS NOT NULL AND json_typeof(definition::json -> 'pages') = 'array';
