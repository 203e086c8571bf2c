-- An import's summary without counting its rows again (how many buyers it named), and the way from an import to its
-- rows: the importer counts an import's buyers over this index before it commits, and the foreign key from
-- receivables_snapshot to receivables_import is indexed on the referencing side.
ALTER TABLE receivables_import ADD COLUMN customer_count INTEGER DEFAULT 0 NOT NULL;

CREATE INDEX receivables_snapshot_import ON receivables_snapshot (import_id, customer_id);
