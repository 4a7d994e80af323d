import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { TOWN_OSM } from '../api/src/core/test/town.ts'
import { osmFormat, readRoadNetwork } from './load-roads.ts'

/** Debian's osmium-tool converts the XML town to PBF; required in CI, skipped (loudly) elsewhere without it. */
function hasOsmium(): boolean {
  try {
    execFileSync('osmium', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
const osmium = hasOsmium()
if (!osmium && process.env.CI) throw new Error('osmium (Debian package osmium-tool) is required in CI for the PBF import test: apt-get install -y osmium-tool')
if (!osmium) console.warn('load-roads PBF test skipped: osmium not found (apt-get install osmium-tool); CI requires it')

const dir = mkdtempSync(join(tmpdir(), 'atlas-roads-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('readRoadNetwork', () => {
  it('imports the fixture town from OSM XML: 21 usable ways, no motorway, no private road, no river', async () => {
    const net = await readRoadNetwork(TOWN_OSM)
    expect(net.ways).toBe(21)
    expect(net.missingRefs).toBe(0)
    expect(new Set(net.edges.map((e) => e.class))).toEqual(new Set(['primary', 'residential', 'footway']))
    expect(net.edges.every((e) => e.length_m > 0 && e.length_m <= 100)).toBe(true)
    expect(net.edges.filter((e) => e.name === '单行街').every((e) => e.ebike_forward && !e.ebike_backward && e.foot)).toBe(true)
    expect(net.edges.filter((e) => e.class === 'footway').every((e) => e.foot && !e.ebike_forward && !e.ebike_backward)).toBe(true)
    // 35 grid nodes, each street block split into 5 pieces of < 100 m
    expect(net.osmIds.filter((id) => id !== null).length).toBe(35)
  })

  it('keeps the town’s named settlements (name:zh over name, name:en, population) and no county or unnamed place', async () => {
    const { places, edges } = await readRoadNetwork(TOWN_OSM)
    expect(places.map((p) => [p.id, p.class, p.name, p.name_en])).toEqual([
      [2001, 'town', '金山镇', 'Jinshan'],
      [2002, 'village', '北岸村', "Bei'an"],
      [2003, 'hamlet', '河口', 'Hekou'],
      [2004, 'neighbourhood', '南滨社区', null],
    ])
    expect(places[0]).toMatchObject({ population: 32000, lon: 116.3175, lat: 35.0555 })
    expect(places[1]!.population).toBeNull()
    expect(edges.find((e) => e.name === '南滨路')!.name_en).toBe('Nanbin Road')
    expect(edges.find((e) => e.name === '南1巷')!.name_en).toBeNull()
  })

  it.skipIf(!osmium)('reads the same town converted to PBF by osmium into the identical network', async () => {
    const pbf = join(dir, 'town.osm.pbf')
    execFileSync('osmium', ['cat', TOWN_OSM, '-o', pbf, '--overwrite'])
    const [xml, bin] = [await readRoadNetwork(TOWN_OSM), await readRoadNetwork(pbf)]
    expect(bin.edges.length).toBe(xml.edges.length)
    expect(bin.places).toHaveLength(4)
    expect(bin).toEqual(xml)
  })

  it('tells PBF from XML by name and refuses anything else', () => {
    expect(osmFormat('a.osm.pbf')).toBe('pbf')
    expect(osmFormat('A.PBF')).toBe('pbf')
    expect(osmFormat('town.osm')).toBe('xml')
    expect(() => osmFormat('roads.geojson')).toThrow(/\.osm\.pbf, \.pbf or \.osm/)
  })
})
