-- Invitations by e-mail: a brand's contacts, the addresses that unsubscribed, and the
-- queue of messages (one row per invitation or reminder) that any instance may send.

-- Only what sending needs: the address (lower case), a name for the greeting, the
-- language of the message, and the segment answers the upload carried (JSON object).
-- `unsubscribe_hash` is the SHA-256 of the contact's unsubscribe token (the token is
-- derived from a server secret and the address, so a re-upload gets the same link).
CREATE TABLE contacts (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id         BIGINT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
    email            TEXT NOT NULL,
    name             TEXT NOT NULL,
    locale           TEXT NOT NULL CHECK (locale IN ('vi', 'en')),
    segments         TEXT NOT NULL,
    unsubscribe_hash TEXT NOT NULL UNIQUE,
    created_at       BIGINT NOT NULL,
    UNIQUE (brand_id, email)
);

-- Unsubscribed addresses, per brand, apart from the contacts: deleting a contact or
-- uploading the address again does not undo an unsubscribe.
CREATE TABLE unsubscribes (
    brand_id BIGINT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
    email    TEXT NOT NULL,
    at       BIGINT NOT NULL,
    PRIMARY KEY (brand_id, email)
);

-- The queue. `status`: queued (waiting for `not_before`), sending (claimed by an
-- instance until `claimed_until`), sent, failed (permanent SMTP error or attempts used
-- up), cancelled (unsubscribed or completed before a reminder went out).
-- `seq` 0 is the invitation, 1 and 2 the reminders (at most two).
CREATE TABLE mail_messages (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id      BIGINT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
    survey_id     BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    contact_id    BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL CHECK (seq BETWEEN 0 AND 2),
    invite_hash   TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'cancelled')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    not_before    BIGINT NOT NULL,
    claimed_until BIGINT,
    claimed_by    TEXT,
    queued_at     BIGINT NOT NULL,
    sent_at       BIGINT,
    last_error    TEXT,
    UNIQUE (survey_id, contact_id, seq)
);
CREATE INDEX mail_messages_due ON mail_messages (status, not_before);
CREATE INDEX mail_messages_by_contact ON mail_messages (contact_id, queued_at);
CREATE INDEX mail_messages_sent ON mail_messages (sent_at);
