import gcoord from 'gcoord'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { greatCircleDistance } from '../core/great-circle-distance.ts'
import { repoPath } from '../paths.ts'
import { addAccount, asSession, OWN_ORIGIN, signIn } from '../../test/accounts.ts'
import { fixture, importForm, postImport, tablesChecksum } from '../../test/import-helpers.ts'
import { startTestApi } from '../../test/test-app.ts'
import { BAD_FILES, XLSX_TO_PLACE } from '../../../scripts/make-import-fixtures.ts'

const JINXIANG = '370828'
const truth = JSON.parse(fixture('truth.json').toString('utf8')) as { external_id: string; lon: number; lat: number; name: string }[]

let api: Awaited<ReturnType<typeof startTestApi>>
let editor: string
let admin: string

beforeAll(async () => {
  api = await startTestApi({ seedFiles: { regions: repoPath('data/regions.geojson'), demoStations: repoPath('data/demo/stations.geojson') } })
  await addAccount(api, 'import-editor@example.org', 'editor', [JINXIANG])
  await addAccount(api, 'import-admin@example.org', 'admin')
  editor = await signIn(api, 'import-editor@example.org')
  admin = await signIn(api, 'import-admin@example.org')
}, 60_000)
afterAll(async () => {
  await api?.close()
})

/** Metres between two [lon, lat] points on the sphere. */
const metres = (a: [number, number], b: [number, number]) => greatCircleDistance(a, b)

describe('reading a county ledger', () => {
  it('dry-runs a GBK CSV with Chinese headers: detects GB18030, maps the headers, converts kinds and hours', async () => {
    const before = await tablesChecksum(api)
    const { status, body } = await postImport(api, editor, 'jinxiang-gbk.csv', fixture('jinxiang-gbk.csv'))
    expect(status, JSON.stringify(body).slice(0, 500)).toBe(200)
    expect(body.encoding).toBe('gb18030')
    expect(body.mapping).toMatchObject({ 编号: 'external_id', 站点名称: 'name', 站点类型: 'kind', 经度: 'lon', 纬度: 'lat', 开放时间: 'opening_hours', 服务内容: 'amenities' })
    expect([body.created, body.rejected, body.to_place]).toEqual([10, 0, 0])
    expect(body.rows[0]).toMatchObject({ row: 2, action: 'create', name: truth[0]!.name, region_code: JINXIANG })
    expect(await tablesChecksum(api)).toBe(before)
  })

  it('converts BD-09 coordinates to WGS-84 as gcoord does, within 1 m of the surveyed point', async () => {
    const { status, body } = await postImport(api, editor, 'jinxiang-bd09.csv', fixture('jinxiang-bd09.csv'), { crs: 'bd09' })
    expect(status).toBe(200)
    expect(body.encoding).toBe('utf-8')
    const lines = fixture('jinxiang-bd09.csv').toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).map((l) => l.split(','))
    for (const [i, r] of body.rows.entries()) {
      const byGcoord = gcoord.transform([Number(lines[i]![3]), Number(lines[i]![4])], gcoord.BD09, gcoord.WGS84) as [number, number]
      expect(metres([r.lon, r.lat], byGcoord)).toBeLessThan(1)
      expect(metres([r.lon, r.lat], [truth[10 + i]!.lon, truth[10 + i]!.lat])).toBeLessThan(1)
    }
  })

  it('reads GeoJSON with canonical properties', async () => {
    const { status, body } = await postImport(api, editor, 'jinxiang.geojson', fixture('jinxiang.geojson'))
    expect(status).toBe(200)
    expect([body.format, body.created, body.rejected]).toEqual(['geojson', 8, 0])
  })

  it('rejects each bad row with its reason and applies nothing in reject mode; skip mode applies the valid row', async () => {
    const { status, body } = await postImport(api, editor, 'bad-rows.csv', fixture('bad-rows.csv'))
    expect(status).toBe(200)
    const why = Object.fromEntries(body.rows.map((r: any) => [r.row, r.action === 'reject' ? r.errors.map((e: any) => e.message).join(' | ') : r.action]))
    expect(why[2]).toBe('create')
    expect(why[3]).toMatch(/^missing: every station needs a name/)
    expect(why[4]).toMatch(/unknown kind "加油站"/)
    expect(why[5]).toMatch(/lies in no region of this atlas/)
    expect(why[6]).toMatch(/outside your regions: the point lies in 361021/)
    expect(why[7]).toMatch(/cannot convert "早八晚八"/)
    expect(why[8]).toMatch(/duplicate of station .* \d+ m away under another id/)
    expect(why[9]).toMatch(/duplicate row in the file: same station as row 2/)
    expect(why[10]).toMatch(/formula/)

    const before = await tablesChecksum(api)
    const rejected = await postImport(api, editor, 'bad-rows.csv', fixture('bad-rows.csv'), { dry_run: 'false' })
    expect(rejected.status).toBe(422)
    expect(rejected.body.error.code).toBe('rows_rejected')
    expect(rejected.body.error.message).toMatch(/8 row\(s\) rejected, nothing imported.*row 3, column B \(name\): missing/)
    expect(rejected.body.report.rejected).toBe(8)
    expect(await tablesChecksum(api)).toBe(before)

    const skipped = await postImport(api, editor, 'bad-rows.csv', fixture('bad-rows.csv'), { dry_run: 'false', on_invalid: 'skip' })
    expect(skipped.status).toBe(200)
    expect([skipped.body.created, skipped.body.rejected]).toEqual([1, 8])
    const undo = await api.request(`/api/imports/${skipped.body.import_id}/undo`, { method: 'POST', headers: asSession(editor) })
    expect(undo.status).toBe(200)
  })

  it('answers 403 when no row lies in a region of the editor’s grants', async () => {
    const other = await addAccount(api, 'import-nancheng@example.org', 'editor', ['361021'])
    expect(other.id).toBeTruthy()
    const cookie = await signIn(api, 'import-nancheng@example.org')
    const { status, body } = await postImport(api, cookie, 'jinxiang-gbk.csv', fixture('jinxiang-gbk.csv'))
    expect(status).toBe(403)
    expect(body.error.message).toMatch(/370828/)
  })
})

