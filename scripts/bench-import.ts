/**
 * Times a 50,000-row station import end to end through the API (`npm run bench-import [-- --rows N]`):
 * the CSV is generated (seeded, points inside 金乡县 more than 60 m from every demo station), then
 * dry run, apply, re-import (nothing changes) and undo, each timed. Baseline, in the same run: the
 * same kind of rows written one at a time through POST /api/stations (a sample, per row).
 *
 * Database: DATABASE_URL (a schema of its own, dropped afterwards), else a fresh embedded database
 * in a temporary directory (its first start installs PostGIS: ≈ 30–40 s, not counted).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import booleanPointInPolygon from '@turf/boolean-point-in-polygon'
import { newApiToken, sha256 } from '../api/src/auth/secrets.ts'
import { hashPassword } from '../api/src/auth/passwords.ts'
import { greatCircleDistance } from '../api/src/core/great-circle-distance.ts'
import { createToken } from '../api/src/db/tokens.ts'
import { createUser } from '../api/src/db/users.ts'
import { repoPath } from '../api/src/paths.ts'
import { startApi } from '../api/src/start.ts'

const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : d
}
const ROWS = arg('rows', 50_000)
const BASELINE = arg('baseline', 300)

let seed = 42
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)

function points(n: number): [number, number][] {
  const regions = JSON.parse(readFileSync(repoPath('data/regions.geojson'), 'utf8'))
  const county = regions.features.find((f: { properties: { code: string } }) => f.properties.code === '370828')
  const demo = JSON.parse(readFileSync(repoPath('data/demo/stations.geojson'), 'utf8')).features.map((f: { geometry: { coordinates: [number, number] } }) => f.geometry.coordinates)
  const out: [number, number][] = []
  while (out.length < n) {
    const p: [number, number] = [Math.round((116.12 + rand() * 0.38) * 1e6) / 1e6, Math.round((34.86 + rand() * 0.37) * 1e6) / 1e6]
    if (booleanPointInPolygon(p, county) && !demo.some((d: [number, number]) => greatCircleDistance(d, p) < 60)) out.push(p)
  }
  return out
}

const KINDS = ['爱心驿站', '红帆驿站', '党群服务中心', '工地驿站']
const HOURS = ['8:00-20:00', '全天', '周一至周五 9:00-17:00', '24/7']

async function main() {
  const dataDir = process.env.DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'atlas-bench-import-'))
  const schema = process.env.DATABASE_URL ? `bench_import_${process.pid}` : undefined
  console.log(`database: ${process.env.DATABASE_URL ? `PostgreSQL (schema ${schema})` : `embedded (${dataDir})`}; preparing…`)
  const api = await startApi({ databaseUrl: process.env.DATABASE_URL, dataDir, schema, seedFiles: { regions: repoPath('data/regions.geojson'), demoStations: repoPath('data/demo/stations.geojson') } })
  try {
    const admin = await createUser(api.sql, { email: 'bench@example.org', passwordHash: await hashPassword('bench password 123'), role: 'admin', regions: [] })
    const token = newApiToken()
    await createToken(api.sql, admin.id, 'bench', sha256(token))
    const auth = { authorization: `Bearer ${token}` }
    const pts = points(ROWS + BASELINE)
    const header = '编号,名称,类型,经度,纬度,地址,开放时间,服务内容\r\n'
    const csv = header + pts.slice(0, ROWS).map(([x, y], i) => `B-${i},驿站${i},${KINDS[i % 4]},${x},${y},金乡县测试路${i}号,${HOURS[i % 4]},饮水、充电\r\n`).join('')
    const bytes = new TextEncoder().encode(csv)
    console.log(`${ROWS} rows, ${(bytes.length / 1048576).toFixed(1)} MB CSV`)
    const post = async (fields: Record<string, string>) => {
      const form = new FormData()
      form.append('file', new File([bytes], 'bench.csv'))
      for (const [k, v] of Object.entries(fields)) form.append(k, v)
      const t = performance.now()
      const res = await api.app.request('/api/import', { method: 'POST', headers: auth, body: form })
      const body = (await res.json()) as any
      const s = (performance.now() - t) / 1000
      if (res.status !== 200) throw new Error(`import answered ${res.status}: ${JSON.stringify(body).slice(0, 400)}`)
      return { s, body }
    }
    const dry = await post({ dry_run: 'true' })
    console.log(`dry run:   ${dry.s.toFixed(1)} s  (create ${dry.body.created}, reject ${dry.body.rejected})`)
    const applied = await post({ dry_run: 'false' })
    console.log(`apply:     ${applied.s.toFixed(1)} s  (created ${applied.body.created})  → ${(ROWS / applied.s).toFixed(0)} rows/s`)
    const again = await post({ dry_run: 'false' })
    console.log(`re-import: ${again.s.toFixed(1)} s  (unchanged ${again.body.unchanged}, import_id ${again.body.import_id})`)
    let t = performance.now()
    const undo = await api.app.request(`/api/imports/${applied.body.import_id}/undo`, { method: 'POST', headers: auth })
    console.log(`undo:      ${((performance.now() - t) / 1000).toFixed(1)} s  (HTTP ${undo.status})`)
    t = performance.now()
    for (const [i, [x, y]] of pts.slice(ROWS).entries()) {
      const res = await api.app.request('/api/stations', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'rider_rest', name: `单条${i}`, lon: x, lat: y, opening_hours: '24/7' }) })
      if (res.status !== 201) throw new Error(`POST /api/stations answered ${res.status}`)
    }
    const perRow = (performance.now() - t) / 1000 / BASELINE
    console.log(`baseline:  POST /api/stations one at a time: ${(perRow * 1000).toFixed(1)} ms/row → ${ROWS} rows ≈ ${(perRow * ROWS).toFixed(0)} s`)
    console.log(`ratio:     one import (dry run + apply) is ${((perRow * ROWS) / (dry.s + applied.s)).toFixed(1)}× faster than ${ROWS} single writes`)
  } finally {
    if (schema) await api.sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await api.close()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  }
}

await main()
