import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApi } from '../../test/test-app.ts'

const FIXTURES = { regions: 'api/test/fixtures/regions.geojson', demoStations: 'api/test/fixtures/rider-stations.geojson' }

let api: Awaited<ReturnType<typeof startTestApi>>
let westId: string
let eastId: string
let ua = 0
beforeAll(async () => {
  api = await startTestApi({ seedFiles: FIXTURES })
  const { body } = await api.get('/api/stations?limit=10000')
  westId = body.features.find((f: any) => f.properties.external_id === 'r-247').id
  eastId = body.features.find((f: any) => f.properties.external_id === 'r-centre').id
})
afterAll(async () => {
  await api?.close()
})

/** Each call site gets its own client (User-Agent), so the rate limit only bites where a test wants it. */
function post(id: string, body: unknown, agent = `test-${++ua}`) {
  return api.request(`/api/stations/${id}/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': agent },
    body: JSON.stringify(body),
  })
}
const patch = (id: string, body: unknown) =>
  api.request(`/api/reports/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

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

  it('allows 5 reports per 10 minutes per client, then 429 with Retry-After', async () => {
    for (let i = 0; i < 5; i++) expect((await post(westId, { problem: 'dirty' }, 'flooder')).status).toBe(201)
    const res = await post(westId, { problem: 'dirty' }, 'flooder')
    expect(res.status).toBe(429)
    const retry = Number(res.headers.get('retry-after'))
    expect(retry).toBeGreaterThan(500)
    expect(retry).toBeLessThanOrEqual(600)
    const err = ((await res.json()) as any).error
    expect(err.code).toBe('rate_limited')
    expect(err.message).toMatch(/Retry-After/)
    // another client is not affected
    expect((await post(westId, { problem: 'dirty' }, 'someone-else')).status).toBe(201)
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
