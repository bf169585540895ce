-- Brands, surveys with immutable versions, respondents and their answers and scores.
-- Times are Unix milliseconds (INTEGER) so both backends share one representation.

CREATE TABLE brands (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    -- The brand profile (mission, weighted stated values) as JSON.
    profile    TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE surveys (
    id              INTEGER PRIMARY KEY,
    brand_id        INTEGER NOT NULL REFERENCES brands(id),
    slug            TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed', 'archived')),
    live_version_id INTEGER,
    created_at      INTEGER NOT NULL
);

-- A version's definition (the whole question tree, JSON) never changes once published.
CREATE TABLE survey_versions (
    id           INTEGER PRIMARY KEY,
    survey_id    INTEGER NOT NULL REFERENCES surveys(id),
    version      INTEGER NOT NULL,
    definition   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    published_at INTEGER,
    UNIQUE (survey_id, version)
);

-- No IP address or user agent is stored. The resume token is kept only as a SHA-256 hash.
CREATE TABLE respondents (
    id           INTEGER PRIMARY KEY,
    survey_id    INTEGER NOT NULL REFERENCES surveys(id),
    version_id   INTEGER NOT NULL REFERENCES survey_versions(id),
    token_hash   TEXT NOT NULL UNIQUE,
    locale       TEXT NOT NULL,
    current_page INTEGER NOT NULL,
    started_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    completed_at INTEGER
);
CREATE INDEX respondents_by_survey ON respondents (survey_id, completed_at);

CREATE TABLE answers (
    respondent_id INTEGER NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
    question_key  TEXT NOT NULL,
    value         TEXT NOT NULL,
    PRIMARY KEY (respondent_id, question_key)
);

-- One row per accepted page post: its idempotency key and where it sent the respondent,
-- so a double click or a retry replays the answer instead of writing twice.
CREATE TABLE page_posts (
    respondent_id INTEGER NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
    idem_key      TEXT NOT NULL,
    redirect_to   TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (respondent_id, idem_key)
);

-- Scores computed once at completion (measurement.md), read by reports.
CREATE TABLE respondent_scores (
    respondent_id       INTEGER PRIMARY KEY REFERENCES respondents(id) ON DELETE CASCADE,
    survey_id           INTEGER NOT NULL,
    version_id          INTEGER NOT NULL,
    completed_at        INTEGER NOT NULL,
    locale              TEXT NOT NULL,
    values_bond         REAL,
    contact_bond        REAL,
    bond_class          TEXT NOT NULL,
    alignment           REAL,
    shared_values       TEXT NOT NULL,
    contact_actual      INTEGER,
    contact_preferred   INTEGER,
    contact_fit         TEXT,
    nps                 INTEGER,
    nps_class           TEXT,
    relationship        TEXT,
    relationship_reason TEXT,
    advocacy            TEXT,
    voice               REAL,
    story_recall        TEXT,
    segments            TEXT NOT NULL,
    -- JSON: stated-value key -> rating, and each bond item in survey order (null = missing).
    importance          TEXT NOT NULL,
    perception          TEXT NOT NULL,
    congruence_items    TEXT NOT NULL,
    contact_items       TEXT NOT NULL
);
CREATE INDEX respondent_scores_by_survey ON respondent_scores (survey_id, completed_at);
