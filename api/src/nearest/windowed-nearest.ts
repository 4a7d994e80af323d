import { initialBearing } from '../core/initial-bearing.ts'
import { isOpenAt } from '../core/is-open-at.ts'
import type { NearestQuery } from '../db/stations.ts'

/** The most candidates one nearest request reads while looking for stations open at `openAt`. */
export const MAX_NEAREST_WINDOW = 10_000

/** One candidate of a window: its great-circle distance in metres, its hours and its (GeoJSON) point. */
export interface WindowRow {
  distance_m: number
  opening_hours: string | null
  /** the feature's geometry coordinates (the bearing is taken to these, as the response shows them) */
  coordinates: readonly [number, number]
}

/** A station of the answer: the window's row and the properties nearest adds to the station's own. */
export interface NearestHit<R extends WindowRow> {
  row: R
  distance_m: number
  bearing_deg: number
  /** only with `openAt`, and then always true (closed and unknown stations are left out) */
  open?: boolean
}

/**
 * The nearest-station answer over any source of windows, so PostGIS KNN (db/stations.ts) and the
 * in-memory index (nearest-index.ts) answer identically. `fetchWindow(w)` returns the `w + 1` active
 * stations nearest to the point that pass the kind/amenity/distance filters, sorted by (distance, id).
 * Opening hours are checked here (no SQL evaluator for OSM opening_hours), so with `openAt` the window
 * widens until enough are open — at most MAX_NEAREST_WINDOW candidates, so one request stays bounded
 * (a point with no open station among its 10,000 nearest gets fewer than `limit`).
 */
export async function windowedNearest<R extends WindowRow>(q: NearestQuery, fetchWindow: (window: number) => Promise<R[]> | R[]): Promise<NearestHit<R>[]> {
  const origin: [number, number] = [q.lon, q.lat]
  let window = Math.min(q.openAt ? q.limit * 4 + 16 : q.limit, MAX_NEAREST_WINDOW)
  for (;;) {
    const fetched = await fetchWindow(window)
    const exhausted = fetched.length <= window
    // A window's cut falls between ties arbitrarily. Every station nearer than the last row's distance is
    // in the window; one exactly at it may be missing when the look-ahead row ties with it (two stations
    // at one distance: rare), so a result reaching that distance needs a wider window.
    const cut = fetched[window - 1]?.distance_m ?? Infinity
    const tieAtCut = !exhausted && fetched[window]!.distance_m === cut
    const rows = fetched.slice(0, window)
    const kept = q.openAt ? rows.filter((r) => isOpenAt(r.opening_hours, q.openAt!) === true) : rows
    const enough = kept.length >= q.limit && !(tieAtCut && kept[q.limit - 1]!.distance_m >= cut)
    // Stop when we have enough, the window already held every candidate, or the bound is reached.
    if (enough || exhausted || window >= MAX_NEAREST_WINDOW) {
      return kept.slice(0, q.limit).map((row) => ({
        row,
        distance_m: row.distance_m,
        bearing_deg: initialBearing(origin, row.coordinates),
        ...(q.openAt ? { open: true } : {}),
      }))
    }
    window = Math.min(window * 4, MAX_NEAREST_WINDOW)
  }
}
