import { describe, expect, it } from 'vitest'
import seedrandom from 'seedrandom'
import { buildSphereKdTree, chordSquared, kNearest, unitVector } from './sphere-kd-tree.ts'
import { POSTGIS_SPHERE_RADIUS_M, sphereDistance } from './sphere-distance.ts'

const rng = seedrandom('sphere-kd-tree')
// a dense county, a few far-away points, two on the antimeridian and one at each pole
const points: [number, number][] = [
  ...Array.from({ length: 3000 }, (): [number, number] => [116.2 + rng() * 0.3, 35 + rng() * 0.2]),
  ...Array.from({ length: 200 }, (): [number, number] => [rng() * 360 - 180, rng() * 180 - 90]),
  [180, 10], [-180, 10.001], [0, 90], [0, -90],
]
// ties: 20 points at one spot
for (let i = 0; i < 20; i++) points.push([116.3, 35.1])
const tree = buildSphereKdTree(points.length, (i) => points[i]![0], (i) => points[i]![1], (i) => i)

function chord2(i: number, lon: number, lat: number) {
  const a = new Float64Array(3)
  const b = new Float64Array(3)
  unitVector(points[i]![0], points[i]![1], a, 0)
  unitVector(lon, lat, b, 0)
  return (a[0]! - b[0]!) ** 2 + (a[1]! - b[1]!) ** 2 + (a[2]! - b[2]!) ** 2
}

describe('kNearest on the sphere k-d tree', () => {
  it('finds the k nearest by chord that a brute-force scan finds, with filters and a distance bound', () => {
    for (let t = 0; t < 120; t++) {
      const far = t % 10 === 0
      const lon = far ? rng() * 360 - 180 : 116.2 + rng() * 0.3
      const lat = far ? rng() * 180 - 90 : 35 + rng() * 0.2
      const k = [1, 5, 37, 400][t % 4]!
      const even = t % 3 === 0
      const max = t % 5 === 0 ? chordSquared(2000, POSTGIS_SPHERE_RADIUS_M) : Infinity
      const accept = (i: number) => !even || i % 2 === 0
      const got = kNearest(tree, lon, lat, k, max, accept)
      const d = points.map((_, i) => chord2(i, lon, lat))
      const want = d.map((_, i) => i).filter((i) => accept(i) && d[i]! <= max).sort((a, b) => d[a]! - d[b]!).slice(0, k)
      // the same distances in the same order (equal chords may come in either order)
      expect(got.chord2).toEqual(want.map((i) => d[i]!))
      expect(got.ids.map((i) => d[i]!)).toEqual(got.chord2)
    }
  })

  it('orders by chord as the great circle does', () => {
    const lon = 116.31
    const lat = 35.07
    const { ids } = kNearest(tree, lon, lat, 50, Infinity, () => true)
    const metres = ids.map((i) => sphereDistance(points[i]!, [lon, lat]))
    expect(metres).toEqual([...metres].sort((a, b) => a - b))
  })

  it('answers nothing from an empty tree, or when nothing is accepted or k is 0', () => {
    const empty = buildSphereKdTree(0, () => 0, () => 0, () => 0)
    expect(kNearest(empty, 116, 35, 5, Infinity, () => true).ids).toEqual([])
    expect(kNearest(tree, 116, 35, 5, Infinity, () => false).ids).toEqual([])
    expect(kNearest(tree, 116, 35, 0, Infinity, () => true).ids).toEqual([])
  })

  it('returns every one of the tied points at one spot', () => {
    const { ids } = kNearest(tree, 116.3, 35.1, 20, Infinity, () => true)
    expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => points.length - 20 + i))
  })
})
