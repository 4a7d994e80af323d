import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addAccount, asSession, asToken, makeToken, signIn } from '../../test/accounts.ts'
import { startTestApi } from '../../test/test-app.ts'

const FIXTURES = { regions: 'api/test/fixtures/regions.geojson', demoStations: 'api/test/fixtures/rider-stations.geojson' }
const WEST = { lon: 116.05, lat: 35.05 } // 990101 西区
const EAST = { lon: 116.15, lat: 35.05 } // 990102 东区

let api: Awaited<ReturnType<typeof startTestApi>>
let west: Record<string, string>
let west2: Record<string, string>
let city: Record<string, string>
let eastToken: string

beforeAll(async () => {
  api = await startTestApi({ seedFiles: FIXTURES })
  await addAccount(api, 'west@example.org', 'editor', ['990101'])
  await addAccount(api, 'west2@example.org', 'editor', ['990101'])
  await addAccount(api, 'city@example.org', 'editor', ['990100'])
  await addAccount(api, 'east@example.org', 'editor', ['990102'])
  west = asSession(await signIn(api, 'west@example.org'))
  west2 = asSession(await signIn(api, 'west2@example.org'))
  city = asSession(await signIn(api, 'city@example.org'))
  eastToken = (await makeToken(api, await signIn(api, 'east@example.org'))).token
})
afterAll(async () => {
  await api?.close()
})

const send = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
  const res = await api.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  return { status: res.status, headers: res.headers, body: (await res.json()) as any }
}
const create = (body: unknown, headers = west) => send('POST', '/api/stations', headers, body)

describe('POST /api/stations', () => {
  it('creates a manual station at version 1 in the county containing the point, with an ETag', async () => {
    const r = await create({ kind: 'rider_rest', name: '新驿站', ...WEST, opening_hours: 'Mo-Fr 08:00-20:00', amenities: ['water', 'wifi'], capacity: 4 })
    expect(r.status).toBe(201)
    expect(r.headers.get('etag')).toBe('"1"')
    expect(r.body.geometry.coordinates).toEqual([WEST.lon, WEST.lat])
    expect(r.body.properties).toMatchObject({ region_code: '990101', source: 'manual', version: 1, status: 'active', amenities: ['water', 'wifi'], capacity: 4 })
    const read = await api.request(`/api/stations/${r.body.id}`)
    expect(read.headers.get('etag')).toBe('"1"')
  })

  it('lets a city grant cover its counties, and a token act for its owner', async () => {
    expect((await create({ kind: 'worksite', name: '市级', ...EAST }, city)).status).toBe(201)
    expect((await create({ kind: 'worksite', name: '东区脚本', ...EAST }, asToken(eastToken))).status).toBe(201)
    expect((await create({ kind: 'worksite', name: '越界', ...WEST }, asToken(eastToken))).status).toBe(403)
  })

  it.each([
    [{ kind: 'rider_rest', name: 'x', ...WEST, colour: 'red' }, 'colour', /colour/],
    [{ kind: 'rider_rest', name: 'a\u0000b', ...WEST }, 'name', /NUL/],
    [{ kind: 'rider_rest', name: 'x', ...WEST, address: 'road\u0000' }, 'address', /NUL/],
    [{ kind: 'rider_rest', name: 'x', ...WEST, opening_hours: 'whenever we like' }, 'opening_hours', /opening_hours: .*Unexpected token/],
    [{ kind: 'rider_rest', name: 'x', lon: '116.05', lat: 35.05 }, 'lon', /number/],
    [{ kind: 'rider_rest', name: 'x', lon: 200, lat: 35.05 }, 'lon', /180/],
    [{ kind: 'rocket', name: 'x', ...WEST }, 'kind', /one of/],
    [{ kind: 'rider_rest', name: '  ', ...WEST }, 'name', /empty/],
    [{ kind: 'rider_rest', name: 'x', ...WEST, amenities: ['sauna'] }, 'amenities', /one of/],
    [{ kind: 'rider_rest', name: 'x', ...WEST, region_code: '990102' }, 'region_code', /derived/],
    [{ kind: 'rider_rest', name: 'x', lon: 100, lat: 20 }, 'lon', /no region/],
  ])('rejects %j with 400 naming %s', async (body, field, message) => {
    // as the city editor, who may write anywhere the fixtures have regions
    const r = await create(body, city)
    expect(r.status).toBe(400)
    expect(r.body.error.code).toBe('invalid_body')
    const issue = r.body.error.issues.find((i: any) => i.path[0] === field || (i.path.length === 0 && i.message.includes(field)))
    expect(issue, JSON.stringify(r.body)).toBeDefined()
    expect(r.body.error.message).toMatch(message)
  })
})

