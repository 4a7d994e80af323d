import type { TravelMode } from './road-types.ts'

/**
 * Travel speeds in km/h per OSM road class and mode — the one table every network figure uses
 * (README "Roads" repeats it). `null`: the mode may not use that class at all, whatever the tags.
 * E-bikes are capped at 25 km/h, the legal top speed of an electric bicycle in China (GB 17761-2018);
 * slower classes reflect traffic, junctions and mixed use. Walking is 4.8 km/h (80 m a minute)
 * everywhere but on steps. Motorways are closed to both; trunk roads (国道/快速路) to e-bikes.
 * Classes not in the table (construction, proposed, platform, raceway, …) are not imported.
 */
export const ROAD_SPEEDS: Readonly<Record<string, { ebike: number | null; foot: number | null }>> = {
  motorway: { ebike: null, foot: null },
  motorway_link: { ebike: null, foot: null },
  trunk: { ebike: null, foot: 4.8 },
  trunk_link: { ebike: null, foot: 4.8 },
  primary: { ebike: 25, foot: 4.8 },
  primary_link: { ebike: 25, foot: 4.8 },
  secondary: { ebike: 25, foot: 4.8 },
  secondary_link: { ebike: 25, foot: 4.8 },
  tertiary: { ebike: 22, foot: 4.8 },
  tertiary_link: { ebike: 22, foot: 4.8 },
  unclassified: { ebike: 18, foot: 4.8 },
  residential: { ebike: 18, foot: 4.8 },
  road: { ebike: 18, foot: 4.8 },
  cycleway: { ebike: 20, foot: 4.8 },
  service: { ebike: 15, foot: 4.8 },
  living_street: { ebike: 12, foot: 4.8 },
  track: { ebike: 12, foot: 4.8 },
  path: { ebike: 10, foot: 4.8 },
  bridleway: { ebike: 10, foot: 4.8 },
  footway: { ebike: 10, foot: 4.8 },
  pedestrian: { ebike: 10, foot: 4.8 },
  steps: { ebike: 3, foot: 2.4 },
}

/** Walking speed off the network, km/h: the straight leg from a station or a demand point to its road node. */
export const ACCESS_SPEED_KMH = 4.8

/**
 * Speed in km/h of `mode` on a road of OSM class `roadClass`, or null when the mode may not use it
 * (or the class is not routable). Whether a particular way allows the mode is decided by its tags
 * at import (road-way-access.ts); this is only the speed.
 * @example roadSpeed('residential', 'ebike') // 18
 */
export function roadSpeed(roadClass: string, mode: TravelMode): number | null {
  return Object.hasOwn(ROAD_SPEEDS, roadClass) ? ROAD_SPEEDS[roadClass]![mode] : null
}
