-- Road network (issue 14), built by `npm run load-roads` from an OpenStreetMap extract. One network
-- at a time: loading another file replaces it; loading the same file again changes nothing.
-- Speeds are not stored: they follow from `class` by the one table in core/road-speeds.ts.
CREATE TABLE road_extract (
  -- sha-256 of the file's bytes: the same file loaded twice is recognised by it
  sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  file_name  text NOT NULL,
  bytes      bigint NOT NULL,
  ways       integer NOT NULL,
  nodes      integer NOT NULL,
  edges      integer NOT NULL,
  loaded_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE road_node (
  -- dense 0-based numbers in order of first use in the file (the same file gives the same numbers)
  id     integer PRIMARY KEY,
  -- the OSM node; null for points the import added to split segments longer than 100 m
  osm_id bigint,
  geom   geometry(Point, 4326) NOT NULL
);
-- snapping (nearest node) and bbox loads
CREATE INDEX road_node_geom_gix ON road_node USING gist (geom);

CREATE TABLE road_edge (
  id             integer PRIMARY KEY,
  source         integer NOT NULL REFERENCES road_node (id),
  target         integer NOT NULL REFERENCES road_node (id),
  way_id         bigint NOT NULL,
  -- great-circle metres on the sphere (R = 6 371 008.8 m)
  length_m       double precision NOT NULL CHECK (length_m >= 0),
  -- OSM highway=* value
  class          text NOT NULL,
  foot           boolean NOT NULL,
  ebike_forward  boolean NOT NULL,
  ebike_backward boolean NOT NULL,
  name           text,
  geom           geometry(LineString, 4326) NOT NULL,
  CHECK (foot OR ebike_forward OR ebike_backward)
);
-- a region's graph is loaded by bbox (&& on this index)
CREATE INDEX road_edge_geom_gix ON road_edge USING gist (geom);
