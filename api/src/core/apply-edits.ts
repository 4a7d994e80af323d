import type { Site } from './demand-item.ts'

/** What-if edits to a station network: proposed stations, moved ones and removed ones. */
export interface NetworkEdits {
  added: { id: string; lon: number; lat: number; name?: string; radius_m?: number }[]
  moved: { id: string; lon: number; lat: number }[]
  removed: string[]
}

export const NO_EDITS: NetworkEdits = { added: [], moved: [], removed: [] }

/**
 * The network after the edits: removed stations dropped, moved ones at their new position,
 * proposed ones appended with `defaultRadiusM` unless they carry their own radius.
 * Edits naming stations that are not in `sites` are ignored (the network may have changed since).
 * @example applyEdits(sites, { added: [{ id: 'new-1', lon: 116.3, lat: 35.1 }], moved: [], removed: [] }, 1500)
 */
export function applyEdits<S extends Site>(sites: readonly S[], edits: NetworkEdits, defaultRadiusM: number): Site[] {
  const removed = new Set(edits.removed)
  const moved = new Map(edits.moved.map((m) => [m.id, m]))
  const out: Site[] = []
  for (const s of sites) {
    if (removed.has(s.id)) continue
    const m = moved.get(s.id)
    out.push(m ? { ...s, lon: m.lon, lat: m.lat } : s)
  }
  for (const a of edits.added) {
    if (removed.has(a.id)) continue
    const m = moved.get(a.id)
    out.push({ id: a.id, lon: m?.lon ?? a.lon, lat: m?.lat ?? a.lat, radius_m: a.radius_m ?? defaultRadiusM })
  }
  return out
}
