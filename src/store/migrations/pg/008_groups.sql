-- Groups (issue 17), the same schema as SQLite's migration 014: groups and their members,
-- questions and ideas as items of their own kinds, answers and their votes, idea status
-- events, competitions, judges and their scores. Every table a page shows notifies the other
-- nodes (migration 004's trigger).
ALTER TABLE items DROP CONSTRAINT items_kind_check;
ALTER TABLE items ADD CONSTRAINT items_kind_check
    CHECK (kind IN ('link', 'blog', 'question', 'idea'));

CREATE TABLE groups (
    id bigserial PRIMARY KEY,
    slug text NOT NULL UNIQUE,
    name text NOT NULL,
    description text NOT NULL DEFAULT '',
    membership text NOT NULL CHECK (membership IN ('open', 'request', 'invite')),
    org_domain text NOT NULL DEFAULT '',
    customers text NOT NULL DEFAULT '',
    customers_only integer NOT NULL DEFAULT 0,
    vote_budget integer NOT NULL DEFAULT 10,
    created_by bigint NOT NULL REFERENCES users(id),
    created_at bigint NOT NULL
);

CREATE TABLE group_members (
    group_id bigint NOT NULL REFERENCES groups(id),
    user_id bigint NOT NULL REFERENCES users(id),
    role text NOT NULL CHECK (role IN ('member', 'customer', 'moderator')),
    state text NOT NULL CHECK (state IN ('active', 'pending', 'invited')),
    created_at bigint NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members(user_id);

ALTER TABLE items ADD COLUMN group_id bigint REFERENCES groups(id);
ALTER TABLE items ADD COLUMN idea_status text NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN accepted_answer bigint NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN competition_id bigint NOT NULL DEFAULT 0;
CREATE INDEX items_group ON items(group_id, kind, created_at DESC) WHERE group_id IS NOT NULL;

CREATE TABLE answers (
    id bigserial PRIMARY KEY,
    item_id bigint NOT NULL REFERENCES items(id),
    user_id bigint NOT NULL REFERENCES users(id),
    body text NOT NULL,
    created_at bigint NOT NULL,
    ups integer NOT NULL DEFAULT 0,
    downs integer NOT NULL DEFAULT 0
);
CREATE INDEX answers_item ON answers(item_id);

CREATE TABLE answer_votes (
    answer_id bigint NOT NULL REFERENCES answers(id),
    user_id bigint NOT NULL REFERENCES users(id),
    value integer NOT NULL CHECK (value IN (-1, 1)),
    reason text NOT NULL DEFAULT '',
    opened integer NOT NULL DEFAULT 0,
    created_at bigint NOT NULL,
    PRIMARY KEY (answer_id, user_id)
);

CREATE FUNCTION guild_answer_vote_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE answers SET ups = ups - (OLD.value = 1)::int,
                           downs = downs - (OLD.value = -1)::int
        WHERE id = OLD.answer_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE answers SET ups = ups + (NEW.value = 1)::int,
                           downs = downs + (NEW.value = -1)::int
        WHERE id = NEW.answer_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER avotes_counts AFTER INSERT OR DELETE OR UPDATE OF value ON answer_votes
    FOR EACH ROW EXECUTE FUNCTION guild_answer_vote_counts();

CREATE TABLE idea_events (
    id bigserial PRIMARY KEY,
    item_id bigint NOT NULL REFERENCES items(id),
    status text NOT NULL,
    reason text NOT NULL,
    actor_id bigint NOT NULL REFERENCES users(id),
    into_id bigint NOT NULL DEFAULT 0,
    at bigint NOT NULL
);
CREATE INDEX idea_events_item ON idea_events(item_id, id);

CREATE TABLE competitions (
    id bigserial PRIMARY KEY,
    group_id bigint NOT NULL REFERENCES groups(id),
    title text NOT NULL,
    rules text NOT NULL DEFAULT '',
    entry_start bigint NOT NULL,
    entry_end bigint NOT NULL,
    vote_start bigint NOT NULL,
    vote_end bigint NOT NULL,
    voters text NOT NULL CHECK (voters IN ('members', 'customers')),
    judge_weight double precision NOT NULL DEFAULT 0,
    created_by bigint NOT NULL REFERENCES users(id),
    created_at bigint NOT NULL
);
CREATE INDEX competitions_group ON competitions(group_id);

CREATE TABLE competition_judges (
    competition_id bigint NOT NULL REFERENCES competitions(id),
    user_id bigint NOT NULL REFERENCES users(id),
    PRIMARY KEY (competition_id, user_id)
);

CREATE TABLE judge_scores (
    item_id bigint NOT NULL REFERENCES items(id),
    judge_id bigint NOT NULL REFERENCES users(id),
    score double precision NOT NULL CHECK (score >= 0 AND score <= 10),
    created_at bigint NOT NULL,
    PRIMARY KEY (item_id, judge_id)
);

ALTER TABLE modlog ADD COLUMN group_id bigint NOT NULL DEFAULT 0;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['groups', 'group_members', 'answers', 'answer_votes', 'idea_events',
                             'competitions', 'competition_judges', 'judge_scores'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION guild_notify_write()',
                       t || '_notify', t);
    END LOOP;
END $$;
