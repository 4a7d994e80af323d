import type { PackedDemand } from '../work/packed-demand.ts'
import { cancellable } from './cancellable.ts'
import type { Sql } from './connect.ts'

/**
 * A layer's demand for a province-size request (issue 13 item 5), read from the database in bounded
 * slices straight into the packed arrays the worker pool takes — never one array of 10^6 row objects:
 * each slice is its own short statement (`seq > last ORDER BY seq LIMIT n`, one range scan of
 * demand_item_layer_region_seq_idx, migration 020), cancelled in the server when the request's signal
 * aborts, with a pause between slices so the embedded database's one connection serves others.
 */

/** Rows per slice: ≈ 3 MB of rows on the wire, a few tens of milliseconds per statement on either database. */
export const DEMAND_SLICE_ROWS = 50_000

/** Stored items of the layer in these counties (what a read would return before any aggregation). */
export async function countDemandRows(sql: Sql, layerId: string, regionCodes: readonly string[], signal?: AbortSignal): Promise<number> {
  if (regionCodes.length === 0) return 0
  const [row] = await cancellable(sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM demand_item WHERE layer_id = ${layerId} AND region_code = ANY(${[...regionCodes]})`, signal)
  return row!.n
}

export interface PackedReadQuery {
  layerId: string
  regionCodes: readonly string[]
  /** rows expected (countDemandRows): sizes the arrays once; a layer changed since is still read whole */
  expected: number
  signal?: AbortSignal
  sliceRows?: number
  /** after every slice: rows read so far */
  onSlice?: (read: number) => void
}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * The items of one layer in these counties as PackedDemand, counties in code order and each in
 * insertion order (`seq`), so the same data gives the same arrays. Rejects with the signal's reason
 * once it aborts (at the latest after the slice under way; on PostgreSQL that slice is cancelled too).
 */
export async function readPackedDemand(sql: Sql, q: PackedReadQuery): Promise<PackedDemand> {
  const sliceRows = q.sliceRows ?? DEMAND_SLICE_ROWS
  let cap = Math.max(q.expected, 1)
  let lon = new Float64Array(cap)
  let lat = new Float64Array(cap)
  let weight = new Float64Array(cap)
  let region = new Int32Array(cap)
  const h3Parts: string[] = []
  const regions = [...new Set(q.regionCodes)].sort()
  let n = 0
  for (let r = 0; r < regions.length; r++) {
    let last = 0
    for (;;) {
      q.signal?.throwIfAborted()
      // rows as arrays, not objects: a fifth of the allocation per row
      const rows = await cancellable(sql`
        SELECT seq::float8, h3, ST_X(geom), ST_Y(geom), weight
          FROM demand_item
         WHERE layer_id = ${q.layerId} AND region_code = ${regions[r]!} AND seq > ${last}
         ORDER BY seq
         LIMIT ${sliceRows}`.values() as never, q.signal)
      if (n + rows.length > cap) {
        cap = Math.max(n + rows.length, cap * 2)
        lon = grow(lon, cap)
        lat = grow(lat, cap)
        weight = grow(weight, cap)
        region = grow(region, cap)
      }
      const h3 = new Array<string>(rows.length)
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as unknown as [number, string, number, number, number]
        h3[i] = row[1]
        lon[n] = row[2]
        lat[n] = row[3]
        weight[n] = row[4]
        region[n] = r
        n++
      }
      if (rows.length) {
        h3Parts.push(h3.join(','))
        last = (rows[rows.length - 1] as unknown as [number])[0]
      }
      q.onSlice?.(n)
      await pause()
      if (rows.length < sliceRows) break
    }
  }
  // exact-length arrays: the worker pool moves (transfers) these buffers rather than copying them
  const fit = <T extends Float64Array | Int32Array>(a: T): T => (a.length === n ? a : (a.slice(0, n) as T))
  return { lon: fit(lon), lat: fit(lat), weight: fit(weight), region: fit(region), regions, h3: h3Parts.join(',') }
}

function grow<T extends Float64Array | Int32Array>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap)
  b.set(a)
  return b
}
