-- History (issue 11): every write to a station, demand layer, scenario or report, written in the
-- same transaction as the write itself, so there is no change without its record and no record
-- without its change.
CREATE TABLE change_log (
  id         bigserial PRIMARY KEY,
  entity     text NOT NULL CHECK (entity IN ('station', 'demand_layer', 'scenario', 'report')),
  entity_id  text NOT NULL,
  -- the entity's version after this write (stations); null for entities without versions
  version    integer,
  action     text NOT NULL CHECK (action IN ('baseline', 'create', 'update', 'retire', 'restore', 'delete')),
  -- who: the account (kept as text too, so the record survives the account being deleted)
  actor_id   uuid REFERENCES app_user (id) ON DELETE SET NULL,
  actor      text NOT NULL,
  at         timestamptz NOT NULL DEFAULT now(),
  -- { field: [before, after] } for the fields this write changed
  changes    jsonb NOT NULL,
  -- the whole entity after the write (restore copies a version from here)
  snapshot   jsonb
);
CREATE INDEX change_log_entity_idx ON change_log (entity, entity_id, id);
