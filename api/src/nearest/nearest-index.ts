import type { Sql } from '../db/connect.ts'
import { envMilliseconds } from '../env-milliseconds.ts'
import { activeStationCount, snapshotPages, stationChangeState, type SnapshotStation } from '../db/station-snapshot.ts'
import type { NearestQuery } from '../db/stations.ts'
import { amenityMask, CompactStations, kindCode } from './compact-stations.ts'
import { postgisRounded } from './postgis-rounded.ts'
import { buildSphereKdTree, chordSquared, kNearest, type SphereKdTree } from './sphere-kd-tree.ts'
import { POSTGIS_SPHERE_RADIUS_M, sphereDistance } from './sphere-distance.ts'
import { windowedNearest, type NearestHit, type WindowRow } from './windowed-nearest.ts'

export interface NearestIndexOptions {
  /** how often the change counter is read, ms (default NEAREST_POLL_MS or 500; 0: never, only sync()) */
  pollMs?: number
  log?: (msg: string) => void
}

/** Rows written this long before the previous sync are fetched again: a transaction's updated_at is its start time. */
const SINCE_SLACK_MS = 60_000
/**
 * Candidates the tree returns beyond those asked for, before the exact distances sort them: the
 * squared chord orders stations as the great circle does, but in floating point two stations a few
 * nanometres apart may swap, and the answer's order is PostGIS's rounded distance, then id.
 */
const CHORD_SLACK = 8

interface Row extends WindowRow {
  slot: number
  id: string
}

const OPEN_COLLECTION = Buffer.from('{"type":"FeatureCollection","features":[')
const COMMA = Buffer.from(',')
const CLOSE_COLLECTION = Buffer.from(']}')

