-- Report rollups now count respondents per half-point cell of (V, C) instead of at their
-- version's bond threshold (domain::tally), so a report over versions with different
-- thresholds classifies everyone at one t. Old rows cannot be converted: they are emptied
-- here and rebuilt from the stored score rows by the same start (Store::migrate runs the
-- pending maintenance tasks right after the migrations).
CREATE TABLE maintenance (task TEXT PRIMARY KEY);
DELETE FROM report_rollups;
INSERT INTO maintenance (task) VALUES ('rebuild_rollups');
