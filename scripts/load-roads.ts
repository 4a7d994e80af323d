/**
 * Loads a road network from an OpenStreetMap extract into the database (issue 14):
 *
 *   npm run load-roads -- jinxiang.osm.pbf        # PBF (osm-pbf-parser-node)
 *   npm run load-roads -- town.osm                # OSM XML (saxes)
 *
 * Keeps the ways usable on foot or by e-bike (core/road-way-access.ts: highway classes, access,
 * foot/bicycle and one-way tags), makes every node of them a graph node and every segment an edge
 * with its great-circle length (segments over 100 m are split), and replaces the road tables in one
 * transaction. The file's sha-256 is recorded: loading the same file again changes nothing. One
 * network at a time: to cover several counties from several extracts, merge them first
 * (`osmium merge a.osm.pbf b.osm.pbf -o ab.osm.pbf`).
 *
 * Two passes over the file (ways, then the coordinates of their nodes and the named place=* nodes
 * — towns, villages, neighbourhoods — for the basemap's labels), so memory grows with the roads
 * kept, not with the whole extract. Progress is printed.
 *
 * Database: DATABASE_URL, else the embedded one in DATA_DIR (default data/.db) — stop `npm start`
 * first, the embedded database takes one process at a time.
 */
import { createHash } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createOSMStream } from 'osm-pbf-parser-node'
import { SaxesParser } from 'saxes'
import { buildRoadGraph } from '../api/src/core/network-graph.ts'
import { osmPlace, type OsmPlace } from '../api/src/core/osm-places.ts'
import { buildRoadNetwork, type OsmWay, type RoadNetwork } from '../api/src/core/road-network-from-osm.ts'
import { wayAccess } from '../api/src/core/road-way-access.ts'
import { connect, type Sql } from '../api/src/db/connect.ts'
import { migrate } from '../api/src/db/migrate.ts'
import { replaceRoadNetwork } from '../api/src/db/roads.ts'

type OsmEntity = { type: 'node'; id: number; lon: number; lat: number; tags?: Record<string, string> } | { type: 'way'; id: number; refs: number[]; tags: Record<string, string> }

/** The file's format from its name: `.osm.pbf` / `.pbf`, or `.osm` (XML). */
export function osmFormat(file: string): 'pbf' | 'xml' {
  if (/\.pbf$/i.test(file)) return 'pbf'
  if (/\.osm$/i.test(file)) return 'xml'
  throw new Error(`${file}: expected an OpenStreetMap extract ending in .osm.pbf, .pbf or .osm`)
}

/** Streams a file's nodes and ways (relations are not needed), in file order, in batches. */
async function* osmEntities(file: string, want: 'node' | 'way'): AsyncGenerator<OsmEntity[]> {
  if (osmFormat(file) === 'pbf') {
    // tags only of the entities of this pass (node tags for the place=* nodes)
    const withTags = want === 'way' ? { node: false, way: true, relation: false } : { node: true, way: false, relation: false }
    let batch: OsmEntity[] = []
    let sorted = false
    for await (const item of createOSMStream(file, { withTags, withInfo: false })) {
      const e = item as { type?: string; id: number; lat?: number; lon?: number; refs?: number[]; tags?: Record<string, string>; optional_features?: string[] }
      if (e.type === undefined) sorted = e.optional_features?.includes('Sort.Type_then_ID') ?? false
      else if (e.type === 'node' && want === 'node') batch.push({ type: 'node', id: e.id, lon: e.lon!, lat: e.lat!, tags: e.tags })
      else if (e.type === 'way' && want === 'way') batch.push({ type: 'way', id: e.id, refs: e.refs ?? [], tags: e.tags ?? {} })
      else if (e.type === 'way' && want === 'node' && sorted) break // a sorted file has every node before the first way
      if (batch.length >= 10_000) {
        yield batch
        batch = []
      }
    }
    if (batch.length) yield batch
    return
  }
  const parser = new SaxesParser()
  let batch: OsmEntity[] = []
  let way: { id: number; refs: number[]; tags: Record<string, string> } | null = null
  let node: (OsmEntity & { type: 'node'; tags: Record<string, string> }) | null = null
  parser.on('opentag', (tag) => {
    const a = tag.attributes as Record<string, string>
    if (tag.name === 'node' && want === 'node') node = { type: 'node', id: Number(a.id), lon: Number(a.lon), lat: Number(a.lat), tags: {} }
    else if (tag.name === 'way' && want === 'way') way = { id: Number(a.id), refs: [], tags: {} }
    else if (way && tag.name === 'nd') way.refs.push(Number(a.ref))
    else if (way && tag.name === 'tag' && a.k !== undefined) way.tags[a.k] = a.v ?? ''
    else if (node && tag.name === 'tag' && a.k !== undefined) node.tags[a.k] = a.v ?? ''
  })
  parser.on('closetag', (tag) => {
    if (tag.name === 'node' && node) {
      batch.push(node)
      node = null
    } else if (tag.name === 'way' && way) {
      batch.push({ type: 'way', ...way })
      way = null
    }
  })
  for await (const chunk of createReadStream(file, { encoding: 'utf8' })) {
    parser.write(chunk as string)
    if (batch.length) {
      yield batch
      batch = []
    }
  }
  parser.close()
  if (batch.length) yield batch
}

