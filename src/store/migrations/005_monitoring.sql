-- 005: monitoring. Every blog in the directory has a feed the fetcher polls; its posts are
-- entries. One full-text index (FTS5) covers entries, links/blogs and comments; saved
-- searches are matched against entries as they are stored (hits), and alerts go out by
-- webhook or mail (outbox). Subscriptions are a member's own reading list (OPML import).

CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL UNIQUE REFERENCES items(id), -- the blog in the directory
    url TEXT NOT NULL,             -- the feed's address (after permanent redirects)
    discover INTEGER NOT NULL DEFAULT 0, -- url is the blog's page: find the feed in it first
    moved_from TEXT NOT NULL DEFAULT '', -- the address before a permanent redirect
    status TEXT NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'ok', 'not-modified', 'failing', 'gone')),
    http_status INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    errors INTEGER NOT NULL DEFAULT 0, -- consecutive failures (backoff exponent)
    etag TEXT NOT NULL DEFAULT '',          -- echoed exactly as received
    last_modified TEXT NOT NULL DEFAULT '', -- echoed exactly; never one from the future
    title TEXT NOT NULL DEFAULT '',
    next_check_at INTEGER NOT NULL DEFAULT 0,
    last_checked_at INTEGER NOT NULL DEFAULT 0,
    last_ok_at INTEGER NOT NULL DEFAULT 0,
    entries INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX feeds_due ON feeds(next_check_at) WHERE status != 'gone';

CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    feed_id INTEGER NOT NULL REFERENCES feeds(id),
    dedupe_key TEXT NOT NULL,      -- "id:<guid>", "link:<canonical url>" or "hash:<content>"
    content_hash TEXT NOT NULL,    -- an update replaces the entry only when this changes
    url TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '', -- plain text
    summary_html TEXT NOT NULL DEFAULT '', -- sanitised
    content_html TEXT NOT NULL DEFAULT '', -- sanitised
    text TEXT NOT NULL DEFAULT '', -- plain text of the body, for search and snippets
    author TEXT NOT NULL DEFAULT '',
    published_at INTEGER NOT NULL, -- the feed's date, else when first seen
    updated_at INTEGER NOT NULL DEFAULT 0,
    fetched_at INTEGER NOT NULL,
    UNIQUE (feed_id, dedupe_key)
);
CREATE INDEX entries_river ON entries(published_at DESC, id DESC);
CREATE INDEX entries_feed ON entries(feed_id, published_at DESC);

-- rowid = kind * 2^40 + id (kind 1 entry, 2 item, 3 comment): deletes and updates go by rowid,
-- and each kind is one rowid range, so a search can read the newest matches of each kind
-- without walking the others
CREATE VIRTUAL TABLE search_index USING fts5(title, body, tokenize = 'porter unicode61');

CREATE TRIGGER entries_ai AFTER INSERT ON entries BEGIN
    INSERT INTO search_index(rowid, title, body) VALUES (1 * 1099511627776 + new.id, new.title, new.text);
END;
CREATE TRIGGER entries_au AFTER UPDATE OF title, text ON entries BEGIN
    DELETE FROM search_index WHERE rowid = 1 * 1099511627776 + old.id;
    INSERT INTO search_index(rowid, title, body) VALUES (1 * 1099511627776 + new.id, new.title, new.text);
END;
CREATE TRIGGER entries_ad AFTER DELETE ON entries BEGIN
    DELETE FROM search_index WHERE rowid = 1 * 1099511627776 + old.id;
END;
CREATE TRIGGER items_search_ai AFTER INSERT ON items BEGIN
    INSERT INTO search_index(rowid, title, body) VALUES (2 * 1099511627776 + new.id, new.title, new.body);
END;
CREATE TRIGGER items_search_au AFTER UPDATE OF title, body ON items BEGIN
    DELETE FROM search_index WHERE rowid = 2 * 1099511627776 + old.id;
    INSERT INTO search_index(rowid, title, body) VALUES (2 * 1099511627776 + new.id, new.title, new.body);
END;
CREATE TRIGGER comments_search_ai AFTER INSERT ON comments BEGIN
    INSERT INTO search_index(rowid, title, body) VALUES (3 * 1099511627776 + new.id, '', new.body);
END;
CREATE TRIGGER comments_search_au AFTER UPDATE OF body, deleted ON comments BEGIN
    DELETE FROM search_index WHERE rowid = 3 * 1099511627776 + old.id;
    INSERT INTO search_index(rowid, title, body)
        SELECT 3 * 1099511627776 + new.id, '', new.body WHERE new.deleted = 0;
END;
INSERT INTO search_index(rowid, title, body) SELECT 2 * 1099511627776 + id, title, body FROM items;
INSERT INTO search_index(rowid, title, body)
    SELECT 3 * 1099511627776 + id, '', body FROM comments WHERE deleted = 0;

CREATE TABLE saved_searches (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    token TEXT NOT NULL UNIQUE,    -- the secret in the search's Atom feed address
    query TEXT NOT NULL,           -- as the member typed it
    match TEXT NOT NULL,           -- the FTS5 expression built from it
    alert TEXT NOT NULL DEFAULT 'none'
        CHECK (alert IN ('none', 'email', 'email-daily', 'webhook')),
    webhook_url TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    last_alert_at INTEGER NOT NULL DEFAULT 0,
    last_alert_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX saved_searches_user ON saved_searches(user_id, position, id);

CREATE TABLE search_hits (
    search_id INTEGER NOT NULL REFERENCES saved_searches(id) ON DELETE CASCADE,
    entry_id INTEGER NOT NULL REFERENCES entries(id),
    created_at INTEGER NOT NULL,
    alerted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (search_id, entry_id)
);
CREATE INDEX search_hits_pending ON search_hits(alerted, search_id) WHERE alerted = 0;

CREATE TABLE subscriptions (
    user_id INTEGER NOT NULL REFERENCES users(id),
    feed_id INTEGER NOT NULL REFERENCES feeds(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, feed_id)
);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    sent_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_queued ON outbox(next_attempt_at) WHERE status = 'queued';

ALTER TABLE users ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 0;
-- the secret in the confirmation link mailed at sign-up ('' once confirmed)
ALTER TABLE users ADD COLUMN email_token TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN digest_email INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN digest_sent_on TEXT NOT NULL DEFAULT '';
