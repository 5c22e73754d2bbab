namespace Wavelet.Engine.Cdc;

/// <summary>
/// The engine's bookkeeping for postgres-cdc sources, rw_catalog.rw_sources over it, and the trigger that mirrors each
/// replicated row from its landing table (named like the source table, as PostgreSQL's logical replication requires)
/// into the table the DDL created.
/// </summary>
internal static class CdcSchema
{
    public const string Sql = """
CREATE TABLE IF NOT EXISTS _rwsim.cdc_sources (
  id serial PRIMARY KEY,
  schema_name text NOT NULL,
  name text NOT NULL,
  subscription text NOT NULL,
  slot text NOT NULL,
  publication text NOT NULL,
  connection text NOT NULL,
  created_publication boolean NOT NULL,
  definition text NOT NULL,
  UNIQUE (schema_name, name));

CREATE TABLE IF NOT EXISTS _rwsim.cdc_tables (
  schema_name text NOT NULL,
  name text NOT NULL,
  source_id int NOT NULL REFERENCES _rwsim.cdc_sources (id),
  upstream_schema text NOT NULL,
  upstream_table text NOT NULL,
  has_landing boolean NOT NULL,
  added_to_publication boolean NOT NULL,
  PRIMARY KEY (schema_name, name));

CREATE OR REPLACE VIEW rw_catalog.rw_sources AS
  SELECT s.id::int AS id, s.name::varchar AS name, n.oid::int AS schema_id, 10 AS owner, 'postgres-cdc'::varchar AS connector,
         s.definition::varchar AS definition
  FROM _rwsim.cdc_sources s JOIN pg_namespace n ON n.nspname = s.schema_name;

-- TG_ARGV[0]: the target table, quoted and qualified; TG_ARGV[1]: its key condition between target t and replicated row o.
CREATE OR REPLACE FUNCTION _rwsim.cdc_mirror() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    EXECUTE format('DELETE FROM %s AS t USING jsonb_populate_record(NULL::%s, $1) AS o WHERE %s', TG_ARGV[0], TG_ARGV[0], TG_ARGV[1]) USING to_jsonb(OLD);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    EXECUTE format('DELETE FROM %s AS t USING jsonb_populate_record(NULL::%s, $1) AS o WHERE %s', TG_ARGV[0], TG_ARGV[0], TG_ARGV[1]) USING to_jsonb(NEW);
    EXECUTE format('INSERT INTO %s SELECT * FROM jsonb_populate_record(NULL::%s, $1)', TG_ARGV[0], TG_ARGV[0]) USING to_jsonb(NEW);
  END IF;
  RETURN NULL;
END $f$;
""";
}
