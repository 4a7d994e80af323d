import Supercluster, { type ClusterProperties, type InputFeature } from 'supercluster'
import { fromGeojsonVt } from '@maplibre/vt-pbf'
import type { GeoJSONVTTile } from '@maplibre/geojson-vt'
import type { Sql } from '../db/connect.ts'
import { STATION_KINDS, STATION_STATUSES, type StationKind, type StationStatus } from '../core/station-kinds.ts'
import { currentDataVersions } from './data-version.ts'
import { loadStationProjection, refreshStationProjection, type StationProjection } from './station-projection.ts'

/** MVT extent of every tile we serve (MapLibre's own GeoJSON tiles use 8192; 4096 is ⅛ px on a 512 px tile). */
export const TILE_EXTENT = 4096
/** Clusters exist up to this zoom; from CLUSTER_MAX_ZOOM + 1 on every station is its own feature. */
export const CLUSTER_MAX_ZOOM = 14
/** cluster radius in pixels of a 512 px tile (MapLibre's clusterRadius default is 50) */
export const CLUSTER_RADIUS_PX = 50

export interface StationTileFilter {
  kinds?: StationKind[]
  /** default: planned, active (as /api/stations) */
  statuses?: StationStatus[]
}

/** Per-kind counts on clusters, so a legend filter still works on them: `count_<kind>`. */
type KindCounts = Record<`count_${StationKind}`, number>
const COUNT_KEYS = STATION_KINDS.map((k) => `count_${k}` as const)
const ONE_OF_KIND: readonly KindCounts[] = STATION_KINDS.map((k) =>
  Object.fromEntries(STATION_KINDS.map((j) => [`count_${j}`, j === k ? 1 : 0])) as KindCounts,
)

interface IndexEntry {
  version: number
  index: Supercluster<KindCounts, KindCounts>
  projection: StationProjection
  points: number
}

export interface StationTileOptions {
  /** filter combinations kept built at once (each costs ~100–200 bytes per station it holds) */
  maxIndexes?: number
  /** how long a request waits for a rebuild after a change before it serves the previous index, ms */
  freshWaitMs?: number
  /** false: reload the whole table after every change (the old way; scripts/bench-tile-edit.ts compares) */
  incremental?: boolean
}

/** What a tile request gets: the encoded tile (null when empty) and the station version it shows. */
export interface StationTile {
  version: number
  bytes: Uint8Array | null
}

export function filterKey(f: StationTileFilter): string {
  const kinds = f.kinds ? [...f.kinds].sort().join(',') : '*'
  const statuses = (f.statuses ?? ['planned', 'active']).slice().sort().join(',')
  return `${kinds}|${statuses}`
}

/**
 * Station vector tiles from an in-memory cluster index (supercluster) per filter, built from the
 * compact projection of the station table and rebuilt when the stations version (migration 012)
 * moves. A rebuild runs in the background: a request waits up to `freshWaitMs` for it, then serves
 * the previous index (and says so through the version it returns), so tiles never stall on a big rebuild.
 */
export class StationTiles {
  private projection: StationProjection | null = null
  private loading: { version: number; promise: Promise<StationProjection> } | null = null
  private readonly indexes = new Map<string, IndexEntry>()
  private readonly building = new Map<string, { version: number; promise: Promise<IndexEntry> }>()
  private readonly maxIndexes: number
  private readonly freshWaitMs: number
  private readonly incremental: boolean

  constructor(private readonly sql: Sql, options: StationTileOptions = {}) {
    this.maxIndexes = options.maxIndexes ?? 4
    this.freshWaitMs = options.freshWaitMs ?? 300
    this.incremental = options.incremental ?? true
  }

  /** The index for `filter`: the current version's if it is ready (or becomes ready within freshWaitMs), else the previous. */
  async index(filter: StationTileFilter): Promise<IndexEntry> {
    const { stations: version } = await currentDataVersions(this.sql)
    const key = filterKey(filter)
    const entry = this.indexes.get(key)
    if (entry && entry.version >= version) {
      this.indexes.delete(key)
      this.indexes.set(key, entry) // most recently used last
      return entry
    }
    const build = this.build(key, filter, version)
    if (!entry) return build
    let timer: NodeJS.Timeout | undefined
    const waited = await Promise.race([build, new Promise<null>((r) => (timer = setTimeout(r, this.freshWaitMs, null)))])
    clearTimeout(timer)
    if (!waited) build.catch(() => {}) // keeps building; a failure shows on the next request
    return waited ?? entry
  }

  /** The index for `filter` at the current stations version, waiting for its build however long it takes. */
  async freshIndex(filter: StationTileFilter): Promise<IndexEntry> {
    const { stations: version } = await currentDataVersions(this.sql)
    const entry = this.indexes.get(filterKey(filter))
    return entry && entry.version >= version ? entry : this.build(filterKey(filter), filter, version)
  }

  /** The tile z/x/y for `filter`, MVT-encoded, layer `stations`. */
  async tile(filter: StationTileFilter, z: number, x: number, y: number): Promise<StationTile> {
    const entry = await this.index(filter)
    return { version: entry.version, bytes: encodeStationTile(entry, z, x, y) }
  }

