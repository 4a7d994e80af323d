/**
 * A generated town-and-country street grid for benchmarks: side × side nodes 100 m apart, every
 * 10th street primary, every 5th tertiary, the rest residential with one in ten one-way (seeded).
 * 317 × 317 gives 200 344 edges, a county's worth. Test and benchmark support only.
 */
import seedrandom from 'seedrandom'
import type { RoadEdge } from '../road-types.ts'

export function gridNetwork(side: number, seed = 'bench-network', lon0 = 116.0, lat0 = 35.0) {
  const rng = seedrandom(seed)
  const dLat = (100 / 6371008.7714) * (180 / Math.PI)
  const dLon = dLat / Math.cos((lat0 * Math.PI) / 180)
  const lon: number[] = []
  const lat: number[] = []
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) [lon[y * side + x], lat[y * side + x]] = [lon0 + x * dLon, lat0 + y * dLat]
  const edges: RoadEdge[] = []
  const classOf = (line: number) => (line % 10 === 0 ? 'primary' : line % 5 === 0 ? 'tertiary' : 'residential')
  const add = (a: number, b: number, cls: string) => {
    const oneway = cls === 'residential' && rng() < 0.1
    const flip = rng() < 0.5
    const [source, target] = flip ? [b, a] : [a, b]
    const length_m = Math.hypot((lon[a]! - lon[b]!) * Math.cos((lat[a]! * Math.PI) / 180), lat[a]! - lat[b]!) * (Math.PI / 180) * 6371008.7714
    edges.push({ source, target, length_m, class: cls, foot: true, ebike_forward: true, ebike_backward: !oneway })
  }
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) {
    if (x + 1 < side) add(y * side + x, y * side + x + 1, classOf(y))
    if (y + 1 < side) add(y * side + x, (y + 1) * side + x, classOf(x))
  }
  return { lon, lat, edges, rng, dLon, dLat, lon0, lat0 }
}
