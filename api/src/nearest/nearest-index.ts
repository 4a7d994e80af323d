import KDBush from 'kdbush'
import { around } from 'geokdbush'
import type { Sql } from '../db/connect.ts'
import { envMilliseconds } from '../env-milliseconds.ts'
import { activeStationCount, snapshotStations, stationChangeState, type SnapshotStation } from '../db/station-snapshot.ts'
import type { NearestQuery } from '../db/stations.ts'
import { postgisRounded } from './postgis-rounded.ts'
import { POSTGIS_SPHERE_RADIUS_M, sphereDistance } from './sphere-distance.ts'
import { windowedNearest, type WindowRow } from './windowed-nearest.ts'

export interface NearestIndexOptions {
  /** how often the change counter is read, ms (default NEAREST_POLL_MS or 500; 0: never, only sync()) */
  pollMs?: number
  log?: (msg: string) => void
}

/** Rows written this long before the previous sync are fetched again: a transaction's updated_at is its start time. */
const SINCE_SLACK_MS = 60_000
/** geokdbush's earth radius (km): its maxDistance is scaled to ours so no station within the limit is cut. */
const GEOKDBUSH_RADIUS_KM = 6371

const byDistanceThenId = (a: WindowRow, b: WindowRow) => a.distance_m - b.distance_m || (a.feature.id < b.feature.id ? -1 : a.feature.id > b.feature.id ? 1 : 0)

/**
 * Active stations in memory for GET /api/nearest (issue 13 item 4): a kdbush tree searched
 * nearest-first by geokdbush, answering exactly as the PostGIS KNN route does (same filters, the same
 * sphere distance, ties by id, opening hours in China time through windowedNearest) — without a
 * database round trip, so a rider's nearest never queues behind the embedded database's one connection.
 * Distances are rounded as PostGIS rounds them (postgis-rounded.ts), so ties agree too.
 *
 * In sync with the table, across processes: every `pollMs` it reads the station change counter
 * (migration 012, one row); when it moved, stations updated since the last sync are fetched and
 * applied, and a full reload follows if the active count still disagrees (a hard delete, a TRUNCATE).
 * The writing process calls sync() after each station write, so its own writes show at once.
 *
 * Changes go to a small side list (scanned linearly) until it reaches 1/16 of the tree, then the tree
 * is rebuilt (≈ 30 ms per 10^5 stations), so an edit costs no rebuild.
 */
export class NearestIndex {
  private stations = new Map<string, SnapshotStation>()
  private tree!: KDBush
  private treeStations: SnapshotStation[] = []
  private slotOf = new Map<string, number>()
  private stale = new Set<number>()
  private side = new Map<string, SnapshotStation>()
  private version = -1
  private since: Date | undefined
  private running: Promise<void> | null = null
  private again: Promise<void> | null = null
  private timer: NodeJS.Timeout | null = null
  private closed = false
  /** counts, for the bench and tests */
  readonly stats = { fullLoads: 0, incrementalLoads: 0, rebuilds: 0 }

  private constructor(
    private readonly sql: Sql,
    private readonly log: (msg: string) => void,
  ) {
    this.rebuild()
  }

  /** Loads every active station, then keeps polling (unless pollMs is 0). */
  static async open(sql: Sql, options: NearestIndexOptions = {}): Promise<NearestIndex> {
    const index = new NearestIndex(sql, options.log ?? (() => {}))
    await index.sync()
    const pollMs = options.pollMs ?? envMilliseconds('NEAREST_POLL_MS') ?? 500
    if (pollMs > 0) index.poll(pollMs)
    return index
  }

  get size(): number {
    return this.stations.size
  }

  /** GET /api/nearest's answer from memory. */
  query(q: NearestQuery) {
    return windowedNearest(q, (window) => this.window(q, window + 1))
  }

