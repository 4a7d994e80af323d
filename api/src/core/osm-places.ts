/**
 * Named places (towns, villages, neighbourhoods) from OSM `place=*` nodes, for the labels of the
 * offline basemap (issue 14). Only settlements: place=country/state/province/county/… are not kept,
 * so no administrative name or border from OSM reaches the map (DESIGN §5: the regions come from
 * our own approved data).
 */

/**
 * The kept `place=*` values, most important first: the index is the label rank (0 = city), and
 * PLACE_MIN_ZOOM says from which zoom the tiles carry each.
 */
export const PLACE_CLASSES = ['city', 'town', 'suburb', 'village', 'quarter', 'hamlet', 'neighbourhood'] as const
export type PlaceClass = (typeof PLACE_CLASSES)[number]

/** Zoom from which a class is in the tiles: cities at 8, towns at 10, villages and suburbs at 12, hamlets and neighbourhoods at 14. */
export const PLACE_MIN_ZOOM: Readonly<Record<PlaceClass, number>> = { city: 8, town: 10, suburb: 12, village: 12, quarter: 13, hamlet: 14, neighbourhood: 14 }

export interface OsmPlace {
  /** OSM node id */
  id: number
  class: PlaceClass
  /** `name:zh`, else `name` */
  name: string
  /** `name:en`, or null */
  name_en: string | null
  /** `population` when it is a plain count ("12000", "12 000", "12,000"), else null */
  population: number | null
  lon: number
  lat: number
}

const isPlaceClass = (v: string | undefined): v is PlaceClass => (PLACE_CLASSES as readonly string[]).includes(v ?? '')

/**
 * The place an OSM node names, or null when it is not a kept settlement or has no name.
 * @example osmPlace(7, 116.3, 35.05, { place: 'town', name: '金山镇', 'name:en': 'Jinshan' })?.class // 'town'
 */
export function osmPlace(id: number, lon: number, lat: number, tags: Readonly<Record<string, string | undefined>>): OsmPlace | null {
  const cls = tags.place?.trim()
  if (!isPlaceClass(cls)) return null
  const name = (tags['name:zh'] ?? tags.name)?.trim()
  if (!name) return null
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) return null
  const en = tags['name:en']?.trim() || null
  const pop = tags.population?.trim().replace(/[\s,]/g, '')
  const population = pop && /^\d{1,10}$/.test(pop) ? Number(pop) : null
  return { id, class: cls, name, name_en: en, population, lon, lat }
}
