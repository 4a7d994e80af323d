-- Demand layers (DESIGN.md §3): weighted H3 cells (population, modelled) or weighted points
-- (enterprises, project sites), each layer with its name, unit, source and modelled/demo flags.
CREATE TABLE demand_layer (
  id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  name        text NOT NULL,
  name_en     text NOT NULL,
  unit        text NOT NULL,
  unit_en     text NOT NULL,
  source      text NOT NULL,
  modelled    boolean NOT NULL,
  demo        boolean NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('h3', 'point')),
  -- H3 resolution of the cells (kind h3) or of the cell each point is indexed by (kind point)
  resolution  integer NOT NULL CHECK (resolution BETWEEN 0 AND 15),
  -- 'bundled': loaded from data/demand/ at start-up and reloaded when its file changes;
  -- 'user': loaded by `npm run load-demand`, never overwritten by start-up
  origin      text NOT NULL DEFAULT 'bundled' CHECK (origin IN ('bundled', 'user')),
  file_sha256 text,
  loaded_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE demand_item (
  layer_id    text NOT NULL REFERENCES demand_layer (id) ON DELETE CASCADE,
  h3          text NOT NULL,
  name        text,
  weight      double precision NOT NULL CHECK (weight > 0),
  -- no foreign key: a user's layer may reach beyond the loaded regions (region_code null)
  region_code text,
  -- the cell centre (kind h3) or the point itself, WGS-84
  geom        geometry(Point, 4326) NOT NULL
);
-- Coverage queries filter a layer to a few counties first.
CREATE INDEX demand_item_layer_region_idx ON demand_item (layer_id, region_code);
-- bbox filters use the planar index; ST_DWithin on the sphere uses the geography expression index.
CREATE INDEX demand_item_geom_gix ON demand_item USING gist (geom);
CREATE INDEX demand_item_geog_gix ON demand_item USING gist (geography(geom));
