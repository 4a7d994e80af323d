-- Imported demand layers (issue 12 item 2): the licence a real layer is published under, shown
-- beside its source wherever the layer appears; and each county's default layer, which a planner
-- sets so a real layer replaces the modelled one for /api/coverage, /gaps, /siting and the page.
ALTER TABLE demand_layer ADD COLUMN licence text;

CREATE TABLE region_default_layer (
  region_code text PRIMARY KEY REFERENCES region (code) ON DELETE CASCADE,
  layer_id    text NOT NULL REFERENCES demand_layer (id) ON DELETE CASCADE,
  set_at      timestamptz NOT NULL DEFAULT now()
);
