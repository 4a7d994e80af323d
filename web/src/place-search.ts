/**
 * Place search that works offline: townships/streets/counties from data/places.json (bundled, 3 kB
 * gzipped) and the station names and addresses the page has loaded. Plain substring matching is
 * enough for a few hundred Chinese names; no index library needed.
 */
import type { PlaceEntry } from '../../scripts/build-places.ts'
import placesDoc from '../../data/places.json'

/** One entry of data/places.json, as scripts/build-places.ts writes it. */
export type PlaceRecord = PlaceEntry

export const PLACES = placesDoc.places as PlaceRecord[]

export interface SearchHit {
  type: 'place' | 'station'
  id: string
  name: string
  /** county, or the station's address */
  detail: string
  lon: number
  lat: number
  /** the position is only the county's centre */
  approx: boolean
  /** the position is the county seat */
  seat: boolean
}

/** What the search reads of a station: its name, address and position. */
export interface SearchableStation {
  geometry: { coordinates: number[] }
  properties: { id: string; name: string; address: string | null }
}

const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '')

/**
 * Hits for `query`, best first: names starting with it, then names containing it, then addresses.
 * @example searchPlaces('羊山', PLACES, []) // [{ name: '羊山镇', approx: true, … }]
 */
export function searchPlaces(query: string, places: readonly PlaceRecord[], stations: readonly SearchableStation[], max = 8): SearchHit[] {
  const q = norm(query)
  if (!q) return []
  const scored: { hit: SearchHit; score: number }[] = []
  for (const p of places) {
    const n = norm(p.name)
    const score = n.startsWith(q) ? 0 : n.includes(q) ? 1 : norm(p.county_name + p.name).includes(q) ? 3 : -1
    if (score < 0) continue
    scored.push({
      score: score + (p.level === 'county' ? 0 : 0.1),
      hit: { type: 'place', id: p.code, name: p.name, detail: p.level === 'county' ? p.code : p.county_name, lon: p.lon, lat: p.lat, approx: p.approx, seat: p.position_source === 'county_seat' },
    })
  }
  const seen = new Set<string>()
  for (const s of stations) {
    const p = s.properties
    if (seen.has(p.id)) continue
    seen.add(p.id)
    const n = norm(p.name)
    const score = n.startsWith(q) ? 0.5 : n.includes(q) ? 1.5 : p.address && norm(p.address).includes(q) ? 2 : -1
    if (score < 0) continue
    const [lon, lat] = s.geometry.coordinates as [number, number]
    scored.push({ score, hit: { type: 'station', id: p.id, name: p.name, detail: p.address ?? '', lon, lat, approx: false, seat: false } })
  }
  scored.sort((a, b) => a.score - b.score || a.hit.name.length - b.hit.name.length || a.hit.name.localeCompare(b.hit.name, 'zh'))
  return scored.slice(0, max).map((s) => s.hit)
}

/**
 * What to search for first when placing a row that has only an address: the township (乡镇/街道)
 * or county of places.json the address names — the longest name it holds, a township before its
 * county, so "金乡县鸡黍镇政府东50米" gives 鸡黍镇 — else the first "…镇/乡/街道" or "…县/区/市" it
 * spells out, else its first 10 characters.
 * @example townshipQuery('金乡县鸡黍镇政府东50米', PLACES) // '鸡黍镇'
 */
export function townshipQuery(address: string, places: readonly PlaceRecord[]): string {
  const a = address.normalize('NFKC').replace(/\s+/g, '')
  if (!a) return ''
  let best: PlaceRecord | null = null
  for (const p of places) {
    if (!a.includes(p.name)) continue
    const better = !best || (p.level === 'township' && best.level === 'county') || (p.level === best.level && p.name.length > best.name.length)
    if (better) best = p
  }
  if (best) return best.name
  const spelt = /[\u4e00-\u9fff]{1,8}?(?:街道|镇|乡)/.exec(a.replace(/^(?:[\u4e00-\u9fff]{1,8}?(?:省|自治区|市|县|区))+/, '')) ?? /[\u4e00-\u9fff]{1,6}?(?:县|区|市)/.exec(a)
  return spelt ? spelt[0] : [...a].slice(0, 10).join('')
}
