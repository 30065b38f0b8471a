-- 017: what readers did (opens, reads and click-throughs by source, saves) kept for authors'
-- aggregate statistics, subscribers by mail, consents to be contacted and every export of a
-- contact, webhooks and their deliveries, verified blog owners, deleted accounts.

-- "save for later", a member's own list
CREATE TABLE saves (
    user_id INTEGER NOT NULL REFERENCES users(id),
    item_id INTEGER NOT NULL REFERENCES items(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, item_id)
) WITHOUT ROWID;
CREATE INDEX saves_item ON saves(item_id);

-- One row per reader, post, kind, source and day. reader is 'u' || member id, 'v' || a daily
-- visitor hash (no address is stored), or NULL for a logged-out reader who sent Sec-GPC: 1
-- (counted, never told apart). entry_id is a monitored blog's entry (item_id 0), or 0.
CREATE TABLE reader_events (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL DEFAULT 0,
    entry_id INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL CHECK (kind IN ('open', 'read')),
    source TEXT NOT NULL CHECK (source IN ('front', 'new', 'digest', 'river', 'search',
                                           'outside', 'mail', 'site')),
    reader TEXT,
    user_id INTEGER REFERENCES users(id),
    day INTEGER NOT NULL,
    at INTEGER NOT NULL
);
CREATE UNIQUE INDEX reader_events_once ON reader_events(item_id, entry_id, kind, source, reader, day);
CREATE INDEX reader_events_entry ON reader_events(entry_id) WHERE entry_id <> 0;
CREATE INDEX reader_events_user ON reader_events(user_id) WHERE user_id IS NOT NULL;

-- vendor, buyer or independent ('' = not said: independent without an affiliation)
ALTER TABLE users ADD COLUMN org_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN org_admin INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN deleted_at INTEGER NOT NULL DEFAULT 0;
-- what a blog owner publishes at /.well-known/guild-verify.txt ('' until asked for)
ALTER TABLE users ADD COLUMN verify_token TEXT NOT NULL DEFAULT '';

CREATE TABLE blog_owners (
    user_id INTEGER NOT NULL REFERENCES users(id),
    item_id INTEGER NOT NULL REFERENCES items(id),
    verified_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, item_id)
) WITHOUT ROWID;

-- a member's permission for an organisation (its domain) to contact them; withdrawn_at ends it
CREATE TABLE contact_consents (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    org TEXT NOT NULL COLLATE NOCASE,
    granted_at INTEGER NOT NULL,
    withdrawn_at INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX contact_consents_current ON contact_consents(user_id, org) WHERE withdrawn_at = 0;
CREATE INDEX contact_consents_org ON contact_consents(org) WHERE withdrawn_at = 0;

CREATE TABLE lead_exports (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    org TEXT NOT NULL,
    by_user INTEGER REFERENCES users(id),
    how TEXT NOT NULL CHECK (how IN ('csv', 'webhook')),
    at INTEGER NOT NULL
);
CREATE INDEX lead_exports_user ON lead_exports(user_id);

CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    owner_id INTEGER NOT NULL REFERENCES users(id),
    org TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    webhook_id INTEGER NOT NULL REFERENCES webhooks(id),
    event TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_status INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    delivered_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE status = 'queued';
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(webhook_id, id);

-- sign-up in one field: the digest ('digest', ''), a blog's entries ('blog', item id) or a
-- saved search ('search', query); token confirms and unsubscribes without a login
CREATE TABLE subscribers (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL COLLATE NOCASE,
    name TEXT NOT NULL DEFAULT '',
    what TEXT NOT NULL CHECK (what IN ('digest', 'blog', 'search')),
    target TEXT NOT NULL DEFAULT '',
    token TEXT NOT NULL UNIQUE,
    confirmed_at INTEGER NOT NULL DEFAULT 0,
    unsubscribed_at INTEGER NOT NULL DEFAULT 0,
    last_sent_at INTEGER NOT NULL DEFAULT 0,
    checked_at INTEGER NOT NULL DEFAULT 0, -- a blog's or search's last look for news
    created_at INTEGER NOT NULL,
    UNIQUE (email, what, target)
);
CREATE INDEX subscribers_due ON subscribers(what, checked_at) WHERE confirmed_at > 0 AND unsubscribed_at = 0;

-- the one-click unsubscribe address a mail carries ('' for a member's own mail)
ALTER TABLE outbox ADD COLUMN unsubscribe TEXT NOT NULL DEFAULT '';
