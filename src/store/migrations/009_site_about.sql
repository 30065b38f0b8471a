-- 009: what the guild is for, in the admins' words: shown to logged-out visitors on the front
-- page and as the subtitle of the Atom feeds. One row per setting.
CREATE TABLE site_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
