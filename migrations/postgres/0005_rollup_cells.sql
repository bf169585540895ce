-- Report rollups now count respondents per half-point cell of (V, C) instead of at their
-- version's bond threshold (domain::tally), so a report over versions with different
-- thresholds classifies everyone at one t. Old rows cannot be converted: they are emptied
-- here and rebuilt from the stored score rows by the same start (Store::migrate runs the
-- pending maintenance tasks right after the migrations).
CREATE TABLE maintenance (task TEXT PRIMARY KEY);
DELETE FROM report_rollups;
INSERT INTO maintenance (task) VALUES ('rebuild_rollups');

-- Counterbalanced bond blocks: the order each respondent is shown the value-congruence and
-- contact-bond blocks in, drawn at the start and kept with the scores ("values_first" or
-- "contact_first"; NULL when the survey cannot counterbalance them, and for the
-- respondents before this version, who all saw values first).
ALTER TABLE respondents ADD COLUMN block_order TEXT;
ALTER TABLE respondent_scores ADD COLUMN block_order TEXT;
