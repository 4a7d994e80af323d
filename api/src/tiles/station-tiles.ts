import { fromGeojsonVt } from '@maplibre/vt-pbf'
import type { GeoJSONVTTile } from '@maplibre/geojson-vt'
import type { Sql } from '../db/connect.ts'
import { STATION_KINDS, STATION_STATUSES, type StationKind, type StationStatus } from '../core/station-kinds.ts'
import { buildClusterIndex, clusterTileFeatures, openClusterIndex, selectPoints, TILE_EXTENT, type ClusterInput, type OpenClusterIndex, type PackedClusterIndex } from './cluster-index.ts'
import { ClusterThread } from './cluster-thread.ts'
import { currentDataVersions } from './data-version.ts'
import { loadStationProjection, refreshStationProjection, type StationProjection } from './station-projection.ts'

export { CLUSTER_MAX_ZOOM, CLUSTER_RADIUS_PX, TILE_EXTENT } from './cluster-index.ts'

export interface StationTileFilter {
  kinds?: StationKind[]
  /** default: planned, active (as /api/stations) */
  statuses?: StationStatus[]
}

/** Per-kind counts on clusters, so a legend filter still works on them: `count_<kind>`. */
const COUNT_KEYS = STATION_KINDS.map((k) => `count_${k}` as const)

export interface IndexEntry {
  version: number
  index: OpenClusterIndex
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
  /** false: build cluster indexes on the request thread (the old way; scripts/bench-tile-rebuild.ts compares) */
  offThread?: boolean
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
  private readonly thread: ClusterThread | null

  constructor(private readonly sql: Sql, options: StationTileOptions = {}) {
    this.maxIndexes = options.maxIndexes ?? 4
    this.freshWaitMs = options.freshWaitMs ?? 300
    this.incremental = options.incremental ?? true
    this.thread = (options.offThread ?? true) ? new ClusterThread() : null
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

  /**
   * The index for `filter` at stations version `v` or newer (a page asking with `?v=` after it saw the
   * version move), waiting for the rebuild at most `budgetMs`; past that, the newest index there is.
   */
  async indexAtLeast(filter: StationTileFilter, v: number, budgetMs: number): Promise<IndexEntry> {
    const entry = await this.index(filter)
    if (entry.version >= v) return entry
    const build = this.freshIndex(filter)
    let timer: NodeJS.Timeout | undefined
    const waited = await Promise.race([build, new Promise<null>((r) => (timer = setTimeout(r, budgetMs, null)))])
    clearTimeout(timer)
    if (!waited) build.catch(() => {})
    return waited ?? this.indexes.get(filterKey(filter)) ?? entry
  }

  /** Stops the cluster thread (the process's close; indexes already built keep serving). */
  close(): Promise<void> {
    return this.thread?.close() ?? Promise.resolve()
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
      // the CPU-heavy clustering (≈ 4 s at 10^6) runs in the cluster thread; a small set (a county's,
      // the tests') clusters here in a few ms, sooner than a message round trip to a busy thread
      const packed = this.thread && projection.count > IN_THREAD_MAX_STATIONS
        ? await this.thread.build(clusterInput(projection, filter, true))
        : buildClusterIndex(selectPoints(clusterInput(projection, filter, false)))
      const entry = indexEntry(projection, packed)
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

/** Up to this many stations an index is clustered on the request thread (≈ 20 ms), beyond it in the cluster thread. */
export const IN_THREAD_MAX_STATIONS = 10_000

/**
 * The projection's columns and the filter as the cluster thread takes them; `copy`: copies of the
 * columns, to be moved to the thread (four memcpy, ≈ 5 ms at 10^6, instead of a loop over the rows here).
 */
export function clusterInput(projection: StationProjection, filter: StationTileFilter, copy: boolean): ClusterInput {
  const kinds = new Uint8Array(STATION_KINDS.length)
  for (const k of filter.kinds ?? STATION_KINDS) kinds[STATION_KINDS.indexOf(k)] = 1
  const statuses = new Uint8Array(STATION_STATUSES.length)
  for (const s of filter.statuses ?? ['planned', 'active']) statuses[STATION_STATUSES.indexOf(s)] = 1
  const n = projection.count
  const col = <T extends Float64Array | Uint8Array>(a: T): T => (copy ? (a.slice(0, n) as T) : a)
  return { count: n, lon: col(projection.lon), lat: col(projection.lat), kind: col(projection.kind), status: col(projection.status), kinds, statuses }
}

function indexEntry(projection: StationProjection, packed: PackedClusterIndex): IndexEntry {
  return { version: projection.version, index: openClusterIndex(packed), projection, points: packed.points }
}

/** One cluster index over the stations of the projection that pass the filter, built on this thread (tests, benchmarks). */
export function buildIndex(projection: StationProjection, filter: StationTileFilter): IndexEntry {
  return indexEntry(projection, buildClusterIndex(selectPoints(clusterInput(projection, filter, false))))
}

export interface EncodeOptions {
  /** also write radius_m and opening_hours on stations (default true; false measures their cost) */
  extras?: boolean
}

type Tags = Record<string, string | number | boolean>

/** Encodes tile z/x/y of an index as MVT (layer `stations`), or null when no feature falls in it. */
export function encodeStationTile(entry: IndexEntry, z: number, x: number, y: number, options: EncodeOptions = {}): Uint8Array | null {
  const p = entry.projection
  const found = clusterTileFeatures(entry.index, z, x, y, (i, out) => {
    out[0] = p.lon[i]!
    out[1] = p.lat[i]!
  })
  if (!found) return null
  const extras = options.extras ?? true
  const features = found.map((f) => {
    let tags: Tags
    if (f.count > 1) {
      const counts = (f as { kindCounts: Int32Array }).kindCounts
      tags = { cluster: true, point_count: f.count, point_count_abbreviated: abbreviate(f.count) }
      COUNT_KEYS.forEach((k, j) => (tags[k] = counts[j]!))
    } else {
      const i = (f as { row: number }).row
      tags = { id: p.id[i]!, kind: STATION_KINDS[p.kind[i]!]!, status: STATION_STATUSES[p.status[i]!]!, name: p.name[i]! }
      if (extras) {
        if (p.radius[i]) tags.radius_m = p.radius[i]!
        const h = p.hours[i]
        if (h) tags.opening_hours = h
      }
    }
    return { type: 1 as const, geometry: [[f.x, f.y]], tags }
  })
  return fromGeojsonVt({ stations: { features } as unknown as GeoJSONVTTile }, { version: 2, extent: TILE_EXTENT })
}

/** supercluster's point_count_abbreviated: 1234 → "1.2k", 12345 → "12k", 999 → 999 */
function abbreviate(count: number): string | number {
  return count >= 10000 ? `${Math.round(count / 1000)}k` : count >= 1000 ? `${Math.round(count / 100) / 10}k` : count
}

const services = new WeakMap<Sql, StationTiles>()

/** The one StationTiles of a database connection (the app's deps hold one `sql` for the process). */
export function stationTilesFor(sql: Sql, options?: StationTileOptions): StationTiles {
  let s = services.get(sql)
  if (!s) services.set(sql, (s = new StationTiles(sql, options)))
  return s
}

/** Stops the cluster thread of `sql`'s StationTiles, if it has one (the API's close). */
export async function closeStationTiles(sql: Sql): Promise<void> {
  await services.get(sql)?.close()
  services.delete(sql)
}
