import { encodeRoadGraphInSlices } from '../core/road-graph-binary.ts'
import type { RoadGraph } from '../core/road-types.ts'
import { currentRoadExtract, loadRegionRoadGraph, RoadGraphTooLargeError, type LoadedRoadGraph, type RoadExtract } from '../db/roads.ts'
import type { AppDeps } from '../http/env.ts'
import { ApiError } from '../http/errors.ts'
import { etagOf } from '../tiles/conditional.ts'
import { currentDataVersions } from '../tiles/data-version.ts'

/** The roads of some counties (their bounding box + 3 km), read once per roads data_version. */
export interface RegionRoads {
  extract: RoadExtract | null
  /**
   * the graph on shared memory (SharedArrayBuffer): posting it to a worker thread shares the memory
   * instead of copying it (a county of 200k edges holds ≈ 17 MiB, which structured cloning would copy
   * on every request); read here as any graph
   */
  graph: RoadGraph
  /** strong ETag: the roads version and the counties */
  etag: string
  /** the graph as GET /api/roads/graph sends it (encoded once; the edge objects are not kept: ≈ 14 bytes an edge instead of ≈ 120) */
  binary: Uint8Array
}

/** Most edges one planning request loads; a county of a dense city stays well under it. */
export const MAX_PLANNING_EDGES = 1_000_000
const CACHE_SETS = 4

const caches = new WeakMap<AppDeps, Map<string, Promise<RegionRoads>>>()

/**
 * The counties' road graph, remembered per (roads version, counties): a reload of the roads bumps
 * the version (migration 012's trigger) and the next request reads afresh. At most 4 graphs are
 * kept (least recently used dropped); requests asking at once share one read. Too many edges →
 * 413 naming the limit.
 */
export async function regionRoads(deps: AppDeps, regionCodes: readonly string[]): Promise<RegionRoads> {
  const { roads } = await currentDataVersions(deps.sql)
  const key = `${roads}|${regionCodes.join(',')}`
  let cache = caches.get(deps)
  if (!cache) caches.set(deps, (cache = new Map()))
  let hit = cache.get(key)
  if (hit) cache.delete(key)
  else {
    hit = read(deps, regionCodes, key)
    hit.catch(() => cache.delete(key))
  }
  cache.set(key, hit)
  for (const k of cache.keys()) if (cache.size > CACHE_SETS) cache.delete(k)
  return hit
}

async function read(deps: AppDeps, regionCodes: readonly string[], key: string): Promise<RegionRoads> {
  const extract = await currentRoadExtract(deps.sql)
  let loaded: LoadedRoadGraph
  try {
    // read and built in slices with pauses between them (db/roads.ts): a county's first network
    // request must not stop health, nearest or tiles from answering meanwhile
    loaded = await loadRegionRoadGraph(deps.sql, extract ? regionCodes : [], { maxEdges: MAX_PLANNING_EDGES, buffer: (bytes) => new SharedArrayBuffer(bytes) })
  } catch (err) {
    if (err instanceof RoadGraphTooLargeError) {
      throw new ApiError(413, 'too_large', `${err.message} (${MAX_PLANNING_EDGES} edges per request); choose a county`, [{ path: ['region'], message: `at most ${MAX_PLANNING_EDGES} road edges` }])
    }
    throw err
  }
  const steps = encodeRoadGraphInSlices(loaded.graph.lon, loaded.graph.lat, loaded.edges)
  let binary: Uint8Array
  for (;;) {
    const r = steps.next()
    if (r.done) {
      binary = r.value
      break
    }
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
  return { extract, graph: loaded.graph, etag: etagOf('roads', key), binary }
}
