/**
 * The packed cluster index (built in a worker thread, moved back as typed arrays) must give exactly
 * the tiles supercluster itself gives: same features, same order, same positions and counts.
 */
import { afterAll, describe, expect, it } from 'vitest'
import seedrandom from 'seedrandom'
import Supercluster from 'supercluster'
import { STATION_KINDS } from '../core/station-kinds.ts'
import { buildClusterIndex, CLUSTER_MAX_ZOOM, clusterIndexBuffers, clusterTileFeatures, openClusterIndex, selectPoints, superclusterOptions, type ClusterInput, type ClusterPoints } from './cluster-index.ts'
import { ClusterThread } from './cluster-thread.ts'

/** n seeded points: most in a small county-sized box (clusters at every zoom), some across the antimeridian. */
function points(n: number, seed = 'cluster-index'): ClusterPoints {
  const rng = seedrandom(seed)
  const p: ClusterPoints = { n, lon: new Float64Array(n), lat: new Float64Array(n), kind: new Uint8Array(n), row: new Int32Array(n) }
  for (let i = 0; i < n; i++) {
    const far = i % 10 === 0
    p.lon[i] = far ? (rng() < 0.5 ? 179.99 : -179.99) + (rng() - 0.5) * 0.001 : 116.2 + rng() * 0.3
    p.lat[i] = far ? -16 + rng() * 0.01 : 35.0 + rng() * 0.3
    p.kind[i] = Math.floor(rng() * STATION_KINDS.length)
    p.row[i] = 3 * i + 1 // any mapping: the index must hand back the row it was given
  }
  return p
}

function reference(p: ClusterPoints) {
  const features = Array.from({ length: p.n }, (_, i) => ({
    type: 'Feature' as const,
    id: i,
    properties: Object.fromEntries(STATION_KINDS.map((k, j) => [`count_${k}`, j === p.kind[i] ? 1 : 0])) as never,
    geometry: { type: 'Point' as const, coordinates: [p.lon[i]!, p.lat[i]!] },
  }))
  return new Supercluster(superclusterOptions()).load(features)
}

/** Every tile touching the points at z 0 … CLUSTER_MAX_ZOOM + 2, plus the two tiles at the antimeridian. */
function tilesOf(p: ClusterPoints): [number, number, number][] {
  const out = new Set<string>()
  for (let z = 0; z <= CLUSTER_MAX_ZOOM + 2; z++) {
    const n = 2 ** z
    for (let i = 0; i < p.n; i += 7) {
      const r = (p.lat[i]! * Math.PI) / 180
      const x = Math.min(n - 1, Math.floor(((p.lon[i]! + 180) / 360) * n))
      const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)
      out.add(`${z}/${x}/${y}`)
    }
    out.add(`${z}/0/${Math.floor(n * 0.54)}`)
    out.add(`${z}/${n - 1}/${Math.floor(n * 0.54)}`)
  }
  return [...out].map((s) => s.split('/').map(Number) as [number, number, number])
}

function compare(p: ClusterPoints, packed: ReturnType<typeof buildClusterIndex>) {
  const sc = reference(p)
  const index = openClusterIndex(packed)
  const byRow = new Map(Array.from({ length: p.n }, (_, i) => [p.row[i]!, i]))
  let features = 0
  for (const [z, x, y] of tilesOf(p)) {
    const want = sc.getTile(z, x, y)
    const got = clusterTileFeatures(index, z, x, y, (row, out) => {
      const i = byRow.get(row)!
      out[0] = p.lon[i]!
      out[1] = p.lat[i]!
    })
    if (!want) {
      expect(got, `${z}/${x}/${y}`).toBeNull()
      continue
    }
    expect(got, `${z}/${x}/${y}`).not.toBeNull()
    const mine = got!.map((f) => (f.count > 1
      ? { xy: [f.x, f.y], count: f.count, kinds: [...(f as { kindCounts: Int32Array }).kindCounts] }
      : { xy: [f.x, f.y], row: (f as { row: number }).row }))
    const theirs = want.features.map((f) => {
      const t = f.tags as Record<string, number>
      const xy = (f.geometry as number[][])[0]
      return t.cluster
        ? { xy, count: t.point_count, kinds: STATION_KINDS.map((k) => t[`count_${k}`]) }
        : { xy, row: p.row[f.id as number] }
    })
    expect(mine, `${z}/${x}/${y}`).toEqual(theirs)
    features += mine.length
  }
  return features
}

describe('packed cluster index', () => {
  it('gives supercluster’s own tiles, clusters and single stations, at every zoom and across the antimeridian', () => {
    const p = points(3000)
    const packed = buildClusterIndex(p)
    expect(packed.points).toBe(3000)
    expect(compare(p, packed)).toBeGreaterThan(1000)
  })

  it('holds nothing but typed arrays: every buffer can be moved to another thread', () => {
    const packed = buildClusterIndex(points(500))
    const buffers = clusterIndexBuffers(packed)
    const copy = structuredClone(packed, { transfer: buffers })
    expect(buffers.every((b) => b.byteLength === 0)).toBe(true) // detached: moved, not copied
    expect(copy.points).toBe(500)
  })

  it('gives no features for empty input, and null for every tile', () => {
    const packed = buildClusterIndex(points(0))
    expect(packed.points).toBe(0)
    expect(clusterTileFeatures(openClusterIndex(packed), 0, 0, 0, () => {})).toBeNull()
  })
})

/** The points as projection columns, every third station retired (status 2), the filter taking kinds 0–2 and statuses 0–1. */
function input(p: ClusterPoints): ClusterInput {
  return {
    count: p.n, lon: p.lon, lat: p.lat, kind: p.kind,
    status: Uint8Array.from({ length: p.n }, (_, i) => (i % 3 === 2 ? 2 : i % 2)),
    kinds: Uint8Array.of(1, 1, 1, 0), statuses: Uint8Array.of(1, 1, 0),
  }
}

describe('selectPoints', () => {
  it('keeps exactly the rows whose kind and status pass, with their row numbers', () => {
    const p = points(300)
    const inp = input(p)
    const sel = selectPoints(inp)
    const want = Array.from({ length: p.n }, (_, i) => i).filter((i) => inp.kind[i]! < 3 && inp.status[i]! < 2)
    expect([...sel.row]).toEqual(want)
    expect([...sel.lon]).toEqual(want.map((i) => p.lon[i]))
    expect([...sel.kind]).toEqual(want.map((i) => p.kind[i]))
  })
})

describe('ClusterThread', () => {
  const thread = new ClusterThread()
  afterAll(() => thread.close())

  it('selects and clusters in a worker thread the same index as on this one, taking the columns’ buffers', async () => {
    const inp = input(points(3000, 'thread'))
    const mine = selectPoints(structuredClone(inp))
    const packed = await thread.build(inp)
    expect(inp.lon.byteLength).toBe(0) // moved to the thread
    expect(packed.points).toBe(mine.n)
    expect(compare(mine, packed)).toBeGreaterThan(500)
  })

  it('rejects a build whose input is broken, and keeps working for the next one', async () => {
    const bad = { ...input(points(10)), lon: new Float64Array(1) } // 10 rows, one longitude
    await expect(thread.build(bad)).rejects.toThrow(/cluster index thread/)
    const ok = await thread.build({ ...input(points(100, 'after')), statuses: Uint8Array.of(1, 1, 1), kinds: Uint8Array.of(1, 1, 1, 1) })
    expect(ok.points).toBe(100)
  })
})
