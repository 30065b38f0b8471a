-- Relationships (issue 16): following (one way, no permission, no trust), connecting (mutual,
-- by request and acceptance: a trust edge for the ranker), endorsements of a connection for a
-- topic (also a trust edge), reshares with commentary, direct messages with the form-message
-- check, suggestions a member dismissed, and notifications that say what kind they are.
CREATE TABLE follows (
    follower_id INTEGER NOT NULL REFERENCES users(id),
    followee_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (follower_id, followee_id),
    CHECK (follower_id <> followee_id)
) WITHOUT ROWID;
CREATE INDEX follows_followee ON follows(followee_id, created_at);

CREATE TABLE blog_follows (
    follower_id INTEGER NOT NULL REFERENCES users(id),
    item_id INTEGER NOT NULL REFERENCES items(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (follower_id, item_id)
) WITHOUT ROWID;
CREATE INDEX blog_follows_item ON blog_follows(item_id);

-- One row per pair, whoever asked: requester_id asked target_id. state pending, accepted or
-- declined (a declined request cannot be repeated for a while: no request spam).
CREATE TABLE connections (
    requester_id INTEGER NOT NULL REFERENCES users(id),
    target_id INTEGER NOT NULL REFERENCES users(id),
    state TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'declined')),
    created_at INTEGER NOT NULL,
    decided_at INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (requester_id, target_id),
    CHECK (requester_id <> target_id)
) WITHOUT ROWID;
CREATE INDEX connections_target ON connections(target_id, state);

CREATE TABLE endorsements (
    from_id INTEGER NOT NULL REFERENCES users(id),
    to_id INTEGER NOT NULL REFERENCES users(id),
    topic TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (from_id, to_id, topic)
) WITHOUT ROWID;
CREATE INDEX endorsements_to ON endorsements(to_id);

CREATE TABLE reshares (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    item_id INTEGER NOT NULL REFERENCES items(id),
    commentary TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX reshares_user ON reshares(user_id, created_at);

-- fingerprint: a hash of the text without names, handles, URLs and numbers (the same
-- template sent to many reads the same); form: shown to the recipient as a form message.
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    from_id INTEGER NOT NULL REFERENCES users(id),
    to_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    fingerprint TEXT NOT NULL DEFAULT '',
    form INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    read INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX messages_to ON messages(to_id, created_at);
CREATE INDEX messages_from ON messages(from_id, created_at);

CREATE TABLE message_mutes (
    user_id INTEGER NOT NULL REFERENCES users(id),
    muted_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, muted_id)
) WITHOUT ROWID;

CREATE TABLE suggestion_dismissals (
    user_id INTEGER NOT NULL REFERENCES users(id),
    dismissed_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, dismissed_id)
) WITHOUT ROWID;

-- A member's visits to /home: seen_at, their last look; prev_at, the last look before the
-- current visit began (a visit ends after 30 minutes away). Not in users: a look at the
-- timeline is not a change to who the member is (no session cache ends for it).
CREATE TABLE home_visits (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    seen_at INTEGER NOT NULL,
    prev_at INTEGER NOT NULL DEFAULT 0
);

-- influence: the published formula (docs/influence.md), written by the ranker's full run.
-- allow_messages: anyone may message the member, not only connections.
ALTER TABLE users ADD COLUMN influence REAL NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN allow_messages INTEGER NOT NULL DEFAULT 0;

-- kind: moderation (the older notices), follow, connect_request, connect_accept, endorse,
-- mention, reply, message; from_id: who did it; ref_id: the comment, item or message.
ALTER TABLE notifications ADD COLUMN kind TEXT NOT NULL DEFAULT 'moderation';
ALTER TABLE notifications ADD COLUMN from_id INTEGER REFERENCES users(id);
ALTER TABLE notifications ADD COLUMN ref_id INTEGER NOT NULL DEFAULT 0;
