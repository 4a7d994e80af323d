import type { Sql } from '../db/connect.ts'

/**
 * Planned and active stations per region (a county its own, a city its own plus its counties'), the same
 * rule as listRegions, read from region_station_count — kept exact by triggers on station (migration 009) —
 * so a tile never scans the station table.
 */
export async function regionStationCounts(sql: Sql): Promise<Map<string, number>> {
  const rows = await sql<{ code: string; parent_code: string | null; n: number }[]>`
    SELECT r.code, r.parent_code, coalesce(c.stations, 0)::int AS n
      FROM region r
      LEFT JOIN region_station_count c ON c.region_code = r.code`
  const counts = new Map(rows.map((r) => [r.code, r.n]))
  for (const r of rows) {
    if (r.parent_code && counts.has(r.parent_code)) counts.set(r.parent_code, counts.get(r.parent_code)! + r.n)
  }
  return counts
}