describe('PATCH and DELETE /api/stations/{id}', () => {
  it('updates from the version in the body or If-Match, and answers 409 with the current station when stale', async () => {
    const { body: s } = await create({ kind: 'rider_rest', name: '版本', ...WEST })
    const a = await send('PATCH', `/api/stations/${s.id}`, west, { name: '版本 2', version: 1 })
    expect(a.status).toBe(200)
    expect(a.body.properties).toMatchObject({ name: '版本 2', version: 2 })
    expect(a.headers.get('etag')).toBe('"2"')
    const b = await send('PATCH', `/api/stations/${s.id}`, { ...west, 'if-match': '"2"' }, { phone: '0537-1234567' })
    expect(b.body.properties).toMatchObject({ phone: '0537-1234567', version: 3 })
    const stale = await send('PATCH', `/api/stations/${s.id}`, west, { name: 'overwrite?', version: 2 })
    expect(stale.status).toBe(409)
    expect(stale.body.error.code).toBe('conflict')
    expect(stale.body.current.properties).toMatchObject({ name: '版本 2', phone: '0537-1234567', version: 3 })
    const missing = await send('PATCH', `/api/stations/${s.id}`, west, { name: 'no version' })
    expect(missing.status).toBe(400)
    expect(missing.body.error.issues[0].path).toEqual(['version'])
    expect((await send('PATCH', '/api/stations/00000000-0000-4000-8000-000000000000', west, { name: 'x', version: 1 })).status).toBe(404)
    expect((await send('PATCH', `/api/stations/${s.id}`, west, { version: 3, lon: 116.06 })).body.error.issues[0].path).toEqual(['lon'])
  })

  it('re-derives the region when a station moves, and needs a grant for both ends', async () => {
    const { body: s } = await create({ kind: 'rider_rest', name: '搬家', ...WEST })
    expect((await send('PATCH', `/api/stations/${s.id}`, west, { ...EAST, version: 1 })).status).toBe(403)
    const moved = await send('PATCH', `/api/stations/${s.id}`, city, { ...EAST, version: 1 })
    expect(moved.status).toBe(200)
    expect(moved.body.properties.region_code).toBe('990102')
    expect(moved.body.geometry.coordinates).toEqual([EAST.lon, EAST.lat])
  })

  it('retires instead of deleting, and the retired station can still be read', async () => {
    const { body: s } = await create({ kind: 'rider_rest', name: '退役', ...WEST })
    const r = await send('DELETE', `/api/stations/${s.id}`, west)
    expect(r.status).toBe(200)
    expect(r.body.properties).toMatchObject({ status: 'retired', version: 2 })
    expect((await api.get(`/api/stations/${s.id}`)).body.properties.status).toBe('retired')
    expect((await send('DELETE', `/api/stations/${s.id}`, { ...west, 'if-match': '"1"' })).status).toBe(409)
  })

  it.each([1, 2, 3])('lets exactly one of two editors win when both edit the same version at once; history shows one change (round %i)', async () => {
    const { body: s } = await create({ kind: 'rider_rest', name: '并发', ...WEST })
    const results = await Promise.all([
      send('PATCH', `/api/stations/${s.id}`, west, { ...{ lon: 116.051, lat: 35.051 }, version: 1 }),
      send('PATCH', `/api/stations/${s.id}`, west2, { ...{ lon: 116.052, lat: 35.052 }, version: 1 }),
    ])
    expect(results.map((r) => r.status).sort()).toEqual([200, 409])
    const winner = results.find((r) => r.status === 200)!
    const loser = results.find((r) => r.status === 409)!
    expect(loser.body.current.geometry.coordinates).toEqual(winner.body.geometry.coordinates)
    const history = await send('GET', `/api/stations/${s.id}/history`, west)
    expect(history.body.items.map((i: any) => [i.version, i.action])).toEqual([[1, 'create'], [2, 'update']])
    expect(Object.keys(history.body.items[1].changes).sort()).toEqual(['lat', 'lon'])
  })
})

