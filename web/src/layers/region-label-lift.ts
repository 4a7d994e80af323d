/**
 * County names drawn above the deck.gl layers. deck.gl draws on its own canvas over MapLibre's
 * (interleaved: false, DESIGN §8), so stations, siting badges and demand hexagons would cover the
 * basemap's county labels (金乡县 under its stations, 孙吴县 under a marker). The page reads the
 * county labels MapLibre has placed (its collision already chose which fit), draws those texts as
 * the top deck layer with the same colours and halo, and fades MapLibre's own copies of them out
 * (`liftRegionLabels`), so each name shows once, above the markers. Callout labels beside a
 * place's outline are left to MapLibre: they sit outside the region, clear of its markers.
 */
import { TextLayer } from '@deck.gl/layers'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { PALETTE } from '../map/palette.ts'

/** MapLibre label layers whose labels are lifted (centred on their point, no offset). */
export const LIFTED_LABEL_LAYERS = ['county-label', 'place-county-label'] as const

export interface LiftedLabel {
  key: string
  text: string
  position: [number, number]
  /** px */
  size: number
  bold: boolean
  color: [number, number, number, number]
}

const hex = (h: string): [number, number, number, number] => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16), 255]
const lerp = (z: number, z0: number, v0: number, z1: number, v1: number) => v0 + ((v1 - v0) * Math.min(1, Math.max(0, (z - z0) / (z1 - z0))))

/** Hides MapLibre's own copies of the lifted labels (they stay placed and queryable). */
export function liftRegionLabels(map: MapLibreMap): void {
  for (const id of LIFTED_LABEL_LAYERS) if (map.getLayer(id)) map.setPaintProperty(id, 'text-opacity', 0)
}

/** The lifted labels MapLibre has placed now, in the page's language (`name` or `name_en`). */
export function placedLabels(map: MapLibreMap, nameKey: 'name' | 'name_en'): LiftedLabel[] {
  const layers = LIFTED_LABEL_LAYERS.filter((id) => map.getLayer(id))
  if (!layers.length) return []
  const z = map.getZoom()
  const seen = new Set<string>()
  const out: LiftedLabel[] = []
  for (const f of map.queryRenderedFeatures({ layers: [...layers] })) {
    const p = f.properties as Record<string, unknown>
    const text = String(p[nameKey] || p.name || '')
    const key = `${f.layer.id}:${String(p.code)}`
    if (!text || seen.has(key) || f.geometry.type !== 'Point') continue
    seen.add(key)
    const place = f.layer.id === 'place-county-label'
    out.push({
      key,
      text,
      position: f.geometry.coordinates as [number, number],
      size: place ? lerp(z, 7, 14, 11, 18) : lerp(z, 5.5, 11, 11, 15),
      bold: place,
      color: hex(place || p.focus === true ? PALETTE.focusLabel : PALETTE.contextLabel),
    })
  }
  return out
}

export function liftedLabelLayer(labels: readonly LiftedLabel[], version: number) {
  return new TextLayer<LiftedLabel>({
    id: 'lifted-region-labels',
    data: labels,
    getPosition: (d) => d.position,
    getText: (d) => d.text,
    getSize: (d) => d.size,
    sizeUnits: 'pixels',
    getColor: (d) => d.color,
    fontFamily: '"Noto Sans SC", "Noto Sans CJK SC", system-ui, sans-serif',
    fontWeight: 600,
    characterSet: 'auto',
    fontSettings: { sdf: true, fontSize: 48, buffer: 6 },
    outlineWidth: 3,
    outlineColor: [255, 255, 255, 235],
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    updateTriggers: { getSize: version, getColor: version },
  })
}
