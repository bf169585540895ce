-- Authoring: who did what (audit log), single-use invite links, and distribution settings.

-- Every authoring action: created, edited, published, closed... `actor` is the staff
-- e-mail at the time (kept if the account is later removed; '' for the command line).
CREATE TABLE audit_log (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        BIGINT NOT NULL,
    user_id   BIGINT REFERENCES users(id) ON DELETE SET NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    brand_id  BIGINT REFERENCES brands(id) ON DELETE CASCADE,
    survey_id BIGINT REFERENCES surveys(id) ON DELETE CASCADE,
    detail    TEXT NOT NULL
);
CREATE INDEX audit_log_by_survey ON audit_log (survey_id, at);

-- Single-use invite links for mailing lists. Only a SHA-256 of the link's token is stored;
-- `respondent_id` is set when the link is first used.
CREATE TABLE invites (
    token_hash    TEXT PRIMARY KEY,
    survey_id     BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    created_at    BIGINT NOT NULL,
    used_at       BIGINT,
    respondent_id BIGINT REFERENCES respondents(id) ON DELETE SET NULL
);
CREATE INDEX invites_by_survey ON invites (survey_id);

-- Distribution settings: 'public' (anyone with the link) or 'invite' (invite links only);
-- one_per_browser refuses a second response from a browser that completed one.
ALTER TABLE surveys ADD COLUMN access TEXT NOT NULL DEFAULT 'public' CHECK (access IN ('public', 'invite'));
ALTER TABLE surveys ADD COLUMN one_per_browser BIGINT NOT NULL DEFAULT 0;
