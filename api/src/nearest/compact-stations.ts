import { AMENITIES, STATION_KINDS } from '../core/station-kinds.ts'
import type { SnapshotStation } from '../db/station-snapshot.ts'

/** Bytes of one arena chunk of serialised features. */
const CHUNK_BYTES = 16 * 1024 * 1024
/** A kind outside the vocabulary (the table's CHECK forbids it): matches only a query without a kind filter. */
export const UNKNOWN_KIND = 255

/** A bit per amenity of the fixed vocabulary (DESIGN §3); amenities outside it cannot be asked for. */
export function amenityMask(amenities: readonly string[]): number {
  let mask = 0
  for (const a of amenities) {
    const bit = (AMENITIES as readonly string[]).indexOf(a)
    if (bit >= 0) mask |= 1 << bit
  }
  return mask
}

export function kindCode(kind: string): number {
  const code = (STATION_KINDS as readonly string[]).indexOf(kind)
  return code >= 0 ? code : UNKNOWN_KIND
}

/**
 * The stations of the nearest index, packed: per slot its exact point, its GeoJSON point, kind,
 * amenity bits and hours in typed arrays, and its feature serialised once as UTF-8 in an arena of
 * 16 MiB chunks. A request reads the typed arrays while searching and decodes the few features it
 * answers with; nothing per station is a JS object but its id, so 10^6 stations take about a third of
 * the memory full features took and the garbage collector has almost nothing to trace.
 *
 * Slots are only appended; a station that changes gets a new slot and its old one is marked dead
 * (`alive` 0). `compacted()` copies the live slots into a fresh store when enough are dead.
 */
export class CompactStations {
  size = 0
  /** slots marked dead by kill() */
  dead = 0
  lon = new Float64Array(0)
  lat = new Float64Array(0)
  /** the feature's geometry coordinates (7 decimals, as the response shows them) */
  geoLon = new Float64Array(0)
  geoLat = new Float64Array(0)
  kind = new Uint8Array(0)
  amenities = new Uint16Array(0)
  /** index into `hoursTable`, -1 for none */
  hours = new Int32Array(0)
  alive = new Uint8Array(0)
  private chunkOf = new Uint32Array(0)
  private start = new Uint32Array(0)
  private end = new Uint32Array(0)
  readonly ids: string[] = []
  /** each distinct opening_hours string once */
  private readonly hoursTable: string[] = []
  private readonly hoursIndex = new Map<string, number>()
  private readonly chunks: Buffer[] = []
  private used = 0

  /** Appends a station; returns its slot. */
  add(s: SnapshotStation): number {
    const slot = this.size
    if (slot === this.lon.length) this.grow(Math.max(1024, slot * 2))
    this.lon[slot] = s.lon
    this.lat[slot] = s.lat
    this.geoLon[slot] = s.coordinates[0]
    this.geoLat[slot] = s.coordinates[1]
    this.kind[slot] = kindCode(s.kind)
    this.amenities[slot] = amenityMask(s.amenities)
    this.hours[slot] = s.opening_hours === null ? -1 : this.hoursSlot(s.opening_hours)
    this.alive[slot] = 1
    this.ids[slot] = s.id
    // properties are the feature's last member and updated_at theirs: the text without its closing
    // "}}" (two bytes) takes nearest's own properties after it (NearestIndex.queryJson)
    this.putHead(slot, s.text, 2)
    this.size++
    return slot
  }

  /** Appends a live slot of another store (compaction), without parsing anything. */
  copy(from: CompactStations, i: number): number {
    const slot = this.size
    if (slot === this.lon.length) this.grow(Math.max(1024, slot * 2))
    this.lon[slot] = from.lon[i]!
    this.lat[slot] = from.lat[i]!
    this.geoLon[slot] = from.geoLon[i]!
    this.geoLat[slot] = from.geoLat[i]!
    this.kind[slot] = from.kind[i]!
    this.amenities[slot] = from.amenities[i]!
    const h = from.hours[i]!
    this.hours[slot] = h < 0 ? -1 : this.hoursSlot(from.hoursTable[h]!)
    this.alive[slot] = 1
    this.ids[slot] = from.ids[i]!
    this.putBytes(slot, from.chunks[from.chunkOf[i]!]!.subarray(from.start[i]!, from.end[i]!))
    this.size++
    return slot
  }

