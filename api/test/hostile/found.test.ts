/**
 * What the hostile-request generator (hostile.test.ts) found, one concrete example per defect, so
 * each stays fixed even when a run's seed does not happen to hit it again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newApiToken, sha256 } from '../../src/auth/secrets.ts'
import { createToken } from '../../src/db/tokens.ts'
import { addAccount } from '../accounts.ts'
import { startTestApi } from '../test-app.ts'

let api: Awaited<ReturnType<typeof startTestApi>>
let headers: Record<string, string>

beforeAll(async () => {
  api = await startTestApi({ seedFiles: { regions: 'api/test/fixtures/regions.geojson' } })
  const admin = await addAccount(api, 'found-admin@example.org', 'admin')
  const token = newApiToken()
  await createToken(api.sql, admin.id, 'found', sha256(token))
  headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
})
afterAll(async () => {
  await api?.close()
})

const post = async (path: string, body: string | Uint8Array, h = headers) => {
  const res = await api.request(path, { method: 'POST', headers: h, body: body as BodyInit })
  return { status: res.status, text: await res.text() }
}
const station = { kind: 'rider_rest', name: 'NAME', lon: 116.05, lat: 35.05 }
/** The station body with its name replaced by raw bytes. */
const withNameBytes = (bytes: number[]) => {
  const [before, after] = JSON.stringify(station).split('NAME') as [string, string]
  const enc = new TextEncoder()
  return new Uint8Array([...enc.encode(before), ...bytes, ...enc.encode(after)])
}

