/** GET /api/config: the Tianditu preset (TIANDITU_KEY) with its 审图号 and CSP hosts, and whether streets are loaded. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runLoadRoads } from '../../../scripts/load-roads.ts'
import { startTestApi } from '../../test/test-app.ts'
import { createApp } from '../app.ts'
import { DEFAULT_LIMITS } from '../http/env.ts'
import { DEFAULT_TIANDITU_REVIEW_NO, tiandituFromEnv } from '../http/tianditu.ts'
import { TOWN_OSM } from '../core/test/town.ts'

let api: Awaited<ReturnType<typeof startTestApi>>
beforeAll(async () => {
  api = await startTestApi({ seedFiles: { regions: 'api/test/fixtures/regions.geojson' } })
})
afterAll(async () => {
  await api?.close()
})

const KEY = '0123456789abcdef0123456789abcdef'
const appWith = (env: Record<string, string>) =>
  createApp({ sql: api.sql, database: api.database, config: { basemapStyleUrl: null, basemapAttribution: null, tianditu: tiandituFromEnv(env) }, limits: DEFAULT_LIMITS, work: api.work })

describe('GET /api/config', () => {
  it('is offline without a key: no Tianditu source, no Tianditu host in the CSP', async () => {
    const res = await api.request('/api/config')
    const body = await res.json()
    expect(body).toMatchObject({ basemap_style_url: null, tianditu: null })
    expect(res.headers.get('content-security-policy')).not.toContain('tianditu')
  })

  it('with TIANDITU_KEY carries the vec + cva (and eva) WMTS templates with the key, the attribution with its 审图号, and lets the CSP reach t0–t7 only', async () => {
    const res = await appWith({ TIANDITU_KEY: KEY }).request('/api/config')
    const { tianditu } = await res.json()
    expect(tianditu.layer).toBe('vec')
    expect(tianditu.tiles).toHaveLength(8)
    expect(tianditu.tiles[0]).toBe(`https://t0.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${KEY}`)
    expect(tianditu.annotation_tiles.zh[3]).toMatch(/^https:\/\/t3\.tianditu\.gov\.cn\/cva_w\/wmts\?.*LAYER=cva.*tk=/)
    expect(tianditu.annotation_tiles.en[0]).toContain('LAYER=eva')
    expect(tianditu.attribution).toContain('天地图')
    expect(tianditu.attribution).toContain(`审图号 ${DEFAULT_TIANDITU_REVIEW_NO}`)
    const csp = res.headers.get('content-security-policy')!
    const connect = csp.split(';').find((d) => d.trim().startsWith('connect-src'))!
    for (let i = 0; i < 8; i++) expect(connect).toContain(`https://t${i}.tianditu.gov.cn`)
    expect(connect).not.toContain('*')
  })

  it('takes imagery and the operator’s 审图号, and refuses a malformed key or layer naming the variable', async () => {
    const { tianditu } = await (await appWith({ TIANDITU_KEY: KEY, TIANDITU_LAYER: 'img', TIANDITU_REVIEW_NO: 'GS(2025)1234号' }).request('/api/config')).json()
    expect(tianditu.tiles[0]).toContain('/img_w/wmts?')
    expect(tianditu.annotation_tiles.zh[0]).toContain('LAYER=cia')
    expect(tianditu.attribution).toContain('审图号 GS(2025)1234号')
    expect(() => tiandituFromEnv({ TIANDITU_KEY: 'abc' })).toThrow(/TIANDITU_KEY must be the 32-character key/)
    expect(() => tiandituFromEnv({ TIANDITU_KEY: KEY, TIANDITU_LAYER: 'ter' })).toThrow(/TIANDITU_LAYER must be vec .* or img/)
    expect(tiandituFromEnv({ TIANDITU_KEY: '  ' })).toBeNull()
  })

  it('says when streets are loaded, with their bounds and the ODbL credit', async () => {
    expect((await api.get('/api/config')).body.roads).toBeNull()
    await runLoadRoads(api.sql, TOWN_OSM)
    const { roads } = (await api.get('/api/config')).body
    expect(roads).toMatchObject({ extract: 'town.osm', min_zoom: 8, attribution: '© OpenStreetMap contributors, ODbL' })
    const [w, s, e, n] = roads.bounds
    expect(w).toBeGreaterThan(116.28)
    expect(e).toBeLessThan(116.36)
    expect(s).toBeLessThan(n)
  })
})
