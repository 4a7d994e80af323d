/**
 * A county's road graph in the page, for routing with the same core the API runs (network
 * coverage, isochrones, the rider's ranking by riding time): GET /api/roads/graph once per region,
 * decoded and built into the CSR graph. Kept per region for the page's life; the HTTP cache
 * revalidates by ETag, and the rider's service worker answers from its copy offline.
 */
import { buildRoadGraph } from '@core/network-graph.ts'
import { decodeRoadGraph } from '@core/road-graph-binary.ts'
import type { RoadGraph } from '@core/road-types.ts'
import { fetchRoadGraphBytes } from './api.ts'

export interface PageRoadGraph {
  graph: RoadGraph
  /** bytes downloaded (before gzip) */
  bytes: number
  /** ms to decode and build */
  buildMs: number
}

const graphs = new Map<string, Promise<PageRoadGraph | null>>()

/** The region's graph, or null when no roads are loaded there. A failed download is not remembered. */
export function regionRoadGraph(region: string): Promise<PageRoadGraph | null> {
  let p = graphs.get(region)
  if (!p) {
    p = fetchRoadGraphBytes(region).then((bytes) => {
      const t0 = performance.now()
      const { lon, lat, edges } = decodeRoadGraph(bytes)
      if (!edges.length) return null
      const graph = buildRoadGraph(lon, lat, edges)
      return { graph, bytes: bytes.byteLength, buildMs: performance.now() - t0 }
    })
    p.catch(() => graphs.delete(region))
    graphs.set(region, p)
  }
  return p
}
