/**
 * Camera for a stop: frame its bounds clear of the panels, then tilt. A tilted camera sees further
 * towards the horizon, so the fitted zoom is eased back a little to keep the whole region in view.
 */
import type { Map, PaddingOptions } from 'maplibre-gl'
import type { Stop } from './stops.ts'

export interface StopCamera {
  center: [number, number]
  zoom: number
  pitch: number
  bearing: number
}

/**
 * The map's own padding must already be the panels' space (`map.setPadding`): cameraForBounds keeps
 * the bounds clear of it, and flyTo centres the box in the padded area.
 */
export function cameraFor(map: Map, stop: Stop, pitch: number): StopCamera | null {
  const cam = map.cameraForBounds(stop.bbox, { padding: 0, bearing: 0, pitch: 0 })
  if (!cam?.center || cam.zoom === undefined) return null
  const [w, s, e, n] = stop.bbox
  const tilt = stop.level === 'overview' ? Math.min(pitch, 30) : pitch
  // a gentle turn, alternating, so consecutive stops do not all look the same
  const bearing = stop.level === 'overview' || tilt === 0 ? 0 : stop.index % 2 ? 12 : -12
  const ease = tilt > 0 ? 0.05 + (tilt / 60) * 0.15 : 0
  return { center: [(w + e) / 2, (s + n) / 2], zoom: cam.zoom - ease, pitch: tilt, bearing }
}

/** Space the panels leave for the map, in CSS px. */
export function mapPadding(left: HTMLElement, right: HTMLElement, head: HTMLElement, foot: HTMLElement, gap: number): PaddingOptions {
  const w = window.innerWidth
  const h = window.innerHeight
  return {
    left: Math.round(left.getBoundingClientRect().right + gap),
    right: Math.round(w - right.getBoundingClientRect().left + gap),
    top: Math.round(head.getBoundingClientRect().bottom + gap),
    bottom: Math.round(h - foot.getBoundingClientRect().top + gap),
  }
}

/** Metres across a stop's box (its diagonal), to size columns for the view. */
export function spanMetres(stop: Stop): number {
  const [w, so, e, n] = stop.bbox
  const lat = ((so + n) / 2) * (Math.PI / 180)
  const dx = (e - w) * 111_320 * Math.cos(lat)
  const dy = (n - so) * 110_574
  return Math.hypot(dx, dy)
}
