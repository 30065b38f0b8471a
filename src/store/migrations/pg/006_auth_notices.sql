-- A write notice says whether it is about who a session or an API token belongs to (users,
-- sessions, api_tokens): payload 'auth', else ''. Each node keeps signed-in members in a
-- cache (src/store/authcache.c) that only these end; a vote or a comment, which every page
-- cache must hear of, no longer sends every node back to the database for each request's
-- member. PostgreSQL folds equal notices of one transaction into one: two at most.
CREATE OR REPLACE FUNCTION guild_notify_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('guild_writes',
                      CASE WHEN TG_TABLE_NAME IN ('users', 'sessions', 'api_tokens')
                           THEN 'auth' ELSE '' END);
    RETURN NULL;
END $$;
