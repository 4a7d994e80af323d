/**
 * Marks the Performance timeline (`performance.mark(name)`) at the first map frame drawn after a tile
 * of `sourceId` arrived: "first drawn station tile", read by scripts/measure-map-scale.ts and the
 * scale browser test. Listens until then, and no longer.
 */
import type { Map as MapLibreMap, MapSourceDataEvent } from 'maplibre-gl'

export function markFirstTileDrawn(map: MapLibreMap, sourceId: string, name: string): void {
  const onData = (e: MapSourceDataEvent) => {
    if (e.sourceId !== sourceId || !e.tile) return
    map.off('sourcedata', onData)
    // the frame that takes the new tile in (a 204 tile holds nothing: it counts as drawn as well)
    map.once('render', () => performance.mark(name))
    map.triggerRepaint()
  }
  map.on('sourcedata', onData)
}
