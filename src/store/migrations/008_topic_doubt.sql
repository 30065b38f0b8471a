-- 008: the off-topic check no longer hides an established member's post on its own weak
-- evidence; it lists the post and records its doubt (the score in percent) for moderators,
-- who see the doubted posts on the dashboard. NULL: the check had no doubt.
ALTER TABLE items ADD COLUMN topic_doubt INTEGER;
CREATE INDEX items_topic_doubt ON items(id) WHERE topic_doubt IS NOT NULL;