  kill(slot: number): void {
    if (this.alive[slot]) {
      this.alive[slot] = 0
      this.dead++
    }
  }

  /** The slot's feature as UTF-8 JSON without its final "}}" (a view of the arena, not a copy). */
  head(slot: number): Buffer {
    return this.chunks[this.chunkOf[slot]!]!.subarray(this.start[slot]!, this.end[slot]!)
  }

  hoursOf(slot: number): string | null {
    const h = this.hours[slot]!
    return h < 0 ? null : this.hoursTable[h]!
  }

  /** A store of the live slots only; `remap(old, new)` is told where each went. */
  compacted(remap: (oldSlot: number, newSlot: number) => void): CompactStations {
    const out = new CompactStations()
    out.grow(Math.max(1024, this.size - this.dead))
    for (let i = 0; i < this.size; i++) if (this.alive[i]) remap(i, out.copy(this, i))
    return out
  }

  /** Bytes held (typed arrays and arena), for the log and the bench. */
  get bytes(): number {
    return this.lon.length * (8 * 4 + 1 + 2 + 4 + 1 + 4 * 3) + this.chunks.length * CHUNK_BYTES
  }

  private hoursSlot(hours: string): number {
    let h = this.hoursIndex.get(hours)
    if (h === undefined) {
      h = this.hoursTable.length
      this.hoursTable.push(hours)
      this.hoursIndex.set(hours, h)
    }
    return h
  }

  /** Writes `text` into the arena; the slot's bytes leave out its last `drop` (ASCII) characters. */
  private putHead(slot: number, text: string, drop: number) {
    const bytes = Buffer.byteLength(text)
    const chunk = this.room(bytes)
    this.chunks[chunk]!.write(text, this.used, 'utf8')
    this.place(slot, chunk, bytes - drop)
    this.used += drop
  }

  private putBytes(slot: number, bytes: Buffer) {
    const chunk = this.room(bytes.length)
    bytes.copy(this.chunks[chunk]!, this.used)
    this.place(slot, chunk, bytes.length)
  }

  /** The chunk `bytes` go into at `this.used` (a new chunk when the last is full). */
  private room(bytes: number): number {
    const last = this.chunks.at(-1)
    if (!last || this.used + bytes > last.length) {
      this.chunks.push(Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes)))
      this.used = 0
    }
    return this.chunks.length - 1
  }

  private place(slot: number, chunk: number, bytes: number) {
    this.chunkOf[slot] = chunk
    this.start[slot] = this.used
    this.end[slot] = this.used + bytes
    this.used += bytes
  }

  private grow(capacity: number) {
    const grown = <T extends Float64Array | Uint8Array | Uint16Array | Int32Array | Uint32Array>(a: T, make: new (n: number) => T): T => {
      const b = new make(capacity)
      b.set(a)
      return b
    }
    this.lon = grown(this.lon, Float64Array)
    this.lat = grown(this.lat, Float64Array)
    this.geoLon = grown(this.geoLon, Float64Array)
    this.geoLat = grown(this.geoLat, Float64Array)
    this.kind = grown(this.kind, Uint8Array)
    this.amenities = grown(this.amenities, Uint16Array)
    this.hours = grown(this.hours, Int32Array)
    this.alive = grown(this.alive, Uint8Array)
    this.chunkOf = grown(this.chunkOf, Uint32Array)
    this.start = grown(this.start, Uint32Array)
    this.end = grown(this.end, Uint32Array)
  }
}