  /**
   * Brings the index up to the database's state: resolves after a sync that started after this call,
   * so a write committed before it is in the index. Concurrent calls share runs.
   */
  sync(): Promise<void> {
    if (!this.running) {
      this.running = this.syncOnce().finally(() => { this.running = null })
      return this.running
    }
    // one is under way and may have read the counter before the caller's write: queue one more run
    this.again ??= this.running.catch(() => {}).then(() => {
      this.again = null
      return this.sync()
    })
    return this.again
  }

  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
  }

  private poll(ms: number) {
    const tick = () => {
      if (this.closed) return
      this.sync()
        .catch((err: Error) => this.log(`nearest index: sync failed (${err.message}); retrying`))
        .finally(() => { if (!this.closed) this.timer = setTimeout(tick, ms).unref() })
    }
    this.timer = setTimeout(tick, ms).unref()
  }

  private async syncOnce(): Promise<void> {
    const { version, now } = await stationChangeState(this.sql)
    if (version === this.version) return
    const t0 = performance.now()
    if (this.since === undefined) {
      await this.reload()
    } else {
      const changed = await snapshotStations(this.sql, this.since)
      for (const s of changed) this.apply(s)
      this.stats.incrementalLoads++
      // updated_at cannot show a hard delete or a TRUNCATE; a count that disagrees can
      if ((await activeStationCount(this.sql)) !== this.stations.size) await this.reload()
      else if (this.side.size + this.stale.size > Math.max(1024, this.stations.size / 16)) this.rebuild()
    }
    this.version = version
    this.since = new Date(now.getTime() - SINCE_SLACK_MS)
    const ms = performance.now() - t0
    if (ms > 200) this.log(`nearest index: ${this.stations.size} active stations, synced in ${Math.round(ms)} ms`)
  }

  private async reload() {
    const all = await snapshotStations(this.sql)
    this.stations = new Map(all.map((s) => [s.feature.id, s]))
    this.stats.fullLoads++
    this.rebuild()
  }

  private apply(s: SnapshotStation) {
    const id = s.feature.id
    const slot = this.slotOf.get(id)
    if (slot !== undefined) this.stale.add(slot)
    if (s.feature.properties.status === 'active') {
      this.stations.set(id, s)
      this.side.set(id, s)
    } else {
      this.stations.delete(id)
      this.side.delete(id)
    }
  }

  private rebuild() {
    const list = [...this.stations.values()]
    // kdbush refuses an empty index; one never-matched slot keeps the search free of special cases
    const tree = new KDBush(Math.max(list.length, 1), 64)
    for (const s of list) tree.add(s.lon, s.lat)
    if (list.length === 0) tree.add(0, 90)
    tree.finish()
    this.tree = tree
    this.treeStations = list
    this.slotOf = new Map(list.map((s, i) => [s.feature.id, i]))
    this.stale = new Set()
    this.side = new Map()
    this.stats.rebuilds++
  }

  /** The `n` nearest active stations passing the kind/amenity/distance filters, sorted by (distance, id). */
  private window(q: NearestQuery, n: number): WindowRow[] {
    const origin: [number, number] = [q.lon, q.lat]
    const passes = (s: SnapshotStation) => {
      const p = s.feature.properties
      return (!q.kinds || q.kinds.includes(p.kind)) && (!q.amenities || q.amenities.every((a) => p.amenities.includes(a)))
    }
    const list = this.treeStations
    const maxKm = q.maxDistance === undefined ? Infinity : (q.maxDistance / POSTGIS_SPHERE_RADIUS_M) * GEOKDBUSH_RADIUS_KM * (1 + 1e-9)
    const slots = around(this.tree, q.lon, q.lat, n, maxKm, (i: number) => i < list.length && !this.stale.has(i) && passes(list[i]!)) as number[]
    const rows: WindowRow[] = []
    const take = (s: SnapshotStation) => {
      // station first, as PostGIS is called (ST_Distance(station, origin)); rounded as the SQL rounds
      const distance_m = postgisRounded(sphereDistance([s.lon, s.lat], origin))
      if (q.maxDistance === undefined || distance_m <= q.maxDistance) rows.push({ feature: s.feature, distance_m })
    }
    for (const i of slots) take(list[i]!)
    for (const s of this.side.values()) if (passes(s)) take(s)
    return rows.sort(byDistanceThenId).slice(0, n)
  }
}
