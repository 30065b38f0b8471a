-- Groups (issue 17): communities of practice with questions and answers, idea portals that
-- customers vote on, and competitions. Questions and ideas are items of their own kinds,
-- posted in a group; group posts stay off the site-wide lists.
-- (Their kinds came with migration 014.)

CREATE TABLE groups (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    membership TEXT NOT NULL CHECK (membership IN ('open', 'request', 'invite')),
    org_domain TEXT NOT NULL DEFAULT '',  -- the organisation that runs it: its members' votes
                                          -- on the group's ideas count nothing
    customers TEXT NOT NULL DEFAULT '',   -- affiliations or domains whose members are customers
    customers_only INTEGER NOT NULL DEFAULT 0, -- only customers vote on ideas
    vote_budget INTEGER NOT NULL DEFAULT 10,   -- open idea votes per voter
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);

-- role member, customer (a voter an idea portal may require) or moderator; state active,
-- pending (asked to join a request group) or invited (asked by a moderator of an invite group)
CREATE TABLE group_members (
    group_id INTEGER NOT NULL REFERENCES groups(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL CHECK (role IN ('member', 'customer', 'moderator')),
    state TEXT NOT NULL CHECK (state IN ('active', 'pending', 'invited')),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX group_members_user ON group_members(user_id);

ALTER TABLE items ADD COLUMN group_id INTEGER REFERENCES groups(id);
-- ideas: submitted, open, planned, started, completed, declined, merged ('' otherwise)
ALTER TABLE items ADD COLUMN idea_status TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN accepted_answer INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN competition_id INTEGER NOT NULL DEFAULT 0;
CREATE INDEX items_group ON items(group_id, kind, created_at DESC) WHERE group_id IS NOT NULL;

CREATE TABLE answers (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    ups INTEGER NOT NULL DEFAULT 0,
    downs INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX answers_item ON answers(item_id);

-- opened: the voter had read the question (its page) before voting
CREATE TABLE answer_votes (
    answer_id INTEGER NOT NULL REFERENCES answers(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    value INTEGER NOT NULL CHECK (value IN (-1, 1)),
    reason TEXT NOT NULL DEFAULT '',
    opened INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (answer_id, user_id)
) WITHOUT ROWID;
CREATE TRIGGER avotes_ins AFTER INSERT ON answer_votes BEGIN
    UPDATE answers SET ups = ups + (NEW.value = 1), downs = downs + (NEW.value = -1)
     WHERE id = NEW.answer_id;
END;
CREATE TRIGGER avotes_del AFTER DELETE ON answer_votes BEGIN
    UPDATE answers SET ups = ups - (OLD.value = 1), downs = downs - (OLD.value = -1)
     WHERE id = OLD.answer_id;
END;
CREATE TRIGGER avotes_upd AFTER UPDATE OF value ON answer_votes BEGIN
    UPDATE answers SET ups = ups - (OLD.value = 1) + (NEW.value = 1),
                       downs = downs - (OLD.value = -1) + (NEW.value = -1)
     WHERE id = NEW.answer_id;
END;

-- every change of an idea's status, with its public reason (into: the idea it was merged into)
CREATE TABLE idea_events (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    actor_id INTEGER NOT NULL REFERENCES users(id),
    into_id INTEGER NOT NULL DEFAULT 0,
    at INTEGER NOT NULL
);
CREATE INDEX idea_events_item ON idea_events(item_id, id);

CREATE TABLE competitions (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES groups(id),
    title TEXT NOT NULL,
    rules TEXT NOT NULL DEFAULT '',
    entry_start INTEGER NOT NULL,
    entry_end INTEGER NOT NULL,
    vote_start INTEGER NOT NULL,
    vote_end INTEGER NOT NULL,
    voters TEXT NOT NULL CHECK (voters IN ('members', 'customers')),
    judge_weight REAL NOT NULL DEFAULT 0,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX competitions_group ON competitions(group_id);

CREATE TABLE competition_judges (
    competition_id INTEGER NOT NULL REFERENCES competitions(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (competition_id, user_id)
) WITHOUT ROWID;

-- a judge's score of an entry, 0 to 10
CREATE TABLE judge_scores (
    item_id INTEGER NOT NULL REFERENCES items(id),
    judge_id INTEGER NOT NULL REFERENCES users(id),
    score REAL NOT NULL CHECK (score >= 0 AND score <= 10),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (item_id, judge_id)
) WITHOUT ROWID;

-- moderation inside a group is logged with its group
ALTER TABLE modlog ADD COLUMN group_id INTEGER NOT NULL DEFAULT 0;
