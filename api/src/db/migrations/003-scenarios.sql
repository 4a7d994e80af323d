-- Planning scenarios: a named set of what-if edits to one region's network, with the coverage
-- the server computed for it when it was saved (before = the network as it was, after = edited).
CREATE TABLE scenario (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  note         text CHECK (length(note) <= 1000),
  region_code  text NOT NULL REFERENCES region (code),
  kinds        text[],                      -- NULL: every kind
  radius_m     double precision CHECK (radius_m > 0),
  layer_id     text NOT NULL,
  at           timestamptz,
  resolution   integer NOT NULL,
  edits        jsonb NOT NULL,              -- { added: [...], moved: [...], removed: [...] }
  before       jsonb NOT NULL,              -- { covered, total, ratio }
  after        jsonb NOT NULL,
  stations     jsonb NOT NULL,              -- the plan's stations as exported (GeoJSON FeatureCollection)
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scenario_region_idx ON scenario (region_code, created_at DESC);
