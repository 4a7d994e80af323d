-- Scale data (issue 13): `npm run scale-data` marks its synthetic stations source 'demo-scale', so they can be
-- told apart from the demo set and removed again with `--remove`.
ALTER TABLE station DROP CONSTRAINT IF EXISTS station_source_check;
ALTER TABLE station ADD CONSTRAINT station_source_check CHECK (source IN ('demo', 'import', 'manual', 'demo-scale'));

-- Coverage selects stations through station_geom_gix with a box expanded by the largest radius in use;
-- max(radius_m) reads the end of this index instead of scanning every station.
CREATE INDEX station_radius_idx ON station (radius_m) WHERE radius_m IS NOT NULL;
