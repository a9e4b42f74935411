-- cpo_ensure_month_partition, safe when two sessions make the same month at once: after the advisory lock, the catalog
-- cache of the waiting session may not show the table the other one just committed (an advisory lock does not make a
-- session read the catalog's invalidations, a lock on a table would), so its CREATE TABLE met "already exists" and the
-- service's start failed. The month is made in a subtransaction, and "already exists" means another session made it.
CREATE OR REPLACE FUNCTION cpo_ensure_month_partition(parent text, at timestamptz) RETURNS text AS $$
DECLARE
    month_start timestamp := date_trunc('month', at AT TIME ZONE 'UTC');
    name        text      := parent || '_y' || to_char(month_start, 'YYYY') || 'm' || to_char(month_start, 'MM');
BEGIN
    IF parent NOT IN ('runs', 'alignment_values') THEN
        RAISE EXCEPTION 'no month partitions for table %', parent;
    END IF;
    IF to_regclass(name) IS NOT NULL THEN
        RETURN name;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('cpo_ensure_month_partition ' || name));
    IF to_regclass(name) IS NULL THEN
        BEGIN
            EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name, parent);
            EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, name,
                           month_start AT TIME ZONE 'UTC', (month_start + interval '1 month') AT TIME ZONE 'UTC');
        EXCEPTION WHEN duplicate_table THEN
            NULL; -- made and attached by another session, which held the lock until it committed
        END;
    END IF;
    RETURN name;
END
$$ LANGUAGE plpgsql;