  private build(key: string, filter: StationTileFilter, version: number): Promise<IndexEntry> {
    const running = this.building.get(key)
    if (running && running.version >= version) return running.promise
    const promise = (async () => {
      if (running) await running.promise.catch(() => {}) // one build per filter at a time
      const projection = await this.load(version)
      const entry = buildIndex(projection, filter)
      const current = this.indexes.get(key)
      if (!current || current.version <= entry.version) {
        this.indexes.delete(key)
        this.indexes.set(key, entry)
        while (this.indexes.size > this.maxIndexes) this.indexes.delete(this.indexes.keys().next().value!)
      }
      return entry
    })().finally(() => {
      if (this.building.get(key)?.promise === promise) this.building.delete(key)
    })
    this.building.set(key, { version, promise })
    return promise
  }

  private load(version: number): Promise<StationProjection> {
    if (this.projection && this.projection.version >= version) return Promise.resolve(this.projection)
    if (this.loading && this.loading.version >= version) return this.loading.promise
    const previous = this.loading?.promise
    const promise = (async () => {
      if (previous) await previous.catch(() => {}) // loads run one after another, never two at once
      // read the version again just before the rows: the projection is labelled with what it holds at most
      const { stations } = await currentDataVersions(this.sql)
      const target = Math.max(stations, version)
      // after an edit, read only the changed rows (refreshStationProjection); the first load reads all
      const p = this.projection && this.incremental ? await refreshStationProjection(this.sql, this.projection, target) : await loadStationProjection(this.sql, target)
      if (!this.projection || this.projection.version <= p.version) this.projection = p
      return p
    })().finally(() => {
      if (this.loading?.promise === promise) this.loading = null
    })
    this.loading = { version, promise }
    return promise
  }
}

/** One supercluster index over the stations of the projection that pass the filter. */
export function buildIndex(projection: StationProjection, filter: StationTileFilter): IndexEntry {
  const kinds = new Set((filter.kinds ?? STATION_KINDS).map((k) => STATION_KINDS.indexOf(k)))
  const statuses = new Set((filter.statuses ?? ['planned', 'active']).map((s) => STATION_STATUSES.indexOf(s)))
  const features: InputFeature<KindCounts>[] = []
  for (let i = 0; i < projection.count; i++) {
    if (!kinds.has(projection.kind[i]!) || !statuses.has(projection.status[i]!)) continue
    // id = the row of the projection (supercluster hands it back on unclustered points);
    // properties = one shared object per kind, the seed of the per-kind cluster counts
    features.push({ type: 'Feature', id: i, properties: ONE_OF_KIND[projection.kind[i]!]!, geometry: { type: 'Point', coordinates: [projection.lon[i]!, projection.lat[i]!] } })
  }
  const index = new Supercluster<KindCounts, KindCounts>({
    maxZoom: CLUSTER_MAX_ZOOM,
    extent: TILE_EXTENT,
    radius: CLUSTER_RADIUS_PX * (TILE_EXTENT / 512),
    reduce: (acc, p) => {
      for (const k of COUNT_KEYS) acc[k] += p[k]
    },
  })
  index.load(features)
  return { version: projection.version, index, projection, points: features.length }
}

export interface EncodeOptions {
  /** also write radius_m and opening_hours on stations (default true; false measures their cost) */
  extras?: boolean
}

type Tags = Record<string, string | number | boolean>

/** Encodes tile z/x/y of an index as MVT (layer `stations`), or null when no feature falls in it. */
export function encodeStationTile(entry: IndexEntry, z: number, x: number, y: number, options: EncodeOptions = {}): Uint8Array | null {
  const tile = entry.index.getTile(z, x, y)
  if (!tile) return null
  const p = entry.projection
  const extras = options.extras ?? true
  const features = tile.features.map((f) => {
    const t = f.tags as (ClusterProperties & KindCounts) | KindCounts
    let tags: Tags
    if ('cluster' in t) {
      tags = { cluster: true, point_count: t.point_count, point_count_abbreviated: t.point_count_abbreviated }
      for (const k of COUNT_KEYS) tags[k] = t[k]
    } else {
      const i = f.id as number
      tags = { id: p.id[i]!, kind: STATION_KINDS[p.kind[i]!]!, status: STATION_STATUSES[p.status[i]!]!, name: p.name[i]! }
      if (extras) {
        if (p.radius[i]) tags.radius_m = p.radius[i]!
        const h = p.hours[i]
        if (h) tags.opening_hours = h
      }
    }
    return { type: 1 as const, geometry: f.geometry, tags }
  })
  return fromGeojsonVt({ stations: { features } as unknown as GeoJSONVTTile }, { version: 2, extent: TILE_EXTENT })
}

const services = new WeakMap<Sql, StationTiles>()

/** The one StationTiles of a database connection (the app's deps hold one `sql` for the process). */
export function stationTilesFor(sql: Sql, options?: StationTileOptions): StationTiles {
  let s = services.get(sql)
  if (!s) services.set(sql, (s = new StationTiles(sql, options)))
  return s
}
