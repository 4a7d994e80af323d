import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { z } from '@hono/zod-openapi'
import { repoPath } from '../paths.ts'
import { RegionInput } from '../schemas/region.ts'
import { StationInput } from '../schemas/station.ts'
import type { Sql } from './connect.ts'
import { seedDemand } from './demand-seed.ts'

export interface SeedFiles {
  regions: string
  demoStations?: string
  /** data/demand/layers.json: the bundled demand layers (see db/demand-seed.ts) */
  demand?: string
}

export const DEFAULT_SEED_FILES: SeedFiles = {
  regions: repoPath('data/regions.geojson'),
  demoStations: repoPath('data/demo/stations.geojson'),
  demand: repoPath('data/demand/layers.json'),
}

const Collection = <T extends z.ZodType>(feature: T) => z.object({ type: z.literal('FeatureCollection'), features: z.array(feature) })

function readCollection<T extends z.ZodType>(path: string, feature: T) {
  const text = readFileSync(path, 'utf8')
  const parsed = Collection(feature).safeParse(JSON.parse(text))
  if (!parsed.success) {
    const first = parsed.error.issues[0]
    throw new Error(`${path}: ${first?.path.join('.')}: ${first?.message}`)
  }
  return { features: parsed.data.features as z.infer<T>[], hash: createHash('sha256').update(text).digest('hex') }
}

async function metaValue(sql: Sql, key: string) {
  const [row] = await sql<{ value: unknown }[]>`SELECT value FROM meta WHERE key = ${key}`
  return row?.value
}

/**
 * Loads the regions file (again whenever it changed), once per database the demo stations, then the
 * bundled demand layers. Each load is one transaction: a bad file changes nothing.
 */
export async function seed(sql: Sql, files: SeedFiles = DEFAULT_SEED_FILES, log: (msg: string) => void = () => {}) {
  await seedRegionsAndStations(sql, files, log)
  // After the regions: a layer without region codes is assigned to counties by point-in-polygon.
  if (files.demand) await seedDemand(sql, files.demand, log)
}

/**
 * The part of seed() every route needs (regions, demo stations), without the demand layers: the
 * server loads those after it listens (see start.ts).
 */
export async function seedRegionsAndStations(sql: Sql, files: SeedFiles = DEFAULT_SEED_FILES, log: (msg: string) => void = () => {}) {
  const regions = readCollection(files.regions, RegionInput)
  if ((await metaValue(sql, 'regions_sha256')) !== regions.hash) {
    const rows = regions.features.map((f) => ({ ...f.properties, geometry: JSON.stringify(f.geometry) }))
    await sql.begin(async (tx) => {
      // Parents first is not needed: parent_code has no foreign key (provinces are not stored).
      await tx`
        INSERT INTO region (code, name, name_en, level, parent_code, focus, label, geom)
        SELECT r.code, r.name, r.name_en, r.level, r.parent_code, coalesce(r.focus, false),
               CASE WHEN r.label_lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(r.label_lon, r.label_lat), 4326) END,
               ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(r.geometry), 4326))
          FROM json_to_recordset(${tx.json(rows)}::json)
            AS r(code text, name text, name_en text, level text, parent_code text, focus boolean,
                 label_lon float8, label_lat float8, geometry text)
        ON CONFLICT (code) DO UPDATE SET
          name = excluded.name, name_en = excluded.name_en, level = excluded.level, parent_code = excluded.parent_code,
          focus = excluded.focus, label = excluded.label, geom = excluded.geom`
      await tx`INSERT INTO meta (key, value) VALUES ('regions_sha256', ${tx.json(regions.hash)})
               ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`
    })
    log(`regions loaded: ${rows.length}`)
  }

  if (files.demoStations && existsSync(files.demoStations) && (await metaValue(sql, 'demo_loaded_at')) === undefined) {
    const stations = readCollection(files.demoStations, StationInput)
    const count = await insertStations(sql, stations.features)
    await sql`INSERT INTO meta (key, value) VALUES ('demo_loaded_at', ${sql.json(new Date().toISOString())})`
    log(`demo stations loaded: ${count}`)
  }
}

/** Inserts (or, for a known source + external_id, updates) stations in one transaction. Returns how many. */
export async function insertStations(sql: Sql, features: StationInput[]): Promise<number> {
  const rows = features.map((f) => ({
    ...f.properties,
    lon: f.geometry.coordinates[0],
    lat: f.geometry.coordinates[1],
  }))
  return sql.begin(async (tx) => {
    const result = await tx`
      INSERT INTO station (external_id, kind, name, region_code, address, geom, opening_hours, amenities,
                           phone, operator, capacity, status, radius_m, source)
      SELECT r.external_id, r.kind, r.name, r.region_code, r.address,
             ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326), r.opening_hours,
             coalesce(ARRAY(SELECT json_array_elements_text(r.amenities)), '{}'),
             r.phone, r.operator, r.capacity, r.status, r.radius_m, r.source
        FROM json_to_recordset(${tx.json(rows)}::json)
          AS r(external_id text, kind text, name text, region_code text, address text, lon float8, lat float8,
               opening_hours text, amenities json, phone text, operator text, capacity int, status text,
               radius_m int, source text)
      ON CONFLICT (source, external_id) DO UPDATE SET
        kind = excluded.kind, name = excluded.name, region_code = excluded.region_code, address = excluded.address,
        geom = excluded.geom, opening_hours = excluded.opening_hours, amenities = excluded.amenities,
        phone = excluded.phone, operator = excluded.operator, capacity = excluded.capacity, status = excluded.status,
        radius_m = excluded.radius_m, version = station.version + 1, updated_at = now()`
    return result.count
  })
}
