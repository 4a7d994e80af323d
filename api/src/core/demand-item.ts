/**
 * The shapes the coverage core works on. Pure data, no I/O: the API fills them from PostgreSQL,
 * the planner page from `/api/demand` and `/api/stations`, and both call the same functions.
 */

/** One unit of demand: an H3 cell (at its centre) or a weighted point (enterprise, project site). */
export interface DemandItem {
  /** H3 index of the cell (for a point: the cell it lies in, at the layer's resolution) */
  h3: string
  /** WGS-84 longitude of the cell centre or the point */
  lon: number
  lat: number
  /** people, enterprises, … (the layer's unit); > 0 */
  weight: number
  /** GB/T 2260 county code the item lies in, when known */
  region_code: string | null
}

/** A station (existing, proposed or candidate) as the coverage core sees it. */
export interface Site {
  id: string
  lon: number
  lat: number
  /** coverage radius in metres on the sphere */
  radius_m: number
}

/** Covered and total demand in the layer's unit; ratio = covered / total (0 when total is 0). */
export interface CoverageTotals {
  covered: number
  total: number
  ratio: number
}

export function totals(covered: number, total: number): CoverageTotals {
  return { covered, total, ratio: total > 0 ? covered / total : 0 }
}
