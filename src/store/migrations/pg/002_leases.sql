-- Duties that exactly one `guild serve` process performs at a time (SQLite migration 011).
CREATE TABLE leases (
    name text PRIMARY KEY,
    holder text NOT NULL,
    expires_at bigint NOT NULL,
    poked integer NOT NULL DEFAULT 0
);
