/**
 * Distances and times from an approximate position (a township known only by its county's centre,
 * or a GPS fix worse than 500 m): rounded so they do not pretend to a precision the position lacks.
 */
import { travelTime } from '@core/travel-time.ts'

/** GPS fixes less precise than this (metres) count as approximate too. */
export const APPROX_GPS_ACCURACY_M = 500

/** Metres rounded for an approximate position: to 100 m below 1 km, to 0.5 km below 10 km, else whole km. */
export function roundApproxMetres(m: number): number {
  if (m < 1000) return Math.max(100, Math.round(m / 100) * 100)
  if (m < 10_000) return Math.round(m / 500) * 500
  return Math.round(m / 1000) * 1000
}

/** Minutes rounded to 5 (at least 5) for an approximate position. */
export function roundApproxMinutes(min: number): number {
  return Math.max(5, Math.round(min / 5) * 5)
}

/** Walking and e-bike minutes for a stop, exact or rounded. */
export function stopTimes(distance_m: number, approx: boolean): { walk_min: number; ride_min: number } {
  const t = travelTime(distance_m)
  return approx ? { walk_min: roundApproxMinutes(t.walk_min), ride_min: roundApproxMinutes(t.ride_min) } : { walk_min: t.walk_min, ride_min: t.ride_min }
}
