/** Seeded synthetic demand for the core's tests: H3 cells around a point with random weights. */
import { cellToLatLng, gridDisk, latLngToCell } from 'h3-js'
import seedrandom from 'seedrandom'
import type { DemandItem } from '../demand-item.ts'

/** Cells within `rings` H3 rings of lon/lat at `res`, weights uniform in [0, maxWeight) (zeros dropped). */
export function randomDemand(seed: string, lon: number, lat: number, rings: number, res = 9, maxWeight = 100, region_code: string | null = '370828'): DemandItem[] {
  const rng = seedrandom(seed)
  return gridDisk(latLngToCell(lat, lon, res), rings)
    .sort()
    .map((h3) => {
      const [cLat, cLon] = cellToLatLng(h3)
      return { h3, lon: cLon, lat: cLat, weight: Math.floor(rng() * maxWeight), region_code }
    })
    .filter((d) => d.weight > 0)
}

/** `n` random points in the box [lon ± dLon, lat ± dLat]. */
export function randomPoints(seed: string, n: number, lon: number, lat: number, dLon = 0.05, dLat = 0.04) {
  const rng = seedrandom(seed)
  return Array.from({ length: n }, () => ({ lon: lon + (rng() * 2 - 1) * dLon, lat: lat + (rng() * 2 - 1) * dLat }))
}
