-- Rate limits shared by every node (SQLite migration 012). No write notice: no page shows them.
CREATE TABLE rate_limits (
    name text NOT NULL,
    key text NOT NULL,
    window_start bigint NOT NULL,
    count integer NOT NULL,
    PRIMARY KEY (name, key)
);
CREATE INDEX rate_limits_window ON rate_limits(window_start);
