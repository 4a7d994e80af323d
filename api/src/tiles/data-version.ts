import type { Sql } from '../db/connect.ts'

/** The change counters migration 012 keeps: each bumps on every statement that writes its table. */
export interface DataVersions {
  stations: number
  roads: number
  regions: number
}

/** Reads all three counters in one indexed query (three rows). */
export async function readDataVersions(sql: Sql): Promise<DataVersions> {
  const rows = await sql<{ name: keyof DataVersions; version: string }[]>`SELECT name, version::text FROM data_version`
  const v: DataVersions = { stations: 0, roads: 0, regions: 0 }
  for (const r of rows) v[r.name] = Number(r.version)
  return v
}

const inFlight = new WeakMap<Sql, Promise<DataVersions>>()

/**
 * readDataVersions, shared by every caller that asks while one read is under way: a map view's
 * twenty tile requests cost one round trip. No time-based caching: a caller sees every write that
 * committed before the read it joined started (at most one round trip before the caller asked).
 */
export function currentDataVersions(sql: Sql): Promise<DataVersions> {
  let p = inFlight.get(sql)
  if (!p) {
    p = readDataVersions(sql).finally(() => inFlight.delete(sql))
    inFlight.set(sql, p)
  }
  return p
}
