-- Problem reports from riders at a stop (issue 4): what is wrong, when, where the reporter stood.
CREATE TABLE station_report (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- a report outlives nothing: deleting a station deletes its reports
  station_id  uuid NOT NULL REFERENCES station (id) ON DELETE CASCADE,
  problem     text NOT NULL CHECK (problem IN ('closed', 'no_water', 'no_power', 'moved', 'dirty', 'other')),
  note        text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  -- where the reporter was (WGS-84), when they chose to share it; null otherwise
  geom        geometry(Point, 4326),
  -- sha-256 of the client address with a per-process salt: enough to spot floods, not to identify anyone
  client_key  text NOT NULL,
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz
);
-- editors list newest first, usually the open ones
CREATE INDEX station_report_status_created_idx ON station_report (status, created_at DESC);
CREATE INDEX station_report_station_idx ON station_report (station_id);