describe('applying the GCJ-02 workbook', () => {
  let importId: string
  let placed: Record<string, [number, number]>

  it('lists the sheets, picks the ledger, converts GCJ-02 within 1 m of gcoord, and lists rows to place', async () => {
    const { status, body } = await postImport(api, editor, 'jinxiang-gcj02.xlsx', fixture('jinxiang-gcj02.xlsx'), { crs: 'gcj02' })
    expect(status, JSON.stringify(body).slice(0, 400)).toBe(200)
    expect(body.sheets).toEqual(['填表说明', '驿站台账'])
    expect(body.sheet).toBe('驿站台账')
    expect([body.created, body.to_place, body.rejected]).toEqual([truth.length - XLSX_TO_PLACE, XLSX_TO_PLACE, 0])
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(fixture('jinxiang-gcj02.xlsx') as never)
    const ws = wb.getWorksheet('驿站台账')!
    for (const r of body.rows.filter((x: any) => x.action === 'create')) {
      const cells = ws.getRow(r.row)
      const byGcoord = gcoord.transform([Number(cells.getCell(4).value), Number(cells.getCell(5).value)], gcoord.GCJ02, gcoord.WGS84) as [number, number]
      expect(metres([r.lon, r.lat], byGcoord)).toBeLessThan(1)
    }
    const toPlace = body.rows.filter((x: any) => x.action === 'to_place')
    expect(toPlace.map((x: any) => x.address)).toEqual(truth.slice(-XLSX_TO_PLACE).map((t: any) => t.address ?? expect.any(String)))
    placed = Object.fromEntries(toPlace.map((x: any, i: number) => [String(x.row), [truth[truth.length - XLSX_TO_PLACE + i]!.lon, truth[truth.length - XLSX_TO_PLACE + i]!.lat]]))
  })

  it('refuses to apply while rows are still to be placed', async () => {
    const before = await tablesChecksum(api)
    const { status, body } = await postImport(api, editor, 'jinxiang-gcj02.xlsx', fixture('jinxiang-gcj02.xlsx'), { crs: 'gcj02', dry_run: 'false' })
    expect(status).toBe(422)
    expect(body.error.message).toMatch(/to place/)
    expect(await tablesChecksum(api)).toBe(before)
  })

  it('applies every row in one import, with placed rows at their placed points and each change in history', async () => {
    const { status, body } = await postImport(api, editor, 'jinxiang-gcj02.xlsx', fixture('jinxiang-gcj02.xlsx'), { crs: 'gcj02', dry_run: 'false', placed })
    expect(status, JSON.stringify(body).slice(0, 400)).toBe(200)
    expect(body.created).toBe(truth.length)
    importId = body.import_id
    const rows = await api.sql<{ external_id: string; lon: number; lat: number; opening_hours: string; source: string }[]>`
      SELECT external_id, ST_X(geom) AS lon, ST_Y(geom) AS lat, opening_hours, source FROM station WHERE external_id LIKE 'JX-%' ORDER BY external_id`
    expect(rows.length).toBe(truth.length)
    for (const [i, r] of rows.entries()) expect(metres([r.lon, r.lat], [truth[i]!.lon, truth[i]!.lat])).toBeLessThan(1)
    expect(rows[3]!.opening_hours).toBe('Mo-Fr 09:00-17:00')
    const [log] = await api.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM change_log WHERE import_id = ${importId} AND action = 'create'`
    expect(log!.n).toBe(truth.length)
    const id = (await api.sql<{ id: string }[]>`SELECT id FROM station WHERE external_id = 'JX-001'`)[0]!.id
    const h = await api.get(`/api/stations/${id}/history`).catch(() => null)
    expect(h).toBeTruthy()
  })

  it('changes nothing when the same file is imported again', async () => {
    const before = await tablesChecksum(api)
    const { status, body } = await postImport(api, editor, 'jinxiang-gcj02.xlsx', fixture('jinxiang-gcj02.xlsx'), { crs: 'gcj02', dry_run: 'false', placed })
    expect(status).toBe(200)
    expect([body.created, body.updated, body.unchanged, body.import_id]).toEqual([0, 0, truth.length, null])
    expect(await tablesChecksum(api)).toBe(before)
  })

  it('round-trips: exported stations (xlsx, and CSV in GCJ-02) import back unchanged', async () => {
    const x = await api.request(`/api/export/stations?format=xlsx&region=${JINXIANG}`)
    expect(x.headers.get('content-type')).toMatch(/spreadsheetml/)
    const xlsx = new Uint8Array(await x.arrayBuffer())
    const back = await postImport(api, editor, 'export.xlsx', xlsx)
    expect(back.status).toBe(200)
    expect(back.body.unchanged).toBe(back.body.rows.length)
    expect(back.body.rows.length).toBeGreaterThan(truth.length)
    const c = await api.request(`/api/export/stations?format=csv&crs=gcj02&region=${JINXIANG}`)
    const bytes = new Uint8Array(await c.arrayBuffer())
    expect(Buffer.from(bytes).toString('utf8').startsWith('\uFEFFid,external_id,name,kind,lon,lat')).toBe(true)
    const csvBack = await postImport(api, editor, 'export.csv', bytes, { crs: 'gcj02' })
    expect(csvBack.body.rows.filter((r: any) => r.action !== 'unchanged')).toEqual([])
  })

  it('updates only the fields that changed, and undo puts the stations back and retires the new ones', async () => {
    const id = (await api.sql<{ id: string }[]>`SELECT id FROM station WHERE external_id = 'JX-002'`)[0]!.id
    const csv = `external_id,name,kind,lon,lat,phone\r\nJX-002,${truth[1]!.name},rider_rest,${truth[1]!.lon},${truth[1]!.lat},12345\r\n`
    const dry = await postImport(api, editor, 'one.csv', new TextEncoder().encode(csv))
    expect(dry.body.rows[0]).toMatchObject({ action: 'update', id })
    expect(Object.keys(dry.body.rows[0].changes).sort()).toEqual(['phone'])
    const applied = await postImport(api, editor, 'one.csv', new TextEncoder().encode(csv), { dry_run: 'false' })
    expect(applied.body.updated).toBe(1)
    const undo1 = await api.request(`/api/imports/${applied.body.import_id}/undo`, { method: 'POST', headers: asSession(editor) })
    expect(undo1.status).toBe(200)
    const s = await api.get(`/api/stations/${id}`)
    expect(s.body.properties.phone).not.toBe('12345')
    const undo = await api.request(`/api/imports/${importId}/undo`, { method: 'POST', headers: asSession(editor) })
    expect(undo.status, await undo.clone().text()).toBe(200)
    const [left] = await api.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM station WHERE external_id LIKE 'JX-%' AND status <> 'retired'`
    expect(left!.n).toBe(0)
    const again = await api.request(`/api/imports/${importId}/undo`, { method: 'POST', headers: asSession(editor) })
    expect(again.status).toBe(409)
  })
})

