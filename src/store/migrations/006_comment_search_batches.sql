-- 006: comments reach the search index in batches (store_search_index_comments, about once
-- a second from the pool's checkpointer thread) instead of in the transaction that stores
-- each comment: indexing one comment per transaction wrote a new FTS5 segment each time and
-- halved the rate at which comments could be posted (2,700 -> 5,400 a second without it, on
-- the benchmark guild). search_progress says how far the index has come; an edit or deletion
-- of a comment not indexed yet leaves the index alone (the batch reads the comment as it is).
DROP TRIGGER comments_search_ai;
DROP TRIGGER comments_search_au;
CREATE TABLE search_progress (
    kind TEXT PRIMARY KEY,
    last_id INTEGER NOT NULL
);
INSERT INTO search_progress (kind, last_id) VALUES ('comment', (SELECT coalesce(max(id), 0) FROM comments));
CREATE TRIGGER comments_search_au AFTER UPDATE OF body, deleted ON comments
WHEN old.id <= (SELECT last_id FROM search_progress WHERE kind = 'comment') BEGIN
    DELETE FROM search_index WHERE rowid = 3 * 1099511627776 + old.id;
    INSERT INTO search_index(rowid, title, body)
        SELECT 3 * 1099511627776 + new.id, '', new.body WHERE new.deleted = 0;
END;
