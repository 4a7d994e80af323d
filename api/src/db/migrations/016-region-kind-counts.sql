-- Planned and active stations per (region_code, kind), with how many of them are demo data, kept
-- exact by statement-level triggers like region_station_count (migration 009): the planner's legend
-- and the tour's counts read these few rows (GET /api/regions/summary) instead of downloading every
-- station to count them (issue 13). `demo` counts source demo and demo-scale: both are shown as 示例数据.
CREATE TABLE region_kind_count (
  region_code text NOT NULL,
  kind        text NOT NULL,
  stations    bigint NOT NULL CHECK (stations >= 0),
  demo        bigint NOT NULL CHECK (demo >= 0),
  PRIMARY KEY (region_code, kind)
);

INSERT INTO region_kind_count (region_code, kind, stations, demo)
SELECT region_code, kind, count(*), count(*) FILTER (WHERE source IN ('demo', 'demo-scale')) FROM station
 WHERE status <> 'retired' AND region_code IS NOT NULL
 GROUP BY region_code, kind;

-- One function per event (a transition table may serve one event only, as in 009): the net change per
-- (region, kind) of the rows counted after minus those counted before. Negative changes go through
-- UPDATE, new pairs through INSERT (an upsert would check the CHECK on a proposed negative row first).
CREATE FUNCTION region_kind_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH d AS (
    SELECT region_code, kind, sum(n) AS n, sum(demo) AS demo FROM (
             SELECT region_code, kind, 1 AS n, (source IN ('demo', 'demo-scale'))::int AS demo FROM new_rows WHERE status <> 'retired' AND region_code IS NOT NULL) x
     GROUP BY region_code, kind HAVING sum(n) <> 0 OR sum(demo) <> 0),
  up AS (
    UPDATE region_kind_count c SET stations = c.stations + d.n, demo = c.demo + d.demo
      FROM d WHERE c.region_code = d.region_code AND c.kind = d.kind
    RETURNING c.region_code, c.kind)
  INSERT INTO region_kind_count (region_code, kind, stations, demo)
  SELECT d.region_code, d.kind, d.n, d.demo FROM d
   WHERE d.n >= 0 AND d.demo >= 0 AND NOT EXISTS (SELECT 1 FROM up WHERE up.region_code = d.region_code AND up.kind = d.kind);
  RETURN NULL;
END $$;

CREATE FUNCTION region_kind_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH d AS (
    SELECT region_code, kind, sum(n) AS n, sum(demo) AS demo FROM (
             SELECT region_code, kind, 1 AS n, (source IN ('demo', 'demo-scale'))::int AS demo FROM new_rows WHERE status <> 'retired' AND region_code IS NOT NULL
             UNION ALL
             SELECT region_code, kind, -1, -(source IN ('demo', 'demo-scale'))::int FROM old_rows WHERE status <> 'retired' AND region_code IS NOT NULL) x
     GROUP BY region_code, kind HAVING sum(n) <> 0 OR sum(demo) <> 0),
  up AS (
    UPDATE region_kind_count c SET stations = c.stations + d.n, demo = c.demo + d.demo
      FROM d WHERE c.region_code = d.region_code AND c.kind = d.kind
    RETURNING c.region_code, c.kind)
  INSERT INTO region_kind_count (region_code, kind, stations, demo)
  SELECT d.region_code, d.kind, d.n, d.demo FROM d
   WHERE d.n >= 0 AND d.demo >= 0 AND NOT EXISTS (SELECT 1 FROM up WHERE up.region_code = d.region_code AND up.kind = d.kind);
  RETURN NULL;
END $$;

CREATE FUNCTION region_kind_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH d AS (
    SELECT region_code, kind, sum(n) AS n, sum(demo) AS demo FROM (
             SELECT region_code, kind, -1 AS n, -(source IN ('demo', 'demo-scale'))::int AS demo FROM old_rows WHERE status <> 'retired' AND region_code IS NOT NULL) x
     GROUP BY region_code, kind HAVING sum(n) <> 0 OR sum(demo) <> 0),
  up AS (
    UPDATE region_kind_count c SET stations = c.stations + d.n, demo = c.demo + d.demo
      FROM d WHERE c.region_code = d.region_code AND c.kind = d.kind
    RETURNING c.region_code, c.kind)
  INSERT INTO region_kind_count (region_code, kind, stations, demo)
  SELECT d.region_code, d.kind, d.n, d.demo FROM d
   WHERE d.n >= 0 AND d.demo >= 0 AND NOT EXISTS (SELECT 1 FROM up WHERE up.region_code = d.region_code AND up.kind = d.kind);
  RETURN NULL;
END $$;

CREATE FUNCTION region_kind_count_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM region_kind_count;
  RETURN NULL;
END $$;

CREATE TRIGGER station_kind_count_insert AFTER INSERT ON station
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION region_kind_count_insert();
CREATE TRIGGER station_kind_count_update AFTER UPDATE ON station
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION region_kind_count_update();
CREATE TRIGGER station_kind_count_delete AFTER DELETE ON station
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION region_kind_count_delete();
CREATE TRIGGER station_kind_count_truncate AFTER TRUNCATE ON station
  FOR EACH STATEMENT EXECUTE FUNCTION region_kind_count_truncate();

-- The tile cache reads only the rows changed since its last read (api/src/tiles/station-projection.ts)
-- instead of the whole table after each edit.
CREATE INDEX station_updated_idx ON station (updated_at);