const byDistanceThenId = (a: Row, b: Row) => a.distance_m - b.distance_m || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * Active stations in memory for GET /api/nearest (issue 13 item 4): a k-d tree over unit vectors
 * (sphere-kd-tree.ts) on a compact store (compact-stations.ts), answering exactly as the PostGIS KNN
 * route does (same filters, the same
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
 * is rebuilt (and the store compacted when a quarter of its slots are dead), so an edit costs no rebuild.
 * The response is assembled from each station's feature text, serialised once at load
 * (queryJson): no feature objects are built or stringified per request.
 */
export class NearestIndex {
  private store = new CompactStations()
  /** live (active) stations: id → slot */
  private slotOf = new Map<string, number>()
  private tree: SphereKdTree = buildSphereKdTree(0, () => 0, () => 0, () => 0)
  /** live slots written since the tree was built (not in it) */
  private side = new Set<number>()
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
  ) {}

  /** Loads every active station, then keeps polling (unless pollMs is 0). */
  static async open(sql: Sql, options: NearestIndexOptions = {}): Promise<NearestIndex> {
    const index = NearestIndex.start(sql, options)
    await index.loaded
    return index
  }

  /**
   * The index at once, loading in the background (`ready` false until then: the server answers
   * nearest by PostGIS KNN meanwhile); polling starts after the first load, and retries a failed one.
   */
  static start(sql: Sql, options: NearestIndexOptions = {}): NearestIndex {
    const index = new NearestIndex(sql, options.log ?? (() => {}))
    const pollMs = options.pollMs ?? envMilliseconds('NEAREST_POLL_MS') ?? 500
    index.loaded = index.sync()
    index.loaded
      .catch((err: Error) => index.log(`nearest index: the first load failed (${err.message}); ${pollMs > 0 ? 'retrying' : 'nearest answers from PostGIS'}`))
      .finally(() => { if (pollMs > 0 && !index.closed) index.poll(pollMs) })
    return index
  }

  /** Settles when the first load does (rejects when it failed; a later poll may still load it). */
  loaded: Promise<void> = Promise.resolve()

  /** Whether every active station has been loaded once: until then queries must go to the database. */
  get ready(): boolean {
    return this.since !== undefined
  }

  get size(): number {
    return this.slotOf.size
  }

  /** Bytes the compact store holds, for the start-up log and the bench. */
  get bytes(): number {
    return this.store.bytes + this.tree.coords.byteLength + this.tree.ids.byteLength + this.tree.axes.byteLength
  }

  /** The nearest stations, nearest first: ids, distances and the properties nearest adds. */
  query(q: NearestQuery): Promise<NearestHit<Row>[]> {
    const store = this.store
    return windowedNearest(q, (window) => this.window(store, q, window + 1))
  }

  /**
   * GET /api/nearest's body as UTF-8, byte for byte what JSON.stringify makes of the KNN route's
   * FeatureCollection: each station's feature text with distance_m, bearing_deg (and open) appended
   * to its properties, as the KNN route spreads them in. The feature bytes are copied once, from the
   * arena into the body; nothing is decoded or re-encoded.
   */
  async queryJson(q: NearestQuery): Promise<Buffer<ArrayBuffer>> {
    const store = this.store
    const hits = await windowedNearest(q, (window) => this.window(store, q, window + 1))
    const parts: Buffer[] = [OPEN_COLLECTION]
    for (let i = 0; i < hits.length; i++) {
      const h = hits[i]!
      if (i) parts.push(COMMA)
      parts.push(store.head(h.row.slot))
      parts.push(Buffer.from(`,"distance_m":${JSON.stringify(h.distance_m)},"bearing_deg":${JSON.stringify(h.bearing_deg)}${h.open !== undefined ? `,"open":${JSON.stringify(h.open)}` : ''}}}`))
    }
    parts.push(CLOSE_COLLECTION)
    return Buffer.concat(parts)
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
      for await (const page of snapshotPages(this.sql, this.since)) for (const s of page) this.apply(s)
      this.stats.incrementalLoads++
      // updated_at cannot show a hard delete or a TRUNCATE; a count that disagrees can
      if ((await activeStationCount(this.sql)) !== this.slotOf.size) await this.reload()
      else if (this.side.size + this.store.dead > Math.max(1024, this.slotOf.size / 16)) this.rebuild()
    }
    this.version = version
    this.since = new Date(now.getTime() - SINCE_SLACK_MS)
    const ms = performance.now() - t0
    if (ms > 200) this.log(`nearest index: ${this.slotOf.size} active stations, ${Math.round(this.bytes / 2 ** 20)} MiB, synced in ${Math.round(ms)} ms`)
  }

  /** A fresh store from every active station; queries keep the old one until it is complete. */
  private async reload() {
    const store = new CompactStations()
    const slotOf = new Map<string, number>()
    for await (const page of snapshotPages(this.sql)) {
      for (const s of page) {
        // a row updated during the read may come twice, the newer last
        const old = slotOf.get(s.id)
        if (old !== undefined) store.kill(old)
        slotOf.set(s.id, store.add(s))
      }
    }
    this.store = store
    this.slotOf = slotOf
    this.stats.fullLoads++
    this.rebuild()
  }

  private apply(s: SnapshotStation) {
    const id = s.id
    const slot = this.slotOf.get(id)
    if (slot !== undefined) {
      this.store.kill(slot)
      this.side.delete(slot)
      this.slotOf.delete(id)
    }
    if (s.status === 'active') {
      const added = this.store.add(s)
      this.slotOf.set(id, added)
      this.side.add(added)
    }
  }

  private rebuild() {
    if (this.store.dead > this.slotOf.size / 4) {
      const old = this.store
      const slotOf = new Map<string, number>()
      this.store = old.compacted((from, to) => slotOf.set(old.ids[from]!, to))
      this.slotOf = slotOf
    }
    const live = [...this.slotOf.values()]
    const store = this.store
    this.tree = buildSphereKdTree(live.length, (i) => store.lon[live[i]!]!, (i) => store.lat[live[i]!]!, (i) => live[i]!)
    this.side = new Set()
    this.stats.rebuilds++
  }

  /** The `n` nearest active stations passing the kind/amenity/distance filters, sorted by (distance, id). */
  private window(store: CompactStations, q: NearestQuery, n: number): Row[] {
    const origin: [number, number] = [q.lon, q.lat]
    let kinds = 0
    for (const k of q.kinds ?? []) kinds |= 1 << kindCode(k)
    const wanted = amenityMask(q.amenities ?? [])
    const passes = (slot: number) =>
      store.alive[slot] === 1 && (!q.kinds || ((kinds >> store.kind[slot]!) & 1) === 1) && (store.amenities[slot]! & wanted) === wanted
    const maxChord2 = q.maxDistance === undefined ? Infinity : chordSquared(q.maxDistance, POSTGIS_SPHERE_RADIUS_M) * (1 + 1e-9)
    // the tree may be older than the store's latest compaction only between the two lines of rebuild()
    const tree = store === this.store ? this.tree : buildSphereKdTree(0, () => 0, () => 0, () => 0)
    const rows: Row[] = []
    const take = (slot: number) => {
      // station first, as PostGIS is called (ST_Distance(station, origin)); rounded as the SQL rounds
      const distance_m = postgisRounded(sphereDistance([store.lon[slot]!, store.lat[slot]!], origin))
      if (q.maxDistance === undefined || distance_m <= q.maxDistance) {
        rows.push({ slot, id: store.ids[slot]!, distance_m, opening_hours: store.hoursOf(slot), coordinates: [store.geoLon[slot]!, store.geoLat[slot]!] })
      }
    }
    for (const slot of kNearest(tree, q.lon, q.lat, n + CHORD_SLACK, maxChord2, passes).ids) take(slot)
    for (const slot of this.side) if (passes(slot)) take(slot)
    return rows.sort(byDistanceThenId).slice(0, n)
  }
}
