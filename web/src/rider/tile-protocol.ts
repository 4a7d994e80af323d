/**
 * The rider's station tiles through a URL scheme of its own (MapLibre `addProtocol`): the tile API
 * sends `max-age=2, must-revalidate` (so an edit shows on the planner within 5 s), and MapLibre
 * re-requests every tile in view each time that runs out — on the rider, a request every 2 s per
 * tile for as long as the page is open, which on a phone's bad network also kept the map from ever
 * going idle. Through the scheme MapLibre sees no expiry; a new stations version arrives as new
 * `?v=` URLs instead (map.ts, onDataChange). The browser's HTTP cache still applies to the fetch.
 */
import { addProtocol } from 'maplibre-gl'

const SCHEME = 'rider-tiles'
let added = false

/** `url` (a tile template) read through the scheme; registers it on first use. */
export function onceTiles(url: string): string {
  if (!added) {
    addProtocol(SCHEME, async (params, abort) => {
      const res = await fetch(params.url.slice(SCHEME.length + 3), { signal: abort.signal })
      if (!res.ok) throw new Error(`station tile: HTTP ${res.status}`)
      // 204: an empty tile
      return { data: await res.arrayBuffer() }
    })
    added = true
  }
  return `${SCHEME}://${url}`
}
