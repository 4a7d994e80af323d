-- Towns and street names for the offline basemap (issue 14): OSM place=* nodes (settlements only,
-- core/osm-places.ts) and the English street name, loaded by `npm run load-roads` in the same
-- transaction as the road network.
CREATE TABLE road_place (
  -- the OSM node
  id         bigint PRIMARY KEY,
  class      text NOT NULL CHECK (class IN ('city', 'town', 'suburb', 'village', 'quarter', 'hamlet', 'neighbourhood')),
  -- name:zh, else name
  name       text NOT NULL CHECK (name <> ''),
  name_en    text,
  population bigint CHECK (population >= 0),
  geom       geometry(Point, 4326) NOT NULL
);
-- road tiles read the places of a tile by bbox
CREATE INDEX road_place_geom_gix ON road_place USING gist (geom);

CREATE TRIGGER road_place_data_version AFTER INSERT OR UPDATE OR DELETE ON road_place
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('roads');
CREATE TRIGGER road_place_data_version_truncate AFTER TRUNCATE ON road_place
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('roads');

-- name:en of the way
ALTER TABLE road_edge ADD COLUMN name_en text;

-- places kept from the extract; null for a network loaded before this migration, which has no
-- places or English names: loading the same file again then re-imports it instead of skipping it
ALTER TABLE road_extract ADD COLUMN places integer;
