/**
 * The planner's deck.gl overlay, loaded on first need — the planning tab, or edit mode's layer —
 * not at start-up (issue 13: first useful map under 2 s). The stations tab draws everything with
 * MapLibre; deck.gl is ≈ 200 KiB of gzip to fetch and parse, and its own WebGL canvas is one more
 * surface to composite on every frame (software-rendered Chromium reads each canvas back per frame).
 * Once loaded it stays: the county names move onto it (region-label-lift.ts) above its markers.
 */
import { MapboxOverlay } from '@deck.gl/mapbox'
import type { PickingInfo } from '@deck.gl/core'
import type { Map as MapLibreMap } from 'maplibre-gl'

export { liftedLabelLayer, liftRegionLabels, placedLabels } from '../layers/region-label-lift.ts'

export interface DeckOverlayHandlers {
  onHover(info: PickingInfo): void
  onAfterRender(): void
}

export function createDeckOverlay(map: MapLibreMap, handlers: DeckOverlayHandlers): MapboxOverlay {
  // interleaved: false — deck.gl 9.4's interleaved mode reads maplibre's private `map.transform`
  // and throws on maplibre-gl 6 (DESIGN §8). Overlaid, deck draws on its own canvas, synced on
  // every map render; we lose only drawing deck layers between basemap layers, which we don't need.
  const overlay = new MapboxOverlay({ interleaved: false, layers: [], onHover: handlers.onHover, onAfterRender: handlers.onAfterRender })
  map.addControl(overlay)
  return overlay
}
