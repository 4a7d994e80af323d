import type { Sql } from '../db/connect.ts'

/**
 * Planned and active stations per region, as main's listRegions counts them (a county its own, a
 * city its own plus its counties'), in one grouped scan instead of one count per region.
 * The one place the region tiles get counts from: swap the body for the trigger-kept count table
 * (migration 009, scale branch) once that is merged.
 */
export async function regionStationCounts(sql: Sql): Promise<Map<string, number>> {
  const rows = await sql<{ code: string; parent_code: string | null; n: number }[]>`
    SELECT r.code, r.parent_code, coalesce(c.n, 0)::int AS n
      FROM region r
      LEFT JOIN (SELECT region_code, count(*) AS n FROM station WHERE status <> 'retired' GROUP BY region_code) c
        ON c.region_code = r.code`
  const counts = new Map(rows.map((r) => [r.code, r.n]))
  for (const r of rows) {
    if (r.parent_code && counts.has(r.parent_code)) counts.set(r.parent_code, counts.get(r.parent_code)! + r.n)
  }
  return counts
}
