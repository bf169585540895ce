-- Weighting targets (measurement.md, "Weighting"): the shares a brand knows from elsewhere
-- for up to three segment questions of a survey, as JSON
-- [{"question": "tenure", "targets": [["under_1y", 0.3], ...]}, ...], validated before they
-- are stored. One set per survey; who set it and when is shown on the report (`set_by` is
-- the staff e-mail at the time, kept if the account is removed) and in the audit log.
CREATE TABLE weighting_targets (
    survey_id BIGINT PRIMARY KEY REFERENCES surveys(id) ON DELETE CASCADE,
    margins   TEXT NOT NULL,
    set_by    TEXT NOT NULL,
    set_at    BIGINT NOT NULL
);
