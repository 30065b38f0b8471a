-- 007: what round two of the security review needed from the store.
-- API tokens get a label so that a member can tell them apart when revoking one (the rowid is
-- the token's id); confirmation mails are counted per address (outbox by address and time);
-- an open is a fact recorded once per member and item, so its old counter stops growing.
ALTER TABLE api_tokens ADD COLUMN label TEXT NOT NULL DEFAULT '';
CREATE INDEX api_tokens_user ON api_tokens(user_id);
CREATE INDEX outbox_recipient ON outbox(to_addr, created_at);
UPDATE opens SET count = 1 WHERE count > 1;
