-- Duties that exactly one `guild serve` process performs at a time (the ranker's full
-- recomputes, the feed fetcher): a lease its holder renews every second and that another
-- process may take once it has expired. poked asks the holder for a recompute soon (a vote on
-- a node that does not hold the lease).
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    poked INTEGER NOT NULL DEFAULT 0
);
