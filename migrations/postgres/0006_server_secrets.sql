-- Secrets every instance shares, made once by the first start (Store::server_secret):
-- `resume_tokens` keys the HMAC that turns a start form's nonce into a respondent's resume
-- token, so the server, not the client, makes every resume token.
CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
