import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { DEFAULT_AUTH } from '../auth/config.ts'
import { DEFAULT_LIMITS } from '../http/env.ts'
import { addAccount, asSession, signIn } from '../../test/accounts.ts'
import { startTestApi } from '../../test/test-app.ts'

const FIXTURES = { regions: 'api/test/fixtures/regions.geojson', demoStations: 'api/test/fixtures/rider-stations.geojson' }

let api: Awaited<ReturnType<typeof startTestApi>>
let westId: string
let eastId: string
let client = 0
let westEditor: Record<string, string>
let eastEditor: Record<string, string>
beforeAll(async () => {
  // TRUST_PROXY, so each call site can be its own client through X-Forwarded-For
  api = await startTestApi({ seedFiles: FIXTURES, auth: { ...DEFAULT_AUTH, trustProxy: true } })
  await addAccount(api, 'west@example.org', 'editor', ['990101'])
  await addAccount(api, 'east@example.org', 'editor', ['990102'])
  westEditor = asSession(await signIn(api, 'west@example.org'))
  eastEditor = asSession(await signIn(api, 'east@example.org'))
  const { body } = await api.get('/api/stations?limit=10000')
  westId = body.features.find((f: any) => f.properties.external_id === 'r-247').id
  eastId = body.features.find((f: any) => f.properties.external_id === 'r-centre').id
})
afterAll(async () => {
  await api?.close()
})

