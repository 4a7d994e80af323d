-- Regions: GB/T 2260 administrative divisions, WGS-84 (EPSG:4326).
CREATE TABLE region (
  code        text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
  name        text NOT NULL,
  name_en     text NOT NULL,
  level       text NOT NULL CHECK (level IN ('province', 'city', 'county')),
  parent_code text CHECK (parent_code ~ '^[0-9]{6}$'),
  focus       boolean NOT NULL DEFAULT false,
  label       geometry(Point, 4326),
  geom        geometry(MultiPolygon, 4326) NOT NULL
);
-- Point-in-region lookups (which county is a station in) go through this index.
CREATE INDEX region_geom_gix ON region USING gist (geom);

CREATE TABLE station (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  external_id   text,
  kind          text NOT NULL CHECK (kind IN ('service_centre', 'red_sail', 'rider_rest', 'worksite')),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  region_code   text REFERENCES region (code),
  address       text,
  -- geometry, not geography, so bbox filters use the planar GiST index below;
  -- distances go through geography(geom), which has its own index for KNN.
  geom          geometry(Point, 4326) NOT NULL,
  opening_hours text,
  amenities     text[] NOT NULL DEFAULT '{}',
  phone         text,
  operator      text,
  capacity      integer CHECK (capacity >= 0),
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('planned', 'active', 'retired')),
  radius_m      integer CHECK (radius_m > 0 AND radius_m <= 50000),
  source        text NOT NULL CHECK (source IN ('demo', 'import', 'manual')),
  version       integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  -- an owner's id is unique within its source, so re-imports update instead of duplicating
  UNIQUE (source, external_id)
);
CREATE INDEX station_geom_gix ON station USING gist (geom);
-- KNN (<->) and ST_DWithin on the sphere use this expression index.
CREATE INDEX station_geog_gix ON station USING gist (geography(geom));
CREATE INDEX station_kind_idx ON station (kind, status);
CREATE INDEX station_region_idx ON station (region_code);

-- Small key/value facts about this database (e.g. that the demo data was loaded once).
CREATE TABLE meta (key text PRIMARY KEY, value jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
