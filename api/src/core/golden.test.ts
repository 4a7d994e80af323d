/**
 * Golden fixture: a piece of 金乡县 (modelled population cells within 4 km of the county seat and the
 * demo rider rest stops there) in, coverage + ranked gaps + 3 suggested sites out. The output is a
 * GeoJSON with simplestyle properties: open it in any GeoJSON viewer to review a change.
 * Rewrite the expected file with `UPDATE=1 npx vitest run --project unit api/src/core/golden.test.ts`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { computeCoverage } from './coverage.ts'
import type { DemandItem, Site } from './demand-item.ts'
import { findGaps } from './find-gaps.ts'
import { gapCellThreshold } from './gap-cell-threshold.ts'
import { suggestSites } from './suggest-sites.ts'

const IN = fileURLToPath(new URL('./test/in/jinxiang-seat.geojson', import.meta.url))
const OUT = fileURLToPath(new URL('./test/out/jinxiang-seat.geojson', import.meta.url))
const RADIUS = 600 // smaller than the kind's 1500 m so the seat keeps gaps to find

const round = (x: number, d = 3) => Number(x.toFixed(d))

test('coverage, gaps and siting of the 金乡县 seat fixture match the golden output', () => {
  const input = JSON.parse(readFileSync(IN, 'utf8')) as { features: { geometry: { coordinates: [number, number] }; properties: Record<string, any> }[] }
  const demand: DemandItem[] = []
  const stations: Site[] = []
  for (const f of input.features) {
    const [lon, lat] = f.geometry.coordinates
    if (f.properties.role === 'demand') demand.push({ h3: f.properties.h3, lon, lat, weight: f.properties.weight, region_code: f.properties.region_code })
    else stations.push({ id: f.properties.id, lon, lat, radius_m: RADIUS })
  }
  const cov = computeCoverage(demand, stations)
  const gaps = findGaps(demand, cov, { minCellDemand: gapCellThreshold(demand), limit: 5 })
  const siting = suggestSites(demand, demand, stations, { radius_m: RADIUS, count: 3 })

  const actual = {
    type: 'FeatureCollection',
    coverage: { covered: round(cov.covered), total: round(cov.total), ratio: round(cov.ratio, 6) },
    siting: { before: round(siting.before.ratio, 6), after: round(siting.after.ratio, 6) },
    features: [
      ...gaps.map((g) => ({
        type: 'Feature',
        geometry: { type: 'MultiPolygon', coordinates: g.polygon.map((p) => p.map((r) => r.map(([x, y]) => [round(x!, 6), round(y!, 6)]))) },
        properties: {
          rank: g.rank,
          demand: round(g.demand),
          area_km2: round(g.area_km2, 4),
          nearest_station_m: g.nearest_station_m === null ? null : round(g.nearest_station_m, 1),
          cells: g.cells.length,
          fill: '#d7301f',
          'fill-opacity': Math.max(0.15, 0.7 - 0.12 * g.rank),
          stroke: '#7f0000',
        },
      })),
      ...siting.sites.map((s, i) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [round(s.lon, 6), round(s.lat, 6)] },
        properties: { rank: i + 1, gain: round(s.gain), 'marker-color': '#1764c0', 'marker-symbol': String(i + 1) },
      })),
    ],
  }
  if (process.env.UPDATE === '1' || !existsSync(OUT)) writeFileSync(OUT, `${JSON.stringify(actual, null, 1)}\n`)
  expect(actual).toEqual(JSON.parse(readFileSync(OUT, 'utf8')))
  // and what the figures must say whatever the fixture: sites only add, gaps are ranked
  expect(siting.after.ratio).toBeGreaterThan(siting.before.ratio)
  expect(siting.before.covered).toBeCloseTo(cov.covered, 6)
  expect(gaps.map((g) => g.demand)).toEqual([...gaps.map((g) => g.demand)].sort((a, b) => b - a))
})
