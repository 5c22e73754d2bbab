namespace Wavelet.Engine;

/// <summary>
/// SQL installed into the simulator's PostgreSQL database: bookkeeping in schema _rwsim, the functions RisingWave-only
/// statements are rewritten into, and rw_catalog views over PostgreSQL's catalogs. Errors are raised with RisingWave's texts.
/// </summary>
internal static class EngineSchema
{
    public const string Sql = """
CREATE SCHEMA IF NOT EXISTS _rwsim;
CREATE SEQUENCE IF NOT EXISTS _rwsim.ids START 1000000000;

CREATE TABLE IF NOT EXISTS _rwsim.mvs (
    oid oid PRIMARY KEY, schema_name text NOT NULL, name text NOT NULL, definition text NOT NULL);

CREATE TABLE IF NOT EXISTS _rwsim.subscriptions (
    id bigint PRIMARY KEY DEFAULT nextval('_rwsim.ids'), schema_name text NOT NULL, name text NOT NULL,
    target oid NOT NULL, target_schema text NOT NULL, target_name text NOT NULL,
    retention_seconds bigint NOT NULL, key_columns text[] NOT NULL, column_names text[] NOT NULL, column_defs text NOT NULL,
    last_epoch bigint NOT NULL, recycled_upto bigint NOT NULL DEFAULT 0, log_from bigint,
    UNIQUE (schema_name, name));
-- log_from: the oldest epoch in log_<id> (NULL when empty), so a barrier knows without looking which logs have history to recycle.
ALTER TABLE _rwsim.subscriptions ADD COLUMN IF NOT EXISTS log_from bigint;

CREATE TABLE IF NOT EXISTS _rwsim.cursors (
    pid int NOT NULL, name text NOT NULL, sub_id bigint NOT NULL, last_epoch bigint NOT NULL, last_seq int NOT NULL,
    snap_table text, snap_pos bigint NOT NULL DEFAULT 0, PRIMARY KEY (pid, name));

CREATE OR REPLACE FUNCTION _rwsim.raise(p_message text, p_state text DEFAULT 'XX000') RETURNS void LANGUAGE plpgsql SET client_min_messages = warning AS $f$
BEGIN
  RAISE EXCEPTION USING MESSAGE = p_message, ERRCODE = p_state;
END $f$;

CREATE OR REPLACE FUNCTION _rwsim.resolve(p_name text) RETURNS regclass LANGUAGE plpgsql SET client_min_messages = warning AS $f$
DECLARE r regclass;
BEGIN
  r := to_regclass(p_name);
  IF r IS NULL THEN
    RAISE EXCEPTION USING MESSAGE = format('Catalog error: table or source not found: %s', p_name), ERRCODE = 'XX000';
  END IF;
  RETURN r;
END $f$;

CREATE OR REPLACE FUNCTION _rwsim.create_mv(p_name text, p_if_not_exists boolean, p_definition text) RETURNS void
LANGUAGE plpgsql SET client_min_messages = warning AS $f$
DECLARE v regclass;
BEGIN
  IF to_regclass(p_name) IS NOT NULL THEN
    IF p_if_not_exists THEN RETURN; END IF;
    RAISE EXCEPTION USING MESSAGE = format('Catalog error: materialized view %s exists', p_name), ERRCODE = 'XX000';
  END IF;
  -- EXECUTE runs every statement of its string, while RisingWave parses a Parse message as one statement: inside
  -- parentheses a second statement is a syntax error, so PostgreSQL's own lexer refuses a smuggled one.
  EXECUTE format(E'SELECT 1 FROM (%s\n) AS _rwsim_body WHERE false', p_definition);
  EXECUTE format('CREATE VIEW %s AS %s', p_name, p_definition);
  v := to_regclass(p_name);
  INSERT INTO _rwsim.mvs SELECT v, n.nspname, c.relname, p_definition
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = v;
END $f$;

CREATE OR REPLACE FUNCTION _rwsim.drop_mv(p_name text, p_if_exists boolean) RETURNS void LANGUAGE plpgsql SET client_min_messages = warning AS $f$
DECLARE v regclass; n int;
BEGIN
  v := to_regclass(p_name);
  IF v IS NULL OR NOT EXISTS (SELECT 1 FROM _rwsim.mvs WHERE oid = v) THEN
    IF p_if_exists THEN RETURN; END IF;
    RAISE EXCEPTION USING MESSAGE = format('Catalog error: materialized view not found: %s', p_name), ERRCODE = 'XX000';
  END IF;
  SELECT count(*) INTO n FROM _rwsim.subscriptions WHERE target = v;
  IF n > 0 THEN
    RAISE EXCEPTION USING
      MESSAGE = format('Permission denied: PermissionDenied: Fail to delete materialized view `%s` because %s other objects depend on it. HINT: Use DROP ... CASCADE to drop the dependent objects too.', p_name, n),
      ERRCODE = 'XX000';
  END IF;
  EXECUTE format('DROP VIEW %s', p_name);
  DELETE FROM _rwsim.mvs WHERE oid = v;
END $f$;

CREATE OR REPLACE FUNCTION _rwsim.key_columns(t regclass, cols text[]) RETURNS text[] LANGUAGE plpgsql SET client_min_messages = warning AS $f$
DECLARE keys text[]; def text; grp text; part text; name text;
BEGIN
  SELECT array_agg(a.attname::text ORDER BY array_position(i.indkey::int2[], a.attnum)) INTO keys
    FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
    WHERE i.indrelid = t AND i.indisprimary;
  IF keys IS NOT NULL THEN RETURN keys; END IF;
  SELECT definition INTO def FROM _rwsim.mvs WHERE oid = t;
  IF def IS NULL THEN RETURN '{}'; END IF;
  grp := substring(def FROM '(?i)group\s+by\s+(.*?)(\s+having\s|\s+order\s+by|\s+limit\s|\s*$)');
  IF grp IS NULL THEN RETURN '{}'; END IF;
  keys := '{}';
  FOREACH part IN ARRAY string_to_array(grp, ',') LOOP
    name := trim(part);
    IF position('.' in name) > 0 THEN name := split_part(name, '.', 2); END IF;
    name := CASE WHEN name LIKE '"%"' THEN trim(both '"' from name) ELSE lower(name) END;
    IF NOT name = ANY (cols) THEN RETURN '{}'; END IF;
    keys := keys || name;
  END LOOP;
  RETURN keys;
END $f$;

CREATE OR REPLACE FUNCTION _rwsim.create_subscription(
    p_name text, p_if_not_exists boolean, p_target text, p_retention_seconds bigint, p_epoch bigint)
RETURNS void LANGUAGE plpgsql SET client_min_messages = warning AS $f$
DECLARE t regclass; s_schema text; s_name text; sid bigint; cols text[]; defs text; tgt_schema text; tgt_name text;
BEGIN
  t := _rwsim.resolve(p_target);
  IF position('.' in p_name) > 0 THEN
    s_schema := split_part(p_name, '.', 1); s_name := split_part(p_name, '.', 2);
  ELSE
    s_schema := current_schema(); s_name := p_name;
  END IF;
  s_schema := trim(both '"' from s_schema); s_name := trim(both '"' from s_name);
  IF EXISTS (SELECT 1 FROM _rwsim.subscriptions WHERE schema_name = s_schema AND name = s_name) THEN
    IF p_if_not_exists THEN RETURN; END IF;
    RAISE EXCEPTION USING MESSAGE = format('Catalog error: subscription %s exists', s_name), ERRCODE = 'XX000';
  END IF;
  SELECT n.nspname, c.relname INTO tgt_schema, tgt_name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = t;
  SELECT array_agg(a.attname ORDER BY a.attnum), string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum)
    INTO cols, defs FROM pg_attribute a WHERE a.attrelid = t AND a.attnum > 0 AND NOT a.attisdropped;
  sid := nextval('_rwsim.ids');
  INSERT INTO _rwsim.subscriptions (id, schema_name, name, target, target_schema, target_name, retention_seconds, key_columns, column_names, column_defs, last_epoch)
    VALUES (sid, s_schema, s_name, t, tgt_schema, tgt_name, p_retention_seconds, _rwsim.key_columns(t, cols), cols, defs, p_epoch);
  EXECUTE format('CREATE TABLE _rwsim.%I AS SELECT * FROM %s', 'snap_' || sid, t);
  EXECUTE format('CREATE TABLE _rwsim.%I AS SELECT NULL::bigint AS _rwsim_epoch, NULL::int AS _rwsim_seq, NULL::varchar AS _rwsim_op, * FROM %s WITH NO DATA', 'log_' || sid, t);
  EXECUTE format('CREATE INDEX ON _rwsim.%I (_rwsim_epoch, _rwsim_seq)', 'log_' || sid);
END $f$;

CREATE OR REPLACE FUNCTION _rwsim.find_subscription(p_name text) RETURNS _rwsim.subscriptions LANGUAGE plpgsql SET client_min_messages = warning AS $f$
DECLARE s _rwsim.subscriptions; s_schema text; s_name text;
BEGIN
  IF position('.' in p_name) > 0 THEN
    s_schema := trim(both '"' from split_part(p_name, '.', 1)); s_name := trim(both '"' from split_part(p_name, '.', 2));
    SELECT * INTO s FROM _rwsim.subscriptions WHERE schema_name = s_schema AND name = s_name;
  ELSE
    s_name := trim(both '"' from p_name);
    SELECT sub.* INTO s FROM _rwsim.subscriptions sub
      JOIN unnest(current_schemas(false)) WITH ORDINALITY AS sp(schema_name, ord) ON sp.schema_name = sub.schema_name
      WHERE sub.name = s_name ORDER BY sp.ord LIMIT 1;
  END IF;
  RETURN s;
END $f$;

CREATE OR REPLACE FUNCTION _rwsim.drop_subscription(p_name text, p_if_exists boolean) RETURNS void LANGUAGE plpgsql SET client_min_messages = warning AS $f$
DECLARE s _rwsim.subscriptions;
BEGIN
  s := _rwsim.find_subscription(p_name);
  IF s.id IS NULL THEN
    IF p_if_exists THEN RETURN; END IF;
    RAISE EXCEPTION USING MESSAGE = format('Catalog error: subscription not found: %s', p_name), ERRCODE = 'XX000';
  END IF;
  PERFORM _rwsim.forget_subscription(s.id);
END $f$;

CREATE OR REPLACE FUNCTION _rwsim.forget_subscription(p_id bigint) RETURNS void LANGUAGE plpgsql SET client_min_messages = warning AS $f$
BEGIN
  DELETE FROM _rwsim.subscriptions WHERE id = p_id;
  EXECUTE format('DROP TABLE IF EXISTS _rwsim.%I', 'snap_' || p_id);
  EXECUTE format('DROP TABLE IF EXISTS _rwsim.%I', 'log_' || p_id);
END $f$;

CREATE OR REPLACE FUNCTION _rwsim.alter_subscription(p_name text, p_retention_seconds bigint) RETURNS void LANGUAGE plpgsql SET client_min_messages = warning AS $f$
DECLARE s _rwsim.subscriptions;
BEGIN
  s := _rwsim.find_subscription(p_name);
  IF s.id IS NULL THEN
    RAISE EXCEPTION USING MESSAGE = format('Catalog error: subscription not found: %s', p_name), ERRCODE = 'XX000';
  END IF;
  UPDATE _rwsim.subscriptions SET retention_seconds = p_retention_seconds WHERE id = s.id;
END $f$;

CREATE OR REPLACE FUNCTION _rwsim.declare_cursor(p_cursor text, p_subscription text, p_mode text, p_since bigint, p_now bigint)
RETURNS void LANGUAGE plpgsql SET client_min_messages = warning AS $f$
DECLARE s _rwsim.subscriptions; snap text; start_epoch bigint;
BEGIN
  s := _rwsim.find_subscription(p_subscription);
  IF s.id IS NULL THEN
    RAISE EXCEPTION USING MESSAGE = format('Catalog error: subscription not found: %s', p_subscription), ERRCODE = 'XX000';
  END IF;
  IF EXISTS (SELECT 1 FROM _rwsim.cursors WHERE pid = pg_backend_pid() AND name = p_cursor) THEN
    RAISE EXCEPTION USING MESSAGE = format('cursor "%s" already exists', p_cursor), ERRCODE = '42P03';
  END IF;
  IF p_mode = 'full' THEN
    -- The snapshot copy and its start epoch must be of the same barrier. A barrier holds this row FOR UPDATE while it
    -- rewrites snap_<id> and advances last_epoch, so waiting for a share lock here (and re-reading the row under it) keeps
    -- a barrier from committing between the two; without it the copy could be an epoch ahead of start_epoch and that
    -- epoch's changes would be applied twice.
    SELECT * INTO s FROM _rwsim.subscriptions WHERE id = s.id FOR SHARE;
    snap := format('cursnap_%s_%s', pg_backend_pid(), md5(p_cursor));
    EXECUTE format('DROP TABLE IF EXISTS _rwsim.%I', snap);
    EXECUTE format('CREATE TABLE _rwsim.%I AS SELECT row_number() OVER (ORDER BY %s) AS _rwsim_rn, * FROM _rwsim.%I',
      snap, _rwsim.order_by(s), 'snap_' || s.id);
    start_epoch := s.last_epoch;
  ELSIF p_mode = 'since' THEN
    IF p_since < p_now - s.retention_seconds * 1000 THEN
      RAISE EXCEPTION USING MESSAGE = 'rw_timestamp is too small, need to be large than the current unix_millis - subscription''s retention time', ERRCODE = 'XX000';
    END IF;
    start_epoch := p_since - 1;
  ELSIF p_mode = 'begin' THEN
    start_epoch := s.recycled_upto;
  ELSE
    start_epoch := s.last_epoch;
  END IF;
  INSERT INTO _rwsim.cursors (pid, name, sub_id, last_epoch, last_seq, snap_table)
    VALUES (pg_backend_pid(), p_cursor, s.id, start_epoch, 2147483647, snap);
END $f$;

CREATE OR REPLACE FUNCTION _rwsim.order_by(s _rwsim.subscriptions) RETURNS text LANGUAGE sql AS $f$
  SELECT string_agg(format('%I', c), ', ') FROM unnest(CASE WHEN cardinality(s.key_columns) > 0 THEN s.key_columns ELSE s.column_names END) AS c;
$f$;

CREATE OR REPLACE FUNCTION _rwsim.fetch(p_cursor text, p_count int) RETURNS SETOF record LANGUAGE plpgsql SET client_min_messages = warning AS $f$
DECLARE c _rwsim.cursors; s _rwsim.subscriptions; cols text; taken bigint; remaining int := p_count; e bigint; q int;
BEGIN
  SELECT * INTO c FROM _rwsim.cursors WHERE pid = pg_backend_pid() AND name = p_cursor;
  IF c.name IS NULL THEN
    RAISE EXCEPTION USING MESSAGE = format('cursor "%s" does not exist', p_cursor), ERRCODE = '34000';
  END IF;
  SELECT * INTO s FROM _rwsim.subscriptions WHERE id = c.sub_id;
  IF s.id IS NULL THEN
    RAISE EXCEPTION USING MESSAGE = 'Cursor is in invalid state. Please close and re-create the cursor.', ERRCODE = 'XX000';
  END IF;
  SELECT string_agg(format('%I', x), ', ') INTO cols FROM unnest(s.column_names) AS x;
  IF c.snap_table IS NOT NULL THEN
    RETURN QUERY EXECUTE format('SELECT %s, ''Insert''::varchar, NULL::bigint FROM _rwsim.%I WHERE _rwsim_rn > $1 ORDER BY _rwsim_rn LIMIT $2', cols, c.snap_table)
      USING c.snap_pos, remaining;
    GET DIAGNOSTICS taken = ROW_COUNT;
    remaining := remaining - taken::int;
    IF remaining > 0 THEN
      EXECUTE format('DROP TABLE IF EXISTS _rwsim.%I', c.snap_table);
      UPDATE _rwsim.cursors SET snap_table = NULL, snap_pos = 0 WHERE pid = c.pid AND name = c.name;
    ELSE
      UPDATE _rwsim.cursors SET snap_pos = c.snap_pos + taken WHERE pid = c.pid AND name = c.name;
      RETURN;
    END IF;
  END IF;
  IF c.last_epoch < s.recycled_upto THEN
    RAISE EXCEPTION USING MESSAGE = format('No data found for rw_timestamp %s, data may have been recycled, please recreate cursor', c.last_epoch + 1), ERRCODE = 'XX000';
  END IF;
  EXECUTE format('SELECT _rwsim_epoch, _rwsim_seq FROM (SELECT _rwsim_epoch, _rwsim_seq FROM _rwsim.%I WHERE (_rwsim_epoch, _rwsim_seq) > ($1, $2) ORDER BY 1, 2 LIMIT $3) x ORDER BY 1 DESC, 2 DESC LIMIT 1', 'log_' || s.id)
    INTO e, q USING c.last_epoch, c.last_seq, remaining;
  IF e IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY EXECUTE format('SELECT %s, _rwsim_op, _rwsim_epoch FROM _rwsim.%I WHERE (_rwsim_epoch, _rwsim_seq) > ($1, $2) AND (_rwsim_epoch, _rwsim_seq) <= ($3, $4) ORDER BY _rwsim_epoch, _rwsim_seq', cols, 'log_' || s.id)
    USING c.last_epoch, c.last_seq, e, q;
  UPDATE _rwsim.cursors SET last_epoch = e, last_seq = q WHERE pid = c.pid AND name = c.name;
END $f$;

CREATE OR REPLACE FUNCTION _rwsim.has_rows(p_pid int, p_cursor text) RETURNS boolean LANGUAGE plpgsql SET client_min_messages = warning AS $f$
DECLARE c _rwsim.cursors; s _rwsim.subscriptions; found boolean;
BEGIN
  SELECT * INTO c FROM _rwsim.cursors WHERE pid = p_pid AND name = p_cursor;
  IF c.name IS NULL OR c.snap_table IS NOT NULL THEN RETURN true; END IF;
  SELECT * INTO s FROM _rwsim.subscriptions WHERE id = c.sub_id;
  IF s.id IS NULL OR c.last_epoch < s.recycled_upto THEN RETURN true; END IF;
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM _rwsim.%I WHERE (_rwsim_epoch, _rwsim_seq) > ($1, $2))', 'log_' || s.id)
    INTO found USING c.last_epoch, c.last_seq;
  RETURN found;
END $f$;

CREATE OR REPLACE FUNCTION _rwsim.close_cursor(p_cursor text) RETURNS void LANGUAGE plpgsql SET client_min_messages = warning AS $f$
DECLARE c _rwsim.cursors;
BEGIN
  FOR c IN SELECT * FROM _rwsim.cursors WHERE pid = pg_backend_pid() AND (p_cursor IS NULL OR name = p_cursor) LOOP
    IF c.snap_table IS NOT NULL THEN EXECUTE format('DROP TABLE IF EXISTS _rwsim.%I', c.snap_table); END IF;
    DELETE FROM _rwsim.cursors WHERE pid = c.pid AND name = c.name;
  END LOOP;
END $f$;

CREATE OR REPLACE FUNCTION _rwsim.forget_session(p_pid int) RETURNS void LANGUAGE plpgsql SET client_min_messages = warning AS $f$
DECLARE c _rwsim.cursors;
BEGIN
  FOR c IN SELECT * FROM _rwsim.cursors WHERE pid = p_pid LOOP
    IF c.snap_table IS NOT NULL THEN EXECUTE format('DROP TABLE IF EXISTS _rwsim.%I', c.snap_table); END IF;
  END LOOP;
  DELETE FROM _rwsim.cursors WHERE pid = p_pid;
END $f$;

-- Tables written since the last barrier (statement triggers, added to every user table by an event trigger): a barrier
-- diffs only the subscriptions that read one of them, so its cost does not grow with idle subscriptions. One mark per
-- writing transaction: a barrier takes the marks it can see, and the mark of a transaction still running when it looks
-- stays for the next barrier. (One mark per table would let a write whose mark already existed go unseen for good when
-- that mark was taken by a barrier whose diff ran before the write committed.)
DROP TABLE IF EXISTS _rwsim.changed;
CREATE TABLE IF NOT EXISTS _rwsim.writes (relid oid NOT NULL, xid xid8 NOT NULL, PRIMARY KEY (relid, xid));

CREATE OR REPLACE FUNCTION _rwsim.mark_changed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET client_min_messages = warning AS $f$
BEGIN
  INSERT INTO _rwsim.writes VALUES (TG_RELID, pg_current_xact_id()) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $f$;

CREATE OR REPLACE FUNCTION _rwsim.track_writes() RETURNS event_trigger LANGUAGE plpgsql SET client_min_messages = warning AS $f$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE object_type = 'table' LOOP
    IF r.schema_name <> '_rwsim' AND r.schema_name NOT LIKE 'pg_temp%' THEN
      EXECUTE format('CREATE TRIGGER _rwsim_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION _rwsim.mark_changed()', r.objid::regclass);
    END IF;
  END LOOP;
END $f$;

-- Event triggers need a superuser; without one every barrier diffs every subscription (see barrier_plan).
DO $d$
DECLARE t regclass;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = '_rwsim_track_writes')
     AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    CREATE EVENT TRIGGER _rwsim_track_writes ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'CREATE TABLE AS', 'SELECT INTO')
      EXECUTE FUNCTION _rwsim.track_writes();
    FOR t IN SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('_rwsim', 'pg_catalog', 'information_schema', 'rw_catalog', 'pg_toast')
               AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'
               AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = '_rwsim_changed') LOOP
      EXECUTE format('CREATE TRIGGER _rwsim_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION _rwsim.mark_changed()', t);
    END LOOP;
  END IF;
END $d$;

-- Takes the set of tables written since the last barrier; returns only the subscriptions a barrier has work for: those
-- that read a written table (through any chain of views, followed from the written tables up, so the walk is as long as
-- the writes reach), those whose log has history older than their retention, and those whose relation is gone. An idle
-- subscription costs the barrier nothing but its row in the set-based checks; its last_epoch stays where its last change
-- put it, which is all a new cursor needs (nothing is logged after it).
DROP FUNCTION IF EXISTS _rwsim.barrier_plan();
CREATE OR REPLACE FUNCTION _rwsim.barrier_plan(p_now bigint) RETURNS TABLE (id bigint, changed boolean) LANGUAGE sql AS $f$
  WITH RECURSIVE written AS (DELETE FROM _rwsim.writes RETURNING relid),
  reached(rel) AS (
    SELECT DISTINCT relid FROM written
    UNION
    SELECT w.ev_class FROM reached r
      JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND d.refobjid = r.rel AND d.classid = 'pg_rewrite'::regclass
      JOIN pg_rewrite w ON w.oid = d.objid AND w.ev_class <> r.rel),
  tracked AS (SELECT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = '_rwsim_track_writes') AS enabled)
  SELECT s.id, s.target IN (SELECT rel FROM reached) OR NOT (SELECT enabled FROM tracked)
  FROM _rwsim.subscriptions s
  WHERE s.target IN (SELECT rel FROM reached)
     OR NOT (SELECT enabled FROM tracked)
     OR s.log_from < p_now - s.retention_seconds * 1000
     OR NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = s.target)
  ORDER BY s.id
$f$;

-- One barrier for one subscription: diff the relation against the last snapshot and log the changes as epoch p_epoch
-- (skipped when nothing it reads was written: then the call only recycles history older than the retention).
CREATE OR REPLACE FUNCTION _rwsim.barrier(p_id bigint, p_epoch bigint, p_now bigint, p_changed boolean) RETURNS void LANGUAGE plpgsql SET client_min_messages = warning AS $f$
DECLARE s _rwsim.subscriptions; snap text; log text; cutoff bigint; recycled bigint; oldest bigint;
BEGIN
  SELECT * INTO s FROM _rwsim.subscriptions WHERE id = p_id FOR UPDATE;
  IF s.id IS NULL THEN RETURN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = s.target) THEN
    PERFORM _rwsim.forget_subscription(s.id);
    RETURN;
  END IF;
  snap := format('_rwsim.%I', 'snap_' || s.id);
  log := format('_rwsim.%I', 'log_' || s.id);
  IF p_changed THEN
    PERFORM _rwsim.diff(s, p_epoch, snap, log);
  END IF;
  cutoff := p_now - s.retention_seconds * 1000;
  EXECUTE format('WITH gone AS (DELETE FROM %s WHERE _rwsim_epoch < $1 RETURNING _rwsim_epoch) SELECT max(_rwsim_epoch) FROM gone', log)
    INTO recycled USING cutoff;
  EXECUTE format('SELECT min(_rwsim_epoch) FROM %s', log) INTO oldest;
  UPDATE _rwsim.subscriptions SET last_epoch = CASE WHEN p_changed THEN p_epoch ELSE last_epoch END,
    recycled_upto = greatest(recycled_upto, coalesce(recycled, 0)), log_from = oldest WHERE id = s.id;
END $f$;

CREATE OR REPLACE FUNCTION _rwsim.diff(s _rwsim.subscriptions, p_epoch bigint, snap text, log text) RETURNS void LANGUAGE plpgsql SET client_min_messages = warning AS $f$
DECLARE cols text; keys text; key_match text;
BEGIN
  SELECT string_agg(format('%I', x), ', ') INTO cols FROM unnest(s.column_names) AS x;
  keys := _rwsim.order_by(s);
  IF cardinality(s.key_columns) > 0 THEN
    SELECT string_agg(format('o.%1$I IS NOT DISTINCT FROM x.%1$I', k), ' AND ') INTO key_match FROM unnest(s.key_columns) AS k;
  ELSE
    key_match := 'false';
  END IF;
  EXECUTE 'CREATE TEMP TABLE IF NOT EXISTS _rwsim_cur (LIKE ' || snap || ') ON COMMIT DROP';
  EXECUTE 'TRUNCATE _rwsim_cur';
  EXECUTE format('INSERT INTO _rwsim_cur SELECT %s FROM %s', cols, s.target::regclass);
  EXECUTE format($q$
    WITH d AS (SELECT %1$s FROM %2$s EXCEPT ALL SELECT %1$s FROM _rwsim_cur),
         i AS (SELECT %1$s FROM _rwsim_cur EXCEPT ALL SELECT %1$s FROM %2$s),
         changes AS (
           SELECT o.*, CASE WHEN EXISTS (SELECT 1 FROM i x WHERE %4$s) THEN 'UpdateDelete' ELSE 'Delete' END AS _rwsim_op, 0 AS _rwsim_ord FROM d o
           UNION ALL
           SELECT o.*, CASE WHEN EXISTS (SELECT 1 FROM d x WHERE %4$s) THEN 'UpdateInsert' ELSE 'Insert' END, 1 FROM i o)
    INSERT INTO %5$s SELECT %6$s, row_number() OVER (ORDER BY %3$s, _rwsim_ord)::int, _rwsim_op, %1$s FROM changes$q$,
    cols, snap, keys, key_match, log, p_epoch);
  EXECUTE 'TRUNCATE ' || snap;
  EXECUTE format('INSERT INTO %s SELECT %s FROM _rwsim_cur', snap, cols);
END $f$;

CREATE OR REPLACE FUNCTION _rwsim.recycle_all() RETURNS void LANGUAGE plpgsql SET client_min_messages = warning AS $f$
DECLARE s _rwsim.subscriptions;
BEGIN
  FOR s IN SELECT * FROM _rwsim.subscriptions LOOP
    EXECUTE format('DELETE FROM _rwsim.%I', 'log_' || s.id);
    UPDATE _rwsim.subscriptions SET recycled_upto = s.last_epoch, log_from = NULL WHERE id = s.id;
  END LOOP;
END $f$;

CREATE SCHEMA IF NOT EXISTS rw_catalog;

CREATE OR REPLACE VIEW rw_catalog.rw_schemas AS
  SELECT n.oid::int AS id, n.nspname::varchar AS name, n.nspowner::int AS owner, NULL::varchar[] AS acl
  FROM pg_namespace n WHERE n.nspname NOT IN ('_rwsim', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp_%' AND n.nspname NOT LIKE 'pg_toast_temp_%';

CREATE OR REPLACE VIEW rw_catalog.rw_tables AS
  SELECT c.oid::int AS id, c.relname::varchar AS name, c.relnamespace::int AS schema_id, c.relowner::int AS owner,
         ('CREATE TABLE ' || c.relname)::varchar AS definition
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('_rwsim', 'pg_catalog', 'information_schema', 'rw_catalog', 'pg_toast')
    AND n.nspname NOT LIKE 'pg_temp_%';

CREATE OR REPLACE VIEW rw_catalog.rw_materialized_views AS
  SELECT c.oid::int AS id, c.relname::varchar AS name, c.relnamespace::int AS schema_id, c.relowner::int AS owner,
         ('CREATE MATERIALIZED VIEW ' || c.relname || ' AS ' || m.definition)::varchar AS definition
  FROM _rwsim.mvs m JOIN pg_class c ON c.oid = m.oid;

CREATE OR REPLACE VIEW rw_catalog.rw_subscriptions AS
  SELECT s.id::int AS id, s.name::varchar AS name, n.oid::int AS schema_id, 10 AS owner,
         format('CREATE SUBSCRIPTION %s FROM %s WITH (retention = ''%s'')', s.name, s.target_name, s.retention_seconds || 's')::varchar AS definition,
         s.retention_seconds AS retention_seconds
  FROM _rwsim.subscriptions s JOIN pg_namespace n ON n.nspname = s.schema_name;

CREATE OR REPLACE VIEW rw_catalog.rw_relations AS
  SELECT id, name, 'table'::varchar AS relation_type, schema_id, owner, definition, NULL::varchar[] AS acl FROM rw_catalog.rw_tables
  UNION ALL SELECT id, name, 'materialized view', schema_id, owner, definition, NULL FROM rw_catalog.rw_materialized_views
  UNION ALL SELECT id, name, 'subscription', schema_id, owner, definition, NULL FROM rw_catalog.rw_subscriptions;

CREATE OR REPLACE VIEW rw_catalog.rw_columns AS
  SELECT a.attrelid::int AS relation_id, a.attname::varchar AS name, a.attnum::int AS position, false AS is_hidden,
         EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY (i.indkey)) AS is_primary_key,
         false AS is_distribution_key, false AS is_generated, NOT a.attnotnull AS is_nullable,
         format_type(a.atttypid, a.atttypmod)::varchar AS data_type
  FROM pg_attribute a JOIN rw_catalog.rw_relations r ON r.id = a.attrelid::int
  WHERE a.attnum > 0 AND NOT a.attisdropped AND r.relation_type <> 'subscription'
  UNION ALL
  SELECT s.id::int, a.attname::varchar, a.attnum::int, false, false, false, false, NOT a.attnotnull, format_type(a.atttypid, a.atttypmod)::varchar
  FROM _rwsim.subscriptions s JOIN pg_attribute a ON a.attrelid = s.target WHERE a.attnum > 0 AND NOT a.attisdropped;

CREATE OR REPLACE VIEW rw_catalog.rw_depend AS
  SELECT DISTINCT r.ev_class::int AS objid, d.refobjid::int AS refobjid
  FROM pg_rewrite r JOIN pg_depend d ON d.objid = r.oid AND d.classid = 'pg_rewrite'::regclass
  WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.ev_class AND r.ev_class IN (SELECT oid FROM _rwsim.mvs)
  UNION ALL
  SELECT s.id::int, s.target::int FROM _rwsim.subscriptions s;
""";
}
