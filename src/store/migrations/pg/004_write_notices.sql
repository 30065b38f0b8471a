-- Every commit that changes what a page shows tells the other nodes: a statement-level
-- trigger on each such table notifies channel guild_writes, which PostgreSQL delivers at
-- commit (once a transaction, however many statements) to each node's listening connection
-- (pool.c), whose page and list caches then drop what they hold. Not sessions, leases,
-- outbox, search_progress or password_resets: no page shows them.
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
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION guild_notify_write()',
                       t || '_notify', t);
    END LOOP;
END $$;
