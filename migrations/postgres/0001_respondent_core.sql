-- Brands, surveys with immutable versions, respondents and their answers and scores.
-- Times are Unix milliseconds (BIGINT) so both backends share one representation.

CREATE TABLE brands (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    -- The brand profile (mission, weighted stated values) as JSON.
    profile    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE surveys (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id        BIGINT NOT NULL REFERENCES brands(id),
    slug            TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed', 'archived')),
    live_version_id BIGINT,
    created_at      BIGINT NOT NULL
);

-- A version's definition (the whole question tree, JSON) never changes once published.
CREATE TABLE survey_versions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    survey_id    BIGINT NOT NULL REFERENCES surveys(id),
    version      BIGINT NOT NULL,
    definition   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    published_at BIGINT,
    UNIQUE (survey_id, version)
);

-- No IP address or user agent is stored. The resume token is kept only as a SHA-256 hash.
CREATE TABLE respondents (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    survey_id    BIGINT NOT NULL REFERENCES surveys(id),
    version_id   BIGINT NOT NULL REFERENCES survey_versions(id),
    token_hash   TEXT NOT NULL UNIQUE,
    locale       TEXT NOT NULL,
    current_page BIGINT NOT NULL,
    started_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    completed_at BIGINT
);
CREATE INDEX respondents_by_survey ON respondents (survey_id, completed_at);

CREATE TABLE answers (
    respondent_id BIGINT NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
    question_key  TEXT NOT NULL,
    value         TEXT NOT NULL,
    PRIMARY KEY (respondent_id, question_key)
);

-- One row per accepted page post: its idempotency key and where it sent the respondent,
-- so a double click or a retry replays the answer instead of writing twice.
CREATE TABLE page_posts (
    respondent_id BIGINT NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
    idem_key      TEXT NOT NULL,
    redirect_to   TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (respondent_id, idem_key)
);

-- Scores computed once at completion (measurement.md), read by reports.
CREATE TABLE respondent_scores (
    respondent_id       BIGINT PRIMARY KEY REFERENCES respondents(id) ON DELETE CASCADE,
    survey_id           BIGINT NOT NULL,
    version_id          BIGINT NOT NULL,
    completed_at        BIGINT NOT NULL,
    locale              TEXT NOT NULL,
    values_bond         DOUBLE PRECISION,
    contact_bond        DOUBLE PRECISION,
    bond_class          TEXT NOT NULL,
    alignment           DOUBLE PRECISION,
    shared_values       TEXT NOT NULL,
    contact_actual      BIGINT,
    contact_preferred   BIGINT,
    contact_fit         TEXT,
    nps                 BIGINT,
    nps_class           TEXT,
    relationship        TEXT,
    relationship_reason TEXT,
    advocacy            TEXT,
    voice               DOUBLE PRECISION,
    story_recall        TEXT,
    segments            TEXT NOT NULL,
    -- JSON: stated-value key -> rating, and each bond item in survey order (null = missing).
    importance          TEXT NOT NULL,
    perception          TEXT NOT NULL,
    congruence_items    TEXT NOT NULL,
    contact_items       TEXT NOT NULL
);
CREATE INDEX respondent_scores_by_survey ON respondent_scores (survey_id, completed_at);
