-- 010: "forgot password". A reset link's token is stored hashed, like sessions; it expires
-- after an hour and every one of a member's links ends when the password is set.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    expires_at INTEGER NOT NULL
);
CREATE INDEX password_resets_user ON password_resets(user_id);
