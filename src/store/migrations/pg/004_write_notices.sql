-- Every commit that changes what a page shows, or who a session belongs to, tells the other
-- nodes: a row-level trigger on each such table notifies channel guild_writes, which
-- PostgreSQL delivers at commit (once a transaction, however many rows) to each node's
-- listening connection (pool.c), whose page, list and session caches then drop what they hold.
-- Row-level, so that a statement that changes nothing (a repeated open, ON CONFLICT DO
-- NOTHING) tells nobody. Sessions notify when deleted (a sign-out must end the session on
-- every node), not when created. Not leases, outbox, search_progress, password_resets or
-- rate_limits: no page shows them.
CREATE FUNCTION guild_notify_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('guild_writes', '');
    RETURN NULL;
END $$;
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'invites', 'api_tokens', 'items', 'opens', 'votes',
                             'comments', 'comment_votes', 'flags', 'modlog', 'notifications',
                             'feeds', 'entries', 'saved_searches', 'search_hits',
                             'subscriptions', 'site_settings'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION guild_notify_write()',
                       t || '_notify', t);
    END LOOP;
END $$;
CREATE TRIGGER sessions_notify AFTER DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION guild_notify_write();