describe('bad files never hurt', () => {
  it.each(Object.entries(BAD_FILES))('%s → 4xx naming the problem, nothing written, the server still answers', async (name, want) => {
    const before = await tablesChecksum(api)
    const { status, body } = await postImport(api, editor, name, fixture(name), { dry_run: 'false' })
    expect(status, JSON.stringify(body).slice(0, 300)).toBe(want.status)
    expect(body.error.message).toMatch(want.expect)
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/)
    expect(await tablesChecksum(api)).toBe(before)
    expect((await api.request('/api/health')).status).toBe(200)
  })

  it('refuses more than 50,000 rows with 413 naming the limit', async () => {
    const line = (i: number) => `站${i},爱心驿站,116.3,35.0\r\n`
    const csv = '名称,类型,经度,纬度\r\n' + Array.from({ length: 50_001 }, (_, i) => line(i)).join('')
    const { status, body } = await postImport(api, editor, 'many.csv', new TextEncoder().encode(csv))
    expect(status).toBe(413)
    expect(body.error.message).toMatch(/50001 rows; an import takes at most 50000 rows/)
  })

  it('refuses a body over 20 MB with 413 naming the limit, while reading it', async () => {
    const { status, body } = await postImport(api, editor, 'big.csv', new Uint8Array(21 * 1024 * 1024))
    expect(status).toBe(413)
    expect(body.error.message).toMatch(/import body limit of 20 MB/)
  })

  it('names the field of a bad form value', async () => {
    const { status, body } = await postImport(api, editor, 'jinxiang-gbk.csv', fixture('jinxiang-gbk.csv'), { crs: 'mercator' })
    expect(status).toBe(400)
    expect(body.error.message).toMatch(/crs: must be wgs84, gcj02 or bd09/)
    const res = await api.request('/api/import', { method: 'POST', headers: { cookie: editor, origin: OWN_ORIGIN }, body: new FormData() })
    expect(((await res.json()) as any).error.message).toMatch(/file: required/)
  })
})

