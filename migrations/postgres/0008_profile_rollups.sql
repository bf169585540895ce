-- Report rollups per profile (domain::tally::profiles): every complete response is now
-- also counted in its profile's rows (its full combination of segment answers) of its
-- day, week and month, cut "=d…", "=w…", "=m…", which weighted reports read. Rows written
-- before this version lack them: the rollups are rebuilt from the stored score rows by the
-- same start (Store::migrate runs the pending maintenance tasks right after the
-- migrations). The task may be pending already (a database created by this start): once.
INSERT INTO maintenance (task) VALUES ('rebuild_rollups') ON CONFLICT DO NOTHING;
