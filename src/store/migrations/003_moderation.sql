-- 003: moderation. Items and comments have a status (ok, queued: hidden from lists until a
-- moderator decides, removed, merged into another item); members can be suspended, banned or
-- lose invite rights. Flags carry the flagger's trust as weight. Every moderator action is a
-- row of the public log holding the exact field changes it made, so undoing it restores
-- exactly what was there.
ALTER TABLE items ADD COLUMN status TEXT NOT NULL DEFAULT 'ok'
    CHECK (status IN ('ok', 'queued', 'removed', 'merged'));
ALTER TABLE items ADD COLUMN queue_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN authored INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN merged_into INTEGER REFERENCES items(id);
ALTER TABLE items ADD COLUMN flags_cleared_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN status TEXT NOT NULL DEFAULT 'ok'
    CHECK (status IN ('ok', 'queued', 'removed'));
ALTER TABLE comments ADD COLUMN queue_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN flags_cleared_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN suspended_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN banned INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN can_invite INTEGER NOT NULL DEFAULT 1;
CREATE INDEX items_status ON items(status) WHERE status != 'ok';
CREATE INDEX comments_status ON comments(status) WHERE status != 'ok';

CREATE TABLE flags (
    target TEXT NOT NULL CHECK (target IN ('item', 'comment')),
    target_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    weight REAL NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (target, target_id, user_id)
) WITHOUT ROWID;
CREATE INDEX flags_user ON flags(user_id, created_at);

CREATE TABLE modlog (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    moderator_id INTEGER NOT NULL REFERENCES users(id),
    action TEXT NOT NULL,
    target TEXT NOT NULL CHECK (target IN ('item', 'comment', 'user')),
    target_id INTEGER NOT NULL,
    reason TEXT NOT NULL,
    changes TEXT NOT NULL DEFAULT '[]', -- JSON: [{"field", "id", "old", "new"}]
    undoes INTEGER REFERENCES modlog(id),
    undone_by INTEGER REFERENCES modlog(id)
);
CREATE INDEX modlog_target ON modlog(target, target_id);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    at INTEGER NOT NULL,
    text TEXT NOT NULL,
    seen INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notifications_user ON notifications(user_id, id);