describe('a JSON body that is not Unicode text', () => {
  it('is refused with 400 naming the body when its bytes are not UTF-8 (was stored as U+FFFD, 201)', async () => {
    const before = (await api.sql`SELECT count(*)::int AS n FROM station`)[0]!.n
    const r = await post('/api/stations', withNameBytes([0x41, 0xff, 0xc3, 0x28]))
    expect(r.status).toBe(400)
    expect(JSON.parse(r.text).error).toMatchObject({ code: 'invalid_body', message: expect.stringMatching(/^body: is not valid UTF-8 \(byte 30/) })
    expect((await api.sql`SELECT count(*)::int AS n FROM station`)[0]!.n).toBe(before)
  })

  it('is refused with 400 naming the field when a string holds an unpaired surrogate (was a 500 from PostgreSQL for scenario edits)', async () => {
    const r = await post('/api/stations', JSON.stringify(station).replace('NAME', '\\ud800x'))
    expect(r.status).toBe(400)
    expect(JSON.parse(r.text).error).toMatchObject({ code: 'invalid_body', issues: [{ path: ['name'] }] })
    const edits = await post('/api/scenarios', '{"name":"s","kind":"rider_rest","region":"990101","edits":{"removed":["a\\udfffb"]}}')
    expect(edits.status).toBe(400)
    expect(JSON.parse(edits.text).error.message).toMatch(/^edits\.removed\.0: must be Unicode text/)
  })

  it('names the unpaired surrogate even when other fields are wrong too', async () => {
    const r = await post('/api/stations', JSON.stringify({ name: 'x', address: 'AB' }).replace('AB', '\\ud800'))
    expect(r.status).toBe(400)
    expect(JSON.parse(r.text).error.issues).toEqual([{ path: ['address'], message: expect.stringMatching(/^must be Unicode text/) }])
  })

  it('still takes paired surrogates (emoji) and a U+FFFD the client really sent', async () => {
    const r = await post('/api/stations', JSON.stringify({ ...station, name: '驿站 😀 \uFFFD' }))
    expect(r.status).toBe(201)
    expect(JSON.parse(r.text).properties.name).toBe('驿站 😀 \uFFFD')
  })

  it('still answers 401 to an anonymous writer whatever bytes it sent', async () => {
    const r = await post('/api/stations', withNameBytes([0xff]), { 'content-type': 'application/json' })
    expect(r.status).toBe(401)
  })
})

describe('an error that quotes the bad value', () => {
  it('quotes at most a few hundred characters of a 1 MB value (was the whole 1 MB back, twice)', async () => {
    const res = await api.request(`/api/stations?kind=${'a'.repeat(1 << 20)}`)
    const text = await res.text()
    expect(res.status).toBe(400)
    expect(text.length).toBeLessThan(2000)
    expect(JSON.parse(text).error).toMatchObject({ code: 'invalid_query', issues: [{ path: ['kind'], message: expect.stringMatching(/^unknown kind "aaa/) }] })
  })
})

describe('coordinates in a siting or scenario body', () => {
  it.each([[null], [[]], [''], [true], ['116.05']])('refuses %j for a proposed station’s lon with 400 naming it (was taken as a number: null, [] and "" as 0°)', async (value) => {
    const r = await post('/api/scenarios', JSON.stringify({ name: 's', kind: 'rider_rest', region: '990101', edits: { added: [{ id: 'a', lon: value, lat: 35.05 }] } }))
    expect(r.status).toBe(400)
    expect(JSON.parse(r.text).error.issues).toEqual([{ path: ['edits', 'added', 0, 'lon'], message: 'must be a number (WGS-84 longitude, degrees)' }])
  })

  it('refuses a siting candidate [null, 35.05] with 400 naming it', async () => {
    const r = await post('/api/siting', JSON.stringify({ kind: 'rider_rest', region: '990101', count: 1, candidates: [[null, 35.05]] }))
    expect(r.status).toBe(400)
    expect(JSON.parse(r.text).error.issues[0].path).toEqual(['candidates', 0, 0])
  })
})

describe('numbers in a query string', () => {
  it.each([
    ['/api/nearest?lon=&lat=35.05', 'lon', '""'],
    ['/api/nearest?lon=116.05&lat=%20', 'lat', '" "'],
    ['/api/stations?limit=0x10', 'limit', '"0x10"'],
    ['/api/nearest?lon=116.05&lat=35.05&max_distance_m=1e3m', 'max_distance_m', '"1e3m"'],
  ])('%s is refused with 400 naming %s (was read as 0 or 16)', async (path, field, got) => {
    const res = await api.request(path)
    expect(res.status).toBe(400)
    expect(((await res.json()) as any).error.issues).toEqual([{ path: [field], message: `must be a number in decimal notation (e.g. 116.31), got ${got}` }])
  })

  it('still takes decimal and exponent notation', async () => {
    expect((await api.request('/api/nearest?lon=116.05&lat=3.505e1&limit=%2B2&max_distance_m=.5e4')).status).toBe(200)
  })
})

describe('a siting request that gives neither count nor target_ratio', () => {
  it('is told to give one of them (was told "give either count or target_ratio, not both")', async () => {
    const r = await post('/api/siting', JSON.stringify({ kind: 'rider_rest', region: '990101' }))
    expect(r.status).toBe(400)
    expect(JSON.parse(r.text).error.issues).toEqual([{ path: ['count'], message: 'give count (how many sites) or target_ratio (coverage to reach, 0–1)' }])
    const both = await post('/api/siting', JSON.stringify({ kind: 'rider_rest', region: '990101', count: 1, target_ratio: 0.5 }))
    expect(JSON.parse(both.text).error.issues).toEqual([{ path: ['count'], message: 'give either count or target_ratio, not both' }])
  })
})

describe('the station tile version ?v=', () => {
  it.each(['', ' ', '0x10', '1e2', '-1'])('v=%j is refused with 400 naming v (was read as 0 or 16 by z.coerce)', async (v) => {
    const res = await api.request(`/api/tiles/stations/2/1/1.mvt?v=${encodeURIComponent(v)}`)
    expect(res.status).toBe(400)
    expect(((await res.json()) as any).error.issues).toEqual([{ path: ['v'], message: 'must be a whole number ≥ 0' }])
  })

  it('still takes a whole number', async () => {
    expect([200, 204]).toContain((await api.request('/api/tiles/stations/2/1/1.mvt?v=0')).status) // 204: an empty tile
  })
})

describe('positions placed on the map in an import (the multipart field `placed`)', () => {
  it.each(['[null, null]', '["", "35.05"]', '[false, true]'])('[%s] is refused with 400 naming placed (z.coerce read it as 0°, 0°)', async (pair) => {
    const form = new FormData()
    form.set('file', new File(['name,kind,address\n站,rider_rest,金乡县鸡黍镇\n'], 'stations.csv', { type: 'text/csv' }))
    form.set('dry_run', 'true')
    form.set('placed', `{"2": ${pair}}`)
    const { 'content-type': _json, ...auth } = headers
    const res = await api.request('/api/import', { method: 'POST', headers: auth, body: form })
    expect(res.status).toBe(400)
    expect(JSON.stringify(((await res.json()) as any).error.issues)).toContain('placed')
  })
})

describe('a byte-order mark before a JSON body', () => {
  it('is ignored as RFC 8259 §8.1 allows: the body is read as the JSON after it (seed 2636510661 took "\\uFEFF{}" for malformed)', async () => {
    const made = await post('/api/stations', `\uFEFF${JSON.stringify({ ...station, name: 'BOM' })}`)
    expect(made.status, made.text).toBe(201)
    expect(JSON.parse(made.text).properties.name).toBe('BOM')
  })

  it('does not make broken JSON readable', async () => {
    expect((await post('/api/stations', '\uFEFF{')).status).toBe(400)
  })
})

describe('a query parameter whose percent-encoding is not UTF-8', () => {
  it.each(['/api/places?q=%C3%28', '/api/places?q=%FF', '/api/stations?kind=%ED%A0%80'])('%s is refused with 400 naming it (GET /api/places searched for the literal text)', async (path) => {
    const res = await api.request(path)
    expect(res.status).toBe(400)
    const e = ((await res.json()) as any).error
    expect(e.code).toBe('invalid_query')
    expect(e.issues[0]).toEqual({ path: [path.split('?')[1]!.split('=')[0]], message: expect.stringMatching(/^is not valid UTF-8 percent-encoding/) })
  })

  it('still takes UTF-8 text and a literal percent sign', async () => {
    expect((await api.request(`/api/places?q=${encodeURIComponent('金乡')}`)).status).toBe(200)
    expect((await api.request('/api/places?q=%2541')).status).toBe(200)
  })
})

describe('exporting an unsaved plan', () => {
  it('answers 404 naming an unknown demand layer, as POST /api/scenarios does (seed 20261201 got a 200)', async () => {
    const body = { name: 'p', kind: 'rider_rest', region: '990101', layer: '1234567', edits: { added: [], moved: [], removed: [] } }
    const r = await post('/api/export/scenario?format=csv', JSON.stringify(body))
    expect(r.status, r.text).toBe(404)
    expect(JSON.parse(r.text).error.message).toMatch(/layer: no demand layer "1234567"/)
  })
})
