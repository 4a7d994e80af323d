-- A scenario remembers the coverage rule its figures use (issue 14): straight-line circles, or travel
-- time along the loaded roads by a mode within some minutes. Scenarios saved before this are
-- straight-line, as their figures were.
ALTER TABLE scenario ADD COLUMN IF NOT EXISTS metric text NOT NULL DEFAULT 'straight' CHECK (metric IN ('straight', 'network'));
ALTER TABLE scenario ADD COLUMN IF NOT EXISTS mode text CHECK (mode IN ('ebike', 'foot'));
ALTER TABLE scenario ADD COLUMN IF NOT EXISTS minutes double precision CHECK (minutes > 0 AND minutes <= 60);
-- the network rule names its mode and minutes; straight-line has neither
DO $$ BEGIN
  ALTER TABLE scenario ADD CONSTRAINT scenario_metric_rule CHECK (CASE WHEN metric = 'network' THEN mode IS NOT NULL AND minutes IS NOT NULL ELSE mode IS NULL AND minutes IS NULL END);
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
