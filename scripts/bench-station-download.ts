/**
 * `npm run bench-station-download`: bytes on the wire for one region's stations as the plan tab and the
 * tour load them, the GeoJSON pages of /api/stations (before: fetchAllStations, default pages of 1000)
 * against /api/stations/columns (after: fetchStationLite, pages of 20 000), side by side, gzip as a
 * browser gets it, from a running server.
 *
 *   ATLAS_URL=http://127.0.0.1:8080 npm run bench-station-download -- [--region 370828] [--rounds 3]
 */
import { request } from 'node:http'
import { parseArgs } from 'node:util'
import { gunzipSync } from 'node:zlib'

const { values: args } = parseArgs({ options: { region: { type: 'string', default: '370828' }, rounds: { type: 'string', default: '3' } } })
const base = process.env.ATLAS_URL ?? 'http://127.0.0.1:8080'

function get(path: string): Promise<{ wire: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(new URL(path, base), { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const wire = Buffer.concat(chunks)
        if (res.statusCode !== 200) return reject(new Error(`${path}: ${res.statusCode} ${wire.toString()}`))
        resolve({ wire: wire.length, body: res.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire })
      })
    }).on('error', reject).end()
  })
}

/** every page of `path`, following next_cursor: wire bytes, raw bytes, stations, ms */
async function all(path: string, count: (j: any) => number) {
  let wire = 0
  let raw = 0
  let n = 0
  let cursor: string | undefined
  const t0 = performance.now()
  for (let page = 0; page < 5000; page++) {
    const r = await get(`${path}${cursor ? `&cursor=${cursor}` : ''}`)
    wire += r.wire
    raw += r.body.length
    const j = JSON.parse(r.body.toString())
    n += count(j)
    cursor = j.next_cursor
    if (!cursor) break
  }
  return { wire, raw, n, ms: performance.now() - t0 }
}

const q = `region=${args.region}`
const rows: string[] = []
const res = { before: [] as Awaited<ReturnType<typeof all>>[], after: [] as Awaited<ReturnType<typeof all>>[] }
for (let r = 0; r < Number(args.rounds); r++) {
  // alternate the order, so neither always meets a warm database cache
  for (const way of r % 2 ? (['after', 'before'] as const) : (['before', 'after'] as const)) {
    res[way].push(way === 'before' ? await all(`/api/stations?${q}`, (j) => j.features.length) : await all(`/api/stations/columns?${q}`, (j) => j.count))
  }
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
for (const way of ['before', 'after'] as const) {
  const x = res[way][0]!
  rows.push(`| ${way === 'before' ? 'GeoJSON /api/stations (before)' : 'columns /api/stations/columns (after)'} | ${x.n.toLocaleString('en')} | ${(x.wire / 2 ** 20).toFixed(2)} | ${(x.raw / 2 ** 20).toFixed(2)} | ${(x.wire / x.n).toFixed(1)} | ${(x.raw / x.n).toFixed(1)} | ${med(res[way].map((y) => y.ms)).toFixed(0)} |`)
}
console.log(`\nregion ${args.region} from ${base}, ${args.rounds} rounds\n`)
console.log('| download | stations | MiB on the wire (gzip) | MiB JSON | bytes / station, wire | bytes / station, JSON | median ms |\n|---|---|---|---|---|---|---|')
for (const r of rows) console.log(r)
const [b, a] = [res.before[0]!, res.after[0]!]
console.log(`\nbefore ÷ after: wire ${(b.wire / a.wire).toFixed(1)}×, JSON ${(b.raw / a.raw).toFixed(1)}×, time ${(med(res.before.map((y) => y.ms)) / med(res.after.map((y) => y.ms))).toFixed(1)}×`)
