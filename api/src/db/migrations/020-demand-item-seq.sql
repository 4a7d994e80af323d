-- Province-size planning (issue 13 item 5) reads a layer's demand in bounded slices, one short
-- statement each, so the embedded database's one connection serves other requests in between and a
-- client that leaves cancels at the next slice. Slices need a stable key to continue from: demand_item
-- had none (points of a layer may share h3 and name). An identity column numbers existing rows in
-- the rewrite and new rows on insert; the index serves `layer_id = $1 AND region_code = $2 AND seq > $3
-- ORDER BY seq LIMIT n` as one range scan per slice, and makes the old (layer_id, region_code) index
-- redundant (its prefix).
ALTER TABLE demand_item ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
CREATE INDEX demand_item_layer_region_seq_idx ON demand_item (layer_id, region_code, seq);
DROP INDEX demand_item_layer_region_idx;
