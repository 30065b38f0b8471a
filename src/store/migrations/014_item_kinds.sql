-- Items gain two kinds (issue 17): questions and ideas, posted in groups. SQLite cannot
-- alter a CHECK constraint; its documented way of loosening one that every stored row
-- still meets is to edit the table's SQL text in the schema table
-- (https://sqlite.org/lang_altertable.html, "making other kinds of table schema changes").
-- The migration runner bumps schema_version afterwards so that every connection re-reads
-- it; the groups' columns come in the next migration, as ALTER TABLE would otherwise place
-- them by the text it parsed before this edit.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (kind IN (''link'', ''blog''))',
                     'CHECK (kind IN (''link'', ''blog'', ''question'', ''idea''))')
 WHERE type = 'table' AND name = 'items';
PRAGMA writable_schema = OFF;