describe('export', () => {
  it('answers under DESIGN §4’s GET /export exactly as GET /export/stations', async () => {
    const q = 'format=csv&crs=bd09&kind=rider_rest&region=370828'
    const [a, b] = await Promise.all([api.request(`/api/export?${q}`), api.request(`/api/export/stations?${q}`)])
    expect(a.status).toBe(200)
    expect(a.headers.get('content-disposition')).toBe(b.headers.get('content-disposition'))
    expect(await a.text()).toBe(await b.text())
    expect((await api.request('/api/export?format=pdf')).status).toBe(400)
  })

  it('escapes text that would run as a formula, in CSV and xlsx, and the escape imports back', async () => {
    const made = await api.request('/api/stations', { method: 'POST', headers: asSession(admin), body: JSON.stringify({ kind: 'worksite', name: '=HYPERLINK("http://x","y")', lon: truth[2]!.lon, lat: truth[2]!.lat }) })
    expect(made.status, await made.clone().text()).toBe(201)
    const csv = await (await api.request('/api/export/stations?format=csv&kind=worksite&region=370828')).text()
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""y"")"`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load((await (await api.request('/api/export/stations?format=xlsx&kind=worksite&region=370828')).arrayBuffer()) as never)
    const names = wb.worksheets[0]!.getColumn(3).values.slice(2)
    expect(names).toContain(`'=HYPERLINK("http://x","y")`)
    const back = await postImport(api, editor, 'w.csv', new TextEncoder().encode(csv))
    expect(back.body.rows.every((r: any) => r.action === 'unchanged')).toBe(true)
  })

  it('exports GeoJSON in GCJ-02 as gcoord converts, with the filters of /stations', async () => {
    const g = await api.get(`/api/export/stations?format=geojson&crs=gcj02&region=${JINXIANG}&kind=rider_rest`)
    const w = await api.get(`/api/stations?region=${JINXIANG}&kind=rider_rest`)
    expect(g.body.features.length).toBe(w.body.features.length)
    for (const [i, f] of g.body.features.entries()) {
      const want = gcoord.transform(w.body.features[i].geometry.coordinates, gcoord.WGS84, gcoord.GCJ02) as [number, number]
      expect(metres(f.geometry.coordinates, want)).toBeLessThan(0.05)
    }
  })

  it('exports a plan without saving it', async () => {
    const before = await tablesChecksum(api)
    const res = await api.request('/api/export/scenario?format=csv', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '新方案', kind: 'rider_rest', region: JINXIANG, edits: { added: [{ id: 'new-1', lon: 116.3, lat: 35.05 }] } }),
    })
    expect(res.status).toBe(200)
    const text = Buffer.from(await res.arrayBuffer()).toString('utf8')
    expect(text).toMatch(/^\uFEFFid,name,kind,change,lon,lat,radius_m/)
    expect(text).toMatch(/new-1,.*,rider_rest,added,116\.3,35\.05/)
    expect(await tablesChecksum(api)).toBe(before)
  })
})

