import { greatCircleDistance } from './great-circle-distance.ts'
import type { OsmPlace } from './osm-places.ts'
import type { RoadEdge } from './road-types.ts'
import { wayAccess } from './road-way-access.ts'

/** An OSM way as a parser hands it over: node references in order and its tags. */
export interface OsmWay {
  id: number
  refs: readonly number[]
  tags: Readonly<Record<string, string | undefined>>
}

/** A road edge as imported: a RoadEdge plus the way it came from and its name. */
export interface ImportedEdge extends RoadEdge {
  way_id: number
  /** `name:zh`, else `name`, else null */
  name: string | null
  /** `name:en`, else null */
  name_en: string | null
}

export interface RoadNetwork {
  /** OSM id of node i (null for points the import added to split long segments) */
  osmIds: (number | null)[]
  lon: number[]
  lat: number[]
  edges: ImportedEdge[]
  /** ways kept (usable on foot or by e-bike) */
  ways: number
  /** node references of kept ways whose coordinates the file lacks (a clipped extract); the way is split there */
  missingRefs: number
  /** named settlements (place=* nodes, core/osm-places.ts) in OSM id order */
  places: OsmPlace[]
}

export interface RoadNetworkOptions {
  /**
   * longest edge in metres: longer segments are split by evenly spaced extra nodes, so a demand point
   * beside a long straight road is never more than half this from a node along the road (default 100)
   */
  maxSegmentM?: number
}

/**
 * Turns OSM ways into a road graph: keeps ways usable on foot or by e-bike (wayAccess), makes every
 * node of a kept way a graph node (numbered in order of first use, so the same file always gives the
 * same numbers) and every pair of consecutive nodes an edge with its great-circle length in metres.
 * @param coord WGS-84 [lon, lat] of an OSM node id, or undefined when the file lacks it
 * @param places the file's named settlements, carried along (sorted by OSM id) for the basemap labels
 * @example buildRoadNetwork(ways, (id) => nodes.get(id)).edges.length // 1234
 */
export function buildRoadNetwork(
  ways: Iterable<OsmWay>,
  coord: (osmId: number) => readonly [number, number] | undefined,
  options: RoadNetworkOptions = {},
  places: readonly OsmPlace[] = [],
): RoadNetwork {
  const maxSegmentM = options.maxSegmentM ?? 100
  if (!(maxSegmentM > 0)) throw new RangeError(`maxSegmentM must be > 0 metres, got ${maxSegmentM}`)
  const index = new Map<number, number>()
  const net: RoadNetwork = { osmIds: [], lon: [], lat: [], edges: [], ways: 0, missingRefs: 0, places: [...places].sort((a, b) => a.id - b.id) }
  const addNode = (osmId: number | null, lon: number, lat: number) => {
    net.osmIds.push(osmId)
    net.lon.push(lon)
    net.lat.push(lat)
    return net.osmIds.length - 1
  }
  const nodeOf = (osmId: number, c: readonly [number, number]) => {
    let i = index.get(osmId)
    if (i === undefined) index.set(osmId, (i = addNode(osmId, c[0], c[1])))
    return i
  }
  for (const way of ways) {
    const access = wayAccess(way.tags)
    if (!access) continue
    net.ways++
    const name = way.tags['name:zh'] ?? way.tags.name ?? null
    const name_en = way.tags['name:en'] ?? null
    let prev: { node: number; c: readonly [number, number] } | null = null
    for (const ref of way.refs) {
      const c = coord(ref)
      if (!c) {
        net.missingRefs++
        prev = null
        continue
      }
      const node = nodeOf(ref, c)
      if (prev && prev.node !== node) {
        const length = greatCircleDistance(prev.c, c)
        const pieces = Math.max(1, Math.ceil(length / maxSegmentM))
        let from = prev.node
        let fromC = prev.c
        for (let k = 1; k <= pieces; k++) {
          const t = k / pieces
          const toC: readonly [number, number] = k === pieces ? c : [prev.c[0] + (c[0] - prev.c[0]) * t, prev.c[1] + (c[1] - prev.c[1]) * t]
          const to = k === pieces ? node : addNode(null, toC[0], toC[1])
          net.edges.push({ source: from, target: to, length_m: greatCircleDistance(fromC, toC), ...access, way_id: way.id, name, name_en })
          from = to
          fromC = toC
        }
      }
      prev = { node, c }
    }
  }
  return net
}