/** Each call site gets its own client address, so the rate limit only bites where a test wants it. */
function post(id: string, body: unknown, address = `10.0.${Math.floor(++client / 250)}.${client % 250}`, agent = 'test') {
  return api.request(`/api/stations/${id}/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address, 'user-agent': agent },
    body: JSON.stringify(body),
  })
}
const patch = (id: string, body: unknown, headers: Record<string, string> = westEditor) =>
  api.request(`/api/reports/${id}`, { method: 'PATCH', headers, body: JSON.stringify(body) })
const getAs = async (path: string, headers: Record<string, string> = {}) => {
  const res = await api.request(path, { headers })
  return { status: res.status, body: (await res.json()) as any }
}

describe('POST /api/stations/{id}/reports', () => {
  it('stores a report with time, location and a hashed client key, and answers 201', async () => {
    const before = Date.now()
    const res = await post(westId, { problem: 'no_water', note: '  饮水机坏了 ', lon: 116.0141, lat: 35.0501 })
    expect(res.status).toBe(201)
    const r = (await res.json()) as any
    expect(r.type).toBe('Feature')
    expect(r.geometry).toEqual({ type: 'Point', coordinates: [116.0141, 35.0501] })
    expect(r.properties).toMatchObject({ station_id: westId, station_name: '骑手站 r-247', problem: 'no_water', note: '饮水机坏了', status: 'open', resolved_at: null })
    expect(Date.parse(r.properties.created_at)).toBeGreaterThanOrEqual(before - 5000)
    const [row] = await api.sql`SELECT client_key FROM station_report WHERE id = ${r.id}`
    expect(row!.client_key).toMatch(/^[0-9a-f]{32}$/)
  })

  it('accepts a report without a location (null geometry) and without a note', async () => {
    const res = await post(westId, { problem: 'closed' })
    expect(res.status).toBe(201)
    const r = (await res.json()) as any
    expect(r.geometry).toBeNull()
    expect(r.properties.note).toBe('')
  })

  it('answers 404 for an unknown station', async () => {
    const res = await post('00000000-0000-4000-8000-000000000000', { problem: 'moved' })
    expect(res.status).toBe(404)
    expect(((await res.json()) as any).error.code).toBe('not_found')
  })

  it.each([
    [{ problem: 'on_fire' }, 'problem'],
    [{ problem: 'other', note: 'x'.repeat(501) }, 'note'],
    [{ problem: 'other', lon: 116 }, 'lon'],
    [{ problem: 'other', lon: 200, lat: 35 }, 'lon'],
    [{ problem: 'other', lat: 35, lon: 116, extra: 1 }, ''],
    [{ problem: 'other', note: 'a\u0000b' }, 'note'],
    [{}, 'problem'],
  ])('rejects %j with 400 naming the field', async (body, field) => {
    const res = await post(westId, body)
    expect(res.status).toBe(400)
    const err = ((await res.json()) as any).error
    expect(err.code).toBe('invalid_body')
    if (field) expect(err.issues.map((i: any) => i.path[0])).toContain(field)
  })

  it('rejects a malformed station id with 400', async () => {
    const res = await post('not-a-uuid', { problem: 'closed' })
    expect(res.status).toBe(400)
  })

  it('names the NUL character in the message instead of failing in PostgreSQL', async () => {
    const res = await post(westId, { problem: 'other', note: 'bad\u0000byte' })
    expect(res.status).toBe(400)
    const err = ((await res.json()) as any).error
    expect(err.issues[0]).toEqual({ path: ['note'], message: expect.stringContaining('NUL') })
  })

  it('allows 5 reports per 10 minutes per client, then 429 with Retry-After', async () => {
    for (let i = 0; i < 5; i++) expect((await post(westId, { problem: 'dirty' }, '10.9.9.9')).status).toBe(201)
    const res = await post(westId, { problem: 'dirty' }, '10.9.9.9')
    expect(res.status).toBe(429)
    const retry = Number(res.headers.get('retry-after'))
    expect(retry).toBeGreaterThan(500)
    expect(retry).toBeLessThanOrEqual(600)
    const err = ((await res.json()) as any).error
    expect(err.code).toBe('rate_limited')
    expect(err.message).toMatch(/Retry-After/)
    // another client is not affected
    expect((await post(westId, { problem: 'dirty' }, '10.9.9.10')).status).toBe(201)
  })

  it('does not sell a new quota for a changed User-Agent, and keeps the count in the database (another API process sees it)', async () => {
    for (let i = 0; i < 5; i++) expect((await post(westId, { problem: 'dirty' }, '10.8.8.8', `agent-${i}`)).status).toBe(201)
    expect((await post(westId, { problem: 'dirty' }, '10.8.8.8', 'a-brand-new-agent')).status).toBe(429)
    // a second app on the same database (another process, or the same one after a restart)
    const other = createApp({ sql: api.sql, database: api.database, config: { basemapStyleUrl: null, basemapAttribution: null }, limits: DEFAULT_LIMITS, auth: { ...DEFAULT_AUTH, trustProxy: true }, work: api.work })
    const res = await other.request(`/api/stations/${westId}/reports`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.8.8.8' }, body: JSON.stringify({ problem: 'dirty' }),
    })
    expect(res.status).toBe(429)
  })

  it('uses up no quota on a 404 for an unknown station', async () => {
    for (let i = 0; i < 8; i++) expect((await post('00000000-0000-4000-8000-000000000000', { problem: 'moved' }, '10.7.7.7')).status).toBe(404)
    for (let i = 0; i < 5; i++) expect((await post(westId, { problem: 'moved' }, '10.7.7.7')).status).toBe(201)
    expect((await post(westId, { problem: 'moved' }, '10.7.7.7')).status).toBe(429)
  })
})

describe('GET /api/reports and PATCH /api/reports/{id}', () => {
  it('lists reports newest first, filtered by region (a city includes its counties) and status', async () => {
    const east = await post(eastId, { problem: 'no_power', note: '充电柜断电' })
    const eastReport = (await east.json()) as any
    const { status, body } = await api.get('/api/reports')
    expect(status).toBe(200)
    expect(body.type).toBe('FeatureCollection')
    const times = body.features.map((f: any) => Date.parse(f.properties.created_at))
    expect([...times].sort((a, b) => b - a)).toEqual(times)
    expect(body.features[0].id).toBe(eastReport.id)
    const eastOnly = await api.get('/api/reports?region=990102')
    expect(eastOnly.body.features.map((f: any) => f.id)).toEqual([eastReport.id])
    const city = await api.get('/api/reports?region=990100')
    expect(city.body.features).toHaveLength(body.features.length)
    expect((await api.get('/api/reports?region=999999')).status).toBe(404)
    expect((await api.get('/api/reports?status=closed')).status).toBe(400)
  })

  it('resolves a report, and can reopen it', async () => {
    const created = (await (await post(westId, { problem: 'moved', note: '搬到对面了' })).json()) as any
    const res = await patch(created.id, { status: 'resolved' })
    expect(res.status).toBe(200)
    const resolved = (await res.json()) as any
    expect(resolved.properties.status).toBe('resolved')
    expect(resolved.properties.resolved_at).not.toBeNull()
    const open = await api.get('/api/reports?status=open')
    expect(open.body.features.map((f: any) => f.id)).not.toContain(created.id)
    const done = await api.get('/api/reports?status=resolved')
    expect(done.body.features.map((f: any) => f.id)).toContain(created.id)
    const reopened = (await (await patch(created.id, { status: 'open' })).json()) as any
    expect(reopened.properties).toMatchObject({ status: 'open', resolved_at: null })
  })

  it('answers 404 for an unknown report and 400 for a bad status', async () => {
    expect((await patch('00000000-0000-4000-8000-000000000000', { status: 'resolved' })).status).toBe(404)
    const created = (await (await post(westId, { problem: 'other' })).json()) as any
    expect((await patch(created.id, { status: 'gone' })).status).toBe(400)
  })

  it('names the report endpoints in the OpenAPI document', async () => {
    const { body } = await api.get('/api/openapi.json')
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/stations/{id}/reports', '/reports', '/reports/{id}']))
  })
})

describe('report privacy, paging and who may resolve', () => {
  it('shows where the reporter stood only to editors of the station’s region (and admins)', async () => {
    const created = (await (await post(westId, { problem: 'dirty', lon: 116.0142, lat: 35.0502 })).json()) as any
    const find = (body: any) => body.features.find((f: any) => f.id === created.id)
    expect(find((await getAs('/api/reports?limit=1000')).body).geometry).toBeNull()
    expect(find((await getAs('/api/reports?limit=1000', eastEditor)).body).geometry).toBeNull()
    expect(find((await getAs('/api/reports?limit=1000', westEditor)).body).geometry).toEqual({ type: 'Point', coordinates: [116.0142, 35.0502] })
    await addAccount(api, 'boss@example.org', 'admin')
    const admin = asSession(await signIn(api, 'boss@example.org'))
    expect(find((await getAs('/api/reports?limit=1000', admin)).body).geometry).not.toBeNull()
    // the rest of the report stays public
    expect(find((await getAs('/api/reports?limit=1000')).body).properties).toMatchObject({ problem: 'dirty', station_id: westId })
  })

  it('pages newest first with a cursor: every report once, in the same order as one big page', async () => {
    const all = (await getAs('/api/reports?limit=1000')).body.features.map((f: any) => f.id)
    expect(all.length).toBeGreaterThan(10)
    const paged: string[] = []
    let url = '/api/reports?limit=3'
    for (let i = 0; i < 100; i++) {
      const { status, body } = await getAs(url)
      expect(status).toBe(200)
      expect(body.features.length).toBeLessThanOrEqual(3)
      paged.push(...body.features.map((f: any) => f.id))
      if (!body.next_cursor) break
      url = `/api/reports?limit=3&cursor=${body.next_cursor}`
    }
    expect(paged).toEqual(all)
    expect((await getAs('/api/reports?cursor=bm9wZQ')).status).toBe(400)
  })

  it('lets only editors of the region resolve a report', async () => {
    const created = (await (await post(westId, { problem: 'closed' })).json()) as any
    const anonymous = await patch(created.id, { status: 'resolved' }, { 'content-type': 'application/json' })
    expect(anonymous.status).toBe(401)
    expect((await patch(created.id, { status: 'resolved' }, eastEditor)).status).toBe(403)
    expect((await patch(created.id, { status: 'resolved' }, westEditor)).status).toBe(200)
    const [row] = await api.sql`SELECT actor, changes FROM change_log WHERE entity = 'report' AND entity_id = ${created.id} AND action = 'update'`
    expect(row).toMatchObject({ actor: 'west@example.org', changes: { status: ['open', 'resolved'] } })
  })
})
