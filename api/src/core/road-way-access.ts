import { ROAD_SPEEDS } from './road-speeds.ts'

/** Who may use an OSM way, and in which direction, as the import decides it. */
export interface WayAccess {
  /** the `highway=*` value */
  class: string
  foot: boolean
  /** e-bike along the way's node order */
  ebike_forward: boolean
  /** e-bike against it */
  ebike_backward: boolean
}

const NO = new Set(['no', 'private', 'discouraged_no_entry'])
const YES = new Set(['yes', 'designated', 'permissive', 'destination', 'customers', 'delivery', 'official'])
/** walk-only classes: e-bikes only with an explicit bicycle=yes (or designated/permissive) */
const FOOT_ONLY = new Set(['footway', 'pedestrian', 'steps'])

/**
 * Decides from a way's OSM tags whether walkers and e-bikes may use it, or null when neither may
 * (not a routable `highway=*` class, closed by access tags, an area, or a motorway).
 * Rules, the most specific tag winning: `highway` must be a class of ROAD_SPEEDS with a speed for the
 * mode; `access=no|private` closes the way to both unless `foot=`/`bicycle=` reopen it; `foot=no|private`
 * and `bicycle=no|private|dismount` close it to one mode; footway/pedestrian/steps carry e-bikes only
 * with `bicycle=yes|designated|permissive`. E-bikes (non-motor vehicles in China) follow `bicycle=*`.
 * One-way (`oneway=yes|true|1`, `oneway=-1|reverse`, `junction=roundabout|circular`) binds e-bikes
 * only, unless `oneway:bicycle=no`; walkers go both ways.
 * @example wayAccess({ highway: 'residential', oneway: 'yes' }) // { class: 'residential', foot: true, ebike_forward: true, ebike_backward: false }
 */
export function wayAccess(tags: Readonly<Record<string, string | undefined>>): WayAccess | null {
  const cls = tags.highway
  if (!cls || !Object.hasOwn(ROAD_SPEEDS, cls) || tags.area === 'yes') return null
  const speeds = ROAD_SPEEDS[cls]!
  const general = tags.access
  const closedToAll = general !== undefined && NO.has(general)
  const decide = (specific: string | undefined, fallback: boolean) =>
    specific === undefined ? fallback : specific === 'dismount' ? false : NO.has(specific) ? false : YES.has(specific) ? true : fallback
  const foot = speeds.foot !== null && decide(tags.foot, !closedToAll)
  const bicycleDefault = !closedToAll && !FOOT_ONLY.has(cls)
  const ebike = speeds.ebike !== null && decide(tags.bicycle, bicycleDefault)
  if (!foot && !ebike) return null
  const oneway = tags['oneway:bicycle'] === 'no' ? 0 : onewayOf(tags)
  return { class: cls, foot, ebike_forward: ebike && oneway !== -1, ebike_backward: ebike && oneway !== 1 }
}

/** 1 along the way, -1 against it, 0 both ways. */
function onewayOf(tags: Readonly<Record<string, string | undefined>>): -1 | 0 | 1 {
  const o = tags['oneway:bicycle'] ?? tags.oneway
  if (o === 'yes' || o === 'true' || o === '1') return 1
  if (o === '-1' || o === 'reverse') return -1
  if (o === 'no' || o === 'false' || o === '0') return 0
  return tags.junction === 'roundabout' || tags.junction === 'circular' ? 1 : 0
}
