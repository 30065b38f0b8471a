-- 001: members, invitations, sessions, API tokens, items (links and blogs), votes, opens,
-- comments. Counters on items and comments are kept by triggers so they always agree with rows.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    handle TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    pw_hash TEXT NOT NULL,
    affiliation TEXT NOT NULL DEFAULT '',
    domain TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin')),
    invited_by INTEGER REFERENCES users(id),
    invites_left INTEGER NOT NULL DEFAULT 5,
    created_at INTEGER NOT NULL
);
CREATE INDEX users_invited_by ON users(invited_by);

CREATE TABLE invites (
    code TEXT PRIMARY KEY,
    by_user INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    used_by INTEGER REFERENCES users(id),
    used_at INTEGER
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);

CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('link', 'blog')),
    url TEXT NOT NULL,
    canon_url TEXT NOT NULL,
    domain TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    feed_url TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    user_id INTEGER NOT NULL REFERENCES users(id),
    own_org INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    ups INTEGER NOT NULL DEFAULT 0,
    downs INTEGER NOT NULL DEFAULT 0,
    ncomments INTEGER NOT NULL DEFAULT 0,
    score REAL NOT NULL DEFAULT 0,
    hot REAL NOT NULL DEFAULT 0,
    explain TEXT NOT NULL DEFAULT '',
    ranked_at INTEGER NOT NULL DEFAULT 0,
    UNIQUE (kind, canon_url)
);
CREATE INDEX items_kind_hot ON items(kind, hot DESC);
CREATE INDEX items_kind_new ON items(kind, created_at DESC);
CREATE INDEX items_kind_score ON items(kind, score DESC);
CREATE INDEX items_user ON items(user_id, created_at DESC);

CREATE TABLE opens (
    user_id INTEGER NOT NULL REFERENCES users(id),
    item_id INTEGER NOT NULL REFERENCES items(id),
    first_at INTEGER NOT NULL,
    count INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (user_id, item_id)
) WITHOUT ROWID;

CREATE TABLE votes (
    user_id INTEGER NOT NULL REFERENCES users(id),
    item_id INTEGER NOT NULL REFERENCES items(id),
    value INTEGER NOT NULL CHECK (value IN (-1, 1)),
    reason TEXT NOT NULL DEFAULT '',
    opened INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, item_id)
) WITHOUT ROWID;
CREATE INDEX votes_item ON votes(item_id);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    parent_id INTEGER REFERENCES comments(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    edited_at INTEGER,
    deleted INTEGER NOT NULL DEFAULT 0,
    ups INTEGER NOT NULL DEFAULT 0,
    downs INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX comments_item ON comments(item_id, id);
CREATE INDEX comments_user ON comments(user_id, id);

CREATE TABLE comment_votes (
    user_id INTEGER NOT NULL REFERENCES users(id),
    comment_id INTEGER NOT NULL REFERENCES comments(id),
    value INTEGER NOT NULL CHECK (value IN (-1, 1)),
    reason TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, comment_id)
) WITHOUT ROWID;

CREATE TRIGGER votes_ins AFTER INSERT ON votes BEGIN
    UPDATE items SET ups = ups + (NEW.value = 1), downs = downs + (NEW.value = -1)
    WHERE id = NEW.item_id;
END;
CREATE TRIGGER votes_del AFTER DELETE ON votes BEGIN
    UPDATE items SET ups = ups - (OLD.value = 1), downs = downs - (OLD.value = -1)
    WHERE id = OLD.item_id;
END;
CREATE TRIGGER votes_upd AFTER UPDATE OF value ON votes BEGIN
    UPDATE items SET ups = ups - (OLD.value = 1) + (NEW.value = 1),
                     downs = downs - (OLD.value = -1) + (NEW.value = -1)
    WHERE id = NEW.item_id;
END;
CREATE TRIGGER cvotes_ins AFTER INSERT ON comment_votes BEGIN
    UPDATE comments SET ups = ups + (NEW.value = 1), downs = downs + (NEW.value = -1)
    WHERE id = NEW.comment_id;
END;
CREATE TRIGGER cvotes_del AFTER DELETE ON comment_votes BEGIN
    UPDATE comments SET ups = ups - (OLD.value = 1), downs = downs - (OLD.value = -1)
    WHERE id = OLD.comment_id;
END;
CREATE TRIGGER cvotes_upd AFTER UPDATE OF value ON comment_votes BEGIN
    UPDATE comments SET ups = ups - (OLD.value = 1) + (NEW.value = 1),
                        downs = downs - (OLD.value = -1) + (NEW.value = -1)
    WHERE id = NEW.comment_id;
END;
CREATE TRIGGER comments_ins AFTER INSERT ON comments BEGIN
    UPDATE items SET ncomments = ncomments + 1 WHERE id = NEW.item_id;
END;
CREATE TRIGGER comments_deleted AFTER UPDATE OF deleted ON comments
WHEN NEW.deleted = 1 AND OLD.deleted = 0 BEGIN
    UPDATE items SET ncomments = ncomments - 1 WHERE id = NEW.item_id;
END;
