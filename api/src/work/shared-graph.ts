import type { ModeAdjacency, RoadGraph } from '../core/road-types.ts'
import { TRAVEL_MODES } from '../core/road-types.ts'

/**
 * The road graph with every typed array on a SharedArrayBuffer, made once per cached graph: posting
 * it to a worker thread then shares the memory instead of copying it (a county-size graph of
 * 200k edges holds ≈ 17 MiB, which structured cloning would copy on every request).
 */
export function shareGraph(graph: RoadGraph): RoadGraph {
  const share = <T extends Float64Array | Int32Array | Uint8Array>(a: T): T => {
    const Ctor = a.constructor as { new (buffer: SharedArrayBuffer): T }
    const out = new Ctor(new SharedArrayBuffer(a.byteLength))
    out.set(a as never)
    return out
  }
  const modes = {} as Record<(typeof TRAVEL_MODES)[number], ModeAdjacency>
  for (const mode of TRAVEL_MODES) {
    const m = graph.modes[mode]
    modes[mode] = { offsets: share(m.offsets), targets: share(m.targets), seconds: share(m.seconds), metres: share(m.metres), usable: share(m.usable) }
  }
  return { nodeCount: graph.nodeCount, edgeCount: graph.edgeCount, lon: share(graph.lon), lat: share(graph.lat), modes, bytes: graph.bytes }
}
