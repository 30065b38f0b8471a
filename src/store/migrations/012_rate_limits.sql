-- Rate limits kept in the database, so that several `guild serve` processes share one budget
-- per address and account (src/app/limits.c; used on PostgreSQL, where several machines
-- serve one guild). A fixed window per (limiter, key): it starts at the first counted attempt.
CREATE TABLE rate_limits (
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (name, key)
);
CREATE INDEX rate_limits_window ON rate_limits(window_start);
