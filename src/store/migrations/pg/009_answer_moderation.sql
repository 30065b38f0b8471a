-- Answers can be removed by moderators through the public log (SQLite's migration 016).
ALTER TABLE answers ADD COLUMN status text NOT NULL DEFAULT 'ok'
    CHECK (status IN ('ok', 'removed'));
ALTER TABLE modlog DROP CONSTRAINT modlog_target_check;
ALTER TABLE modlog ADD CONSTRAINT modlog_target_check
    CHECK (target IN ('item', 'comment', 'user', 'answer'));
