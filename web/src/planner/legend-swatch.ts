/** Small SVG symbols for the legend, matching how the map draws stations and coverage. */
import { cssColor } from '../dom.ts'

type RGB = readonly [number, number, number]

/** An active station: filled disc inside its translucent coverage circle. */
export function kindSwatch(color: RGB): string {
  return `<svg class="legend-swatch" viewBox="0 0 26 26" aria-hidden="true">
    <circle cx="13" cy="13" r="11.5" fill="${cssColor(color, 0.14)}" stroke="${cssColor(color, 0.6)}" stroke-width="1"/>
    <circle cx="13" cy="13" r="5" fill="${cssColor(color)}" stroke="#fff" stroke-width="1.5"/>
  </svg>`
}

export function activeSymbol(): string {
  return `<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true"><circle cx="7" cy="7" r="5" fill="#4a5565" stroke="#fff" stroke-width="1.4"/></svg>`
}

/** A planned station: hollow ring inside a dashed coverage ring. */
export function plannedSymbol(): string {
  return `<svg width="22" height="22" viewBox="0 0 22 22" aria-hidden="true">
    <circle cx="11" cy="11" r="9.5" fill="none" stroke="#4a5565" stroke-width="1.3" stroke-dasharray="2.4 2.4"/>
    <circle cx="11" cy="11" r="4" fill="#fff" stroke="#4a5565" stroke-width="1.8"/>
  </svg>`
}
