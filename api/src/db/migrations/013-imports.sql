-- Imports (issue 12): one row per applied import, so its writes can be listed and undone as a whole.
-- Every station write of an import is a change_log row carrying the import's id.
CREATE TABLE station_import (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  actor_id    uuid REFERENCES app_user (id) ON DELETE SET NULL,
  actor       text NOT NULL,
  filename    text NOT NULL,
  -- the uploaded bytes' SHA-256, so an import can be matched to the file it came from
  file_sha256 text NOT NULL,
  format      text NOT NULL CHECK (format IN ('xlsx', 'csv', 'geojson')),
  crs         text NOT NULL CHECK (crs IN ('wgs84', 'gcj02', 'bd09')),
  created     integer NOT NULL,
  updated     integer NOT NULL,
  unchanged   integer NOT NULL,
  skipped     integer NOT NULL,
  -- the counties the import wrote in: undoing it needs a grant for each
  regions     text[] NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  undone_at   timestamptz,
  undone_by   text
);
CREATE INDEX station_import_at_idx ON station_import (at DESC);

ALTER TABLE change_log ADD COLUMN import_id uuid REFERENCES station_import (id);
CREATE INDEX change_log_import_idx ON change_log (import_id) WHERE import_id IS NOT NULL;
-- 'undo': a write made by undoing an import
ALTER TABLE change_log DROP CONSTRAINT IF EXISTS change_log_action_check;
ALTER TABLE change_log ADD CONSTRAINT change_log_action_check CHECK (action IN ('baseline', 'create', 'update', 'retire', 'restore', 'delete', 'undo'));