describe('progress=true: the same import, its progress streamed as NDJSON', () => {
  type Line = { type: 'progress'; phase: 'read' | 'check' | 'write'; done: number; total: number | null } | { type: 'result'; status: number; body: any }

  async function postWithProgress(name: string, bytes: Uint8Array, fields: Record<string, string | object> = {}) {
    const res = await api.request('/api/import', { method: 'POST', headers: { cookie: editor, origin: OWN_ORIGIN }, body: importForm(name, bytes, { ...fields, progress: 'true' }) })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8')
    const text = await res.text()
    expect(text.endsWith('\n')).toBe(true)
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Line)
    const progress = lines.filter((l): l is Extract<Line, { type: 'progress' }> => l.type === 'progress')
    expect(lines.filter((l) => l.type === 'result').length).toBe(1)
    expect(lines.at(-1)!.type).toBe('result')
    // each phase counts up to its total, phases in order
    const order = progress.map((p) => p.phase).filter((p, i, a) => a[i - 1] !== p)
    expect(['read', 'check', 'write'].filter((p) => order.includes(p as never))).toEqual(order)
    const done = (lines.at(-1) as Extract<Line, { type: 'result' }>).status === 200
    for (const phase of order) {
      const ps = progress.filter((p) => p.phase === phase && p.total !== null)
      expect(ps.map((p) => p.done)).toEqual([...ps.map((p) => p.done)].sort((a, b) => a - b))
      if (done) expect(ps.at(-1)!.done).toBe(ps.at(-1)!.total)
    }
    return { progress, result: lines.at(-1) as Extract<Line, { type: 'result' }> }
  }

  /** 2,500 rows in 金乡县 (the read phase reports every 1,000, the check phase per 10,000) */
  const manyRows = new TextEncoder().encode('编号,名称,类型,经度,纬度\r\n' + Array.from({ length: 2500 }, (_, i) => `P-${i},进度驿站${i},爱心驿站,${(116.2 + (i % 50) * 0.004).toFixed(4)},${(34.95 + Math.floor(i / 50) * 0.004).toFixed(4)}\r\n`).join(''))

  it('dry run: read lines every 1,000 rows, then the rows checked, then the plain answer’s report', async () => {
    const plain = await postImport(api, editor, 'many.csv', manyRows)
    expect(plain.status).toBe(200)
    const { progress, result } = await postWithProgress('many.csv', manyRows)
    expect(progress[0]).toEqual({ type: 'progress', phase: 'read', done: 0, total: null })
    expect(progress.filter((p) => p.phase === 'read').map((p) => p.done)).toEqual([0, 0, 1000, 2000, 2500])
    const located = plain.body.rows.filter((r: any) => r.lon !== undefined).length
    expect(progress.filter((p) => p.phase === 'check').map((p) => [p.done, p.total])).toEqual([[0, located], [located, located]])
    expect(progress.some((p) => p.phase === 'write')).toBe(false)
    expect(result).toEqual({ type: 'result', status: 200, body: plain.body })
  })

  it('apply: rows written as each batch commits to the one transaction; the result is what the dry run said', async () => {
    const file = fixture('jinxiang-gbk.csv')
    const dry = await postImport(api, editor, 'jinxiang-gbk.csv', file)
    expect(dry.status).toBe(200)
    const { progress, result } = await postWithProgress('jinxiang-gbk.csv', file, { dry_run: 'false' })
    expect(result.status, JSON.stringify(result.body).slice(0, 300)).toBe(200)
    const counts = (b: any) => [b.created, b.updated, b.unchanged, b.rejected, b.to_place, b.rows.map((r: any) => r.action)]
    expect(counts(result.body)).toEqual(counts(dry.body))
    const written = result.body.created + result.body.updated
    expect(written).toBe(10)
    expect(progress.filter((p) => p.phase === 'write').map((p) => [p.done, p.total])).toEqual([[0, written], [written, written]])
    const [n] = await api.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM change_log WHERE import_id = ${result.body.import_id}`
    expect(n!.n).toBe(written)
    expect((await api.request(`/api/imports/${result.body.import_id}/undo`, { method: 'POST', headers: asSession(editor) })).status).toBe(200)
  })

  it('a refused apply and an unreadable file end with the plain answer’s status and error body, nothing written', async () => {
    const before = await tablesChecksum(api)
    const refused = await postWithProgress('bad-rows.csv', fixture('bad-rows.csv'), { dry_run: 'false' })
    const plain = await postImport(api, editor, 'bad-rows.csv', fixture('bad-rows.csv'), { dry_run: 'false' })
    expect(plain.status).toBe(422)
    expect(refused.result).toEqual({ type: 'result', status: 422, body: plain.body })
    const [name, want] = Object.entries(BAD_FILES)[0]!
    const bad = await postWithProgress(name, fixture(name), { dry_run: 'false' })
    expect(bad.result.status).toBe(want.status)
    expect(bad.result.body.error.message).toMatch(want.expect)
    expect(await tablesChecksum(api)).toBe(before)
  })

  it('refuses a bad progress value before anything is read, as plain JSON', async () => {
    const { status, body } = await postImport(api, editor, 'many.csv', manyRows, { progress: 'yes' })
    expect(status).toBe(400)
    expect(body.error.message).toMatch(/progress: must be true or false/)
  })
})
