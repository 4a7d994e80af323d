/**
 * Assumed speeds and road detour behind every travel-time estimate the rider page shows; the page
 * prints them next to the estimate, so they are exported.
 */
export interface TravelAssumptions {
  walk_kmh: number
  ride_kmh: number
  detour: number
}

export const TRAVEL_ASSUMPTIONS: Readonly<TravelAssumptions> = {
  /** km/h: an unhurried adult walk */
  walk_kmh: 4.5,
  /** km/h: an e-bike in town traffic (GB 17761-2018 caps e-bikes at 25 km/h) */
  ride_kmh: 15,
  /** roads are longer than the great circle; 1.3 is a common urban circuity factor */
  detour: 1.3,
}

export interface TravelTime {
  /** estimated minutes on foot, whole minutes, at least 1 */
  walk_min: number
  /** estimated minutes by e-bike, whole minutes, at least 1 */
  ride_min: number
}

/**
 * A rough travel-time ESTIMATE from a great-circle distance: distance × detour ÷ speed, rounded up.
 * No road network is involved, so it is labelled 估算 / estimate wherever it is shown.
 * @param distance_m great-circle distance in metres (≥ 0)
 * @param options override speeds (km/h) or the detour factor
 * @returns minutes on foot and by e-bike
 * @example travelTime(1500) // { walk_min: 26, ride_min: 8 }
 */
export function travelTime(distance_m: number, options: Partial<TravelAssumptions> = {}): TravelTime {
  if (!Number.isFinite(distance_m) || distance_m < 0) {
    throw new RangeError(`travelTime: distance_m must be a finite number ≥ 0 (metres), got ${distance_m}`)
  }
  const { walk_kmh, ride_kmh, detour } = { ...TRAVEL_ASSUMPTIONS, ...options }
  const minutes = (kmh: number) => Math.max(1, Math.ceil((distance_m * detour) / ((kmh * 1000) / 60)))
  return { walk_min: minutes(walk_kmh), ride_min: minutes(ride_kmh) }
}
