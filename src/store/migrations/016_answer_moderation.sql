-- Answers can be removed by moderators (a group's, or the site's), through the public log:
-- answers get a status, and the log's target may be an answer. The log's CHECK constraint
-- is loosened the way migration 014 loosened the items' kinds (the runner then bumps
-- schema_version); the answers' column comes first, while the schema text is as parsed.
ALTER TABLE answers ADD COLUMN status TEXT NOT NULL DEFAULT 'ok'
    CHECK (status IN ('ok', 'removed'));
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (target IN (''item'', ''comment'', ''user''))',
                     'CHECK (target IN (''item'', ''comment'', ''user'', ''answer''))')
 WHERE type = 'table' AND name = 'modlog';
PRAGMA writable_schema = OFF;
