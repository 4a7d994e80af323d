-- Change counters (issues 11 and 13): one row per data set, bumped by statement-level triggers on
-- every INSERT/UPDATE/DELETE/TRUNCATE of its table, in the writer's transaction. Pages poll
-- GET /api/changes (one indexed row read) and tile caches compare versions instead of re-reading
-- tables. Statement-level, not row-level: a 10^5-row import bumps once per statement, not per row.
CREATE TABLE data_version (
  name       text PRIMARY KEY CHECK (name IN ('stations', 'roads', 'regions')),
  version    bigint NOT NULL DEFAULT 1,
  changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO data_version (name) VALUES ('stations'), ('roads'), ('regions');

CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE data_version SET version = version + 1, changed_at = now() WHERE name = TG_ARGV[0];
  RETURN NULL;
END
$$;

CREATE TRIGGER station_data_version AFTER INSERT OR UPDATE OR DELETE ON station
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('stations');
CREATE TRIGGER station_data_version_truncate AFTER TRUNCATE ON station
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('stations');
CREATE TRIGGER road_edge_data_version AFTER INSERT OR UPDATE OR DELETE ON road_edge
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('roads');
CREATE TRIGGER road_edge_data_version_truncate AFTER TRUNCATE ON road_edge
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('roads');
CREATE TRIGGER region_data_version AFTER INSERT OR UPDATE OR DELETE ON region
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('regions');
CREATE TRIGGER region_data_version_truncate AFTER TRUNCATE ON region
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('regions');
