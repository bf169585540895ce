-- "What customers said" (README, "Listening"): free-text answers coded to the brand's
-- values or to free themes, keyword lists that suggest those codes, and whether a survey's
-- text is shown unmasked.
--
-- A code on one answer (respondent, question): `value:<stated value key>` or
-- `theme:<words>`. `confirmed` codes count in the report; `rejected` keeps a suggestion
-- someone turned down from being suggested again. Who set it and when; every change is
-- also a line in the audit log. Deleting a respondent deletes their codes.
CREATE TABLE answer_codes (
    survey_id     BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    respondent_id BIGINT NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
    question_key  TEXT NOT NULL,
    code          TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('confirmed', 'rejected')),
    set_by        TEXT NOT NULL,
    set_at        BIGINT NOT NULL,
    PRIMARY KEY (respondent_id, question_key, code)
);
CREATE INDEX answer_codes_by_survey ON answer_codes (survey_id, status);

-- Keywords of a brand's stated value, one per line, in each language (edited on the brand
-- page); they suggest the value as a code for answers nobody has coded yet.
CREATE TABLE value_keywords (
    brand_id    BIGINT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
    value_key   TEXT NOT NULL,
    keywords_vi TEXT NOT NULL,
    keywords_en TEXT NOT NULL,
    PRIMARY KEY (brand_id, value_key)
);

-- Masking of e-mail addresses and phone numbers in shown and exported text is on unless a
-- row here says an admin turned it off for the survey.
CREATE TABLE text_masking (
    survey_id BIGINT PRIMARY KEY REFERENCES surveys(id) ON DELETE CASCADE,
    masked    BIGINT NOT NULL,
    set_by    TEXT NOT NULL,
    set_at    BIGINT NOT NULL
);