describe('history and restore', () => {
  it('records who changed which fields, before and after, and restores an old version as a new one', async () => {
    const { body: s } = await create({ kind: 'rider_rest', name: '原名', ...WEST, opening_hours: '24/7' })
    await send('PATCH', `/api/stations/${s.id}`, west, { name: '新名', opening_hours: 'Mo-Fr 08:00-18:00', version: 1 })
    await send('PATCH', `/api/stations/${s.id}`, west2, { amenities: ['water'], version: 2 })
    const h = await send('GET', `/api/stations/${s.id}/history`, west)
    expect(h.status).toBe(200)
    expect(h.body.items).toHaveLength(3)
    expect(h.body.items[0]).toMatchObject({ version: 1, actor: 'west@example.org', action: 'create' })
    expect(h.body.items[1]).toMatchObject({
      version: 2, actor: 'west@example.org', action: 'update',
      changes: { name: ['原名', '新名'], opening_hours: ['24/7', 'Mo-Fr 08:00-18:00'] },
    })
    expect(h.body.items[2]).toMatchObject({ version: 3, actor: 'west2@example.org', changes: { amenities: [[], ['water']] } })
    expect(Date.parse(h.body.items[2].at)).toBeGreaterThanOrEqual(Date.parse(h.body.items[1].at))

    const r = await send('POST', `/api/stations/${s.id}/restore`, west, { version: 1 })
    expect(r.status).toBe(200)
    expect(r.body.properties).toMatchObject({ name: '原名', opening_hours: '24/7', amenities: [], version: 4 })
    const after = await send('GET', `/api/stations/${s.id}/history`, west)
    expect(after.body.items.at(-1)).toMatchObject({ version: 4, action: 'restore', changes: { name: ['新名', '原名'], amenities: [['water'], []] } })
    expect((await send('POST', `/api/stations/${s.id}/restore`, west, { version: 99 })).status).toBe(404)
  })

  it('records a loaded station’s state before its first edit, so version 1 of demo data can be restored', async () => {
    const { body } = await api.get('/api/stations?region=990101&limit=1000')
    const demo = body.features.find((f: any) => f.properties.source === 'demo' && f.properties.external_id === 'r-week')
    const v = demo.properties.version
    await send('PATCH', `/api/stations/${demo.id}`, west, { name: '改过的演示站', version: v })
    const h = await send('GET', `/api/stations/${demo.id}/history`, west)
    expect(h.body.items[0]).toMatchObject({ version: v, action: 'baseline', actor: 'demo data' })
    const r = await send('POST', `/api/stations/${demo.id}/restore`, west, { version: v })
    expect(r.body.properties.name).toBe(demo.properties.name)
  })

  it('keeps the history for signed-in accounts (it names who wrote)', async () => {
    const { body } = await api.get('/api/stations?limit=1')
    expect((await api.request(`/api/stations/${body.features[0].id}/history`)).status).toBe(401)
    expect((await send('GET', '/api/stations/00000000-0000-4000-8000-000000000000/history', west)).status).toBe(404)
  })

  it('writes the history row in the same transaction as the station (no change without its record)', async () => {
    const [counts] = await api.sql<{ versions: number; rows: number }[]>`
      SELECT (SELECT coalesce(sum(version - 1), 0)::int FROM station WHERE source = 'manual') AS versions,
             (SELECT count(*)::int FROM change_log c JOIN station s ON s.id::text = c.entity_id
               WHERE c.entity = 'station' AND s.source = 'manual' AND c.action <> 'create') AS rows`
    expect(counts!.rows).toBe(counts!.versions)
  })
})