/**
 * Reads an extract into a road network: pass 1 keeps the usable ways, pass 2 the coordinates of
 * their nodes. `progress` hears about every ~100 000 entities.
 */
export async function readRoadNetwork(file: string, progress: (msg: string) => void = () => {}): Promise<RoadNetwork> {
  const ways: OsmWay[] = []
  const needed = new Set<number>()
  let seen = 0
  let next = 100_000
  for await (const batch of osmEntities(file, 'way')) {
    for (const e of batch) {
      if (e.type !== 'way' || !wayAccess(e.tags)) continue
      ways.push(e)
      for (const r of e.refs) needed.add(r)
    }
    seen += batch.length
    if (seen >= next) {
      progress(`pass 1/2 (ways): ${seen.toLocaleString('en')} read, ${ways.length.toLocaleString('en')} usable on foot or by e-bike`)
      next = seen + 100_000
    }
  }
  progress(`pass 1/2 (ways): ${seen.toLocaleString('en')} read, ${ways.length.toLocaleString('en')} usable, ${needed.size.toLocaleString('en')} nodes needed`)
  const coords = new Map<number, [number, number]>()
  const places: OsmPlace[] = []
  seen = 0
  next = 1_000_000
  for await (const batch of osmEntities(file, 'node')) {
    for (const e of batch) {
      if (e.type !== 'node') continue
      if (needed.has(e.id)) coords.set(e.id, [e.lon, e.lat])
      const place = e.tags?.place ? osmPlace(e.id, e.lon, e.lat, e.tags) : null
      if (place) places.push(place)
    }
    seen += batch.length
    if (seen >= next) {
      progress(`pass 2/2 (nodes): ${seen.toLocaleString('en')} read, ${coords.size.toLocaleString('en')} / ${needed.size.toLocaleString('en')} found`)
      next = seen + 1_000_000
    }
  }
  progress(`pass 2/2 (nodes): ${seen.toLocaleString('en')} read, ${coords.size.toLocaleString('en')} / ${needed.size.toLocaleString('en')} found, ${places.length.toLocaleString('en')} named places`)
  return buildRoadNetwork(ways, (id) => coords.get(id), {}, places)
}

/** sha-256 of a file's bytes, hex. */
export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** The whole command against an open (migrated) database; returns a one-line summary. */
export async function runLoadRoads(sql: Sql, file: string, log: (msg: string) => void = () => {}): Promise<string> {
  osmFormat(file)
  const bytes = statSync(file).size
  const sha256 = await fileSha256(file)
  log(`${basename(file)}: ${(bytes / 1048576).toFixed(1)} MiB, sha-256 ${sha256.slice(0, 12)}…`)
  // `places IS NOT NULL`: a network loaded before places were kept is read again for them
  const [loaded] = await sql<{ loaded_at: Date }[]>`SELECT loaded_at FROM road_extract WHERE sha256 = ${sha256} AND places IS NOT NULL`
  if (loaded) return `${basename(file)} is already the loaded road network (since ${loaded.loaded_at.toISOString()}): nothing changed`
  const t0 = performance.now()
  const network = await readRoadNetwork(file, log)
  if (network.edges.length === 0) throw new Error(`${basename(file)}: no ways usable on foot or by e-bike (highway=*) in this file`)
  const graph = buildRoadGraph(network.lon, network.lat, network.edges)
  log(`graph: ${network.osmIds.length.toLocaleString('en')} nodes, ${network.edges.length.toLocaleString('en')} edges from ${network.ways.toLocaleString('en')} ways` +
    `${network.missingRefs ? ` (${network.missingRefs} node references outside the file: ways split there)` : ''}; in memory ${(graph.bytes / 1048576).toFixed(2)} MiB`)
  const changed = await replaceRoadNetwork(sql, { sha256, file_name: basename(file), bytes }, network, (m) => log(`writing ${m}`))
  if (!changed) return `${basename(file)} is already the loaded road network: nothing changed`
  return `${basename(file)}: road network loaded — ${network.osmIds.length} nodes, ${network.edges.length} edges, ${network.ways} ways, ${network.places.length} places in ${((performance.now() - t0) / 1000).toFixed(1)} s`
}

async function main() {
  const { positionals } = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: {} })
  const file = positionals[0]
  if (!file || positionals.length > 1) throw new Error('usage: npm run load-roads -- <extract.osm.pbf | extract.osm>')
  osmFormat(file)
  statSync(file) // a missing file fails before the database opens
  const db = await connect({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR || undefined, log: console.log })
  try {
    await migrate(db.sql, console.log)
    console.log(await runLoadRoads(db.sql, file, console.log))
  } finally {
    await db.close()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: Error) => {
    console.error(err.message)
    process.exit(1)
  })
}
