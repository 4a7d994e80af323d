-- Planned and active stations per region_code, kept exact by statement-level triggers on station,
-- so /api/regions reads 9 rows instead of counting every station on every page load (issue 13).
-- Statement-level triggers with transition tables: a bulk load of 10^6 rows costs one grouped upsert,
-- not 10^6 row triggers.
CREATE TABLE region_station_count (
  region_code text PRIMARY KEY,
  stations    bigint NOT NULL CHECK (stations >= 0)
);

INSERT INTO region_station_count (region_code, stations)
SELECT region_code, count(*) FROM station
 WHERE status <> 'retired' AND region_code IS NOT NULL
 GROUP BY region_code;

CREATE FUNCTION region_station_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO region_station_count AS c (region_code, stations)
  SELECT region_code, count(*) FROM new_rows
   WHERE status <> 'retired' AND region_code IS NOT NULL GROUP BY region_code
  ON CONFLICT (region_code) DO UPDATE SET stations = c.stations + excluded.stations;
  RETURN NULL;
END $$;

CREATE FUNCTION region_station_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE region_station_count c SET stations = c.stations - d.n
    FROM (SELECT region_code, count(*) AS n FROM old_rows
           WHERE status <> 'retired' AND region_code IS NOT NULL GROUP BY region_code) d
   WHERE c.region_code = d.region_code;
  RETURN NULL;
END $$;

CREATE FUNCTION region_station_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- net change per region: +1 for each row counted after, -1 for each counted before. Negative changes
  -- go through UPDATE: an upsert would check the CHECK on the proposed (negative) row first.
  WITH d AS (
    SELECT region_code, sum(n) AS n FROM (
             SELECT region_code, 1 AS n FROM new_rows WHERE status <> 'retired' AND region_code IS NOT NULL
             UNION ALL
             SELECT region_code, -1 FROM old_rows WHERE status <> 'retired' AND region_code IS NOT NULL) x
     GROUP BY region_code HAVING sum(n) <> 0),
  up AS (
    UPDATE region_station_count c SET stations = c.stations + d.n
      FROM d WHERE c.region_code = d.region_code
    RETURNING c.region_code)
  INSERT INTO region_station_count AS c (region_code, stations)
  SELECT d.region_code, d.n FROM d WHERE d.n > 0 AND d.region_code NOT IN (SELECT region_code FROM up)
  ON CONFLICT (region_code) DO UPDATE SET stations = c.stations + excluded.stations;
  RETURN NULL;
END $$;

CREATE FUNCTION region_station_count_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM region_station_count;
  RETURN NULL;
END $$;

-- A transition table may serve one event only, hence one trigger per event.
CREATE TRIGGER station_count_insert AFTER INSERT ON station
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION region_station_count_insert();
CREATE TRIGGER station_count_update AFTER UPDATE ON station
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION region_station_count_update();
CREATE TRIGGER station_count_delete AFTER DELETE ON station
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION region_station_count_delete();
CREATE TRIGGER station_count_truncate AFTER TRUNCATE ON station
  FOR EACH STATEMENT EXECUTE FUNCTION region_station_count_truncate();
