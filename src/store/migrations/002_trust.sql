-- 002: the trust-weighted ranking. Seed members anchor trust (admins are seeds to begin with);
-- each member's trust and voting cluster are written by the ranker; opens remember whether
-- the member came from one of the site's own lists; votes whether they came from outside.
ALTER TABLE users ADD COLUMN seed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN trust REAL NOT NULL DEFAULT 0;
UPDATE users SET seed = 1 WHERE role = 'admin';
ALTER TABLE opens ADD COLUMN inside INTEGER NOT NULL DEFAULT 1;
ALTER TABLE votes ADD COLUMN outside INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN estimate REAL NOT NULL DEFAULT 0.5;
