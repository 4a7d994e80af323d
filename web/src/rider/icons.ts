/**
 * Inline SVG icons (24 × 24, drawn with currentColor): no icon font or sprite to download, crisp
 * at any zoom, and legible in sunlight because they sit beside a word, never alone.
 */
import type { Amenity } from '@core/station-kinds.ts'

const svg = (body: string, cls = 'ic') =>
  `<svg class="${cls}" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${body}</svg>`

const AMENITY_PATHS: Record<Amenity, string> = {
  water: '<path d="M12 3s6 6.6 6 11a6 6 0 0 1-12 0c0-4.4 6-11 6-11z"/>',
  charging: '<path d="M13 2 5 13h6l-1 9 8-11h-6l1-9z"/>',
  microwave: '<rect x="2.5" y="5" width="19" height="14" rx="2"/><rect x="5.5" y="8" width="10" height="8" rx="1"/><path d="M18.5 9v.01M18.5 12v.01M18.5 15v.01"/>',
  toilet: '<circle cx="7" cy="4.5" r="1.5"/><circle cx="17" cy="4.5" r="1.5"/><path d="M5 8h4l-.5 6H8v7M7 14v7M15 8h4l1.5 8H19v5M15 21v-5h-1.5L15 8"/>',
  rest: '<path d="M6 3v9h11a2 2 0 0 1 2 2v1H6M6 15v6M19 15v6M6 12V3"/>',
  first_aid: '<rect x="3" y="6" width="18" height="14" rx="2"/><path d="M9 6V4h6v2M12 10v6M9 13h6"/>',
  heating: '<path d="M12 2c1 3.5 5 5.5 5 10a5 5 0 0 1-10 0c0-2.2 1-3.6 2-4.6.4 1.6 1.3 2.6 2.5 2.6C12 7 11 4.5 12 2z"/>',
  cooling: '<path d="M12 2v20M4.2 6.5l15.6 11M19.8 6.5 4.2 17.5M9.5 3.5 12 6l2.5-2.5M9.5 20.5 12 18l2.5 2.5"/>',
  wifi: '<path d="M2 8.8a15 15 0 0 1 20 0M5 12.5a10 10 0 0 1 14 0M8.5 16a5 5 0 0 1 7 0"/><circle cx="12" cy="19.5" r="1"/>',
  repair: '<path d="M14.7 6.3a4 4 0 0 0 5 5L22 14l-2 2-2.3-2.3a4 4 0 0 0-5-5zM13 11l-9 9a2 2 0 0 0 3 3l9-9"/>',
  medicine: '<rect x="3" y="8" width="18" height="8" rx="4" transform="rotate(-45 12 12)"/><path d="m9.2 9.2 5.6 5.6"/>',
  reading: '<path d="M2 5h7a3 3 0 0 1 3 3v13a2 2 0 0 0-2-2H2zM22 5h-7a3 3 0 0 0-3 3v13a2 2 0 0 1 2-2h8z"/>',
}

export function amenityIcon(a: Amenity): string {
  return svg(AMENITY_PATHS[a] ?? '<circle cx="12" cy="12" r="4"/>')
}

export const ICONS = {
  locate: svg('<circle cx="12" cy="12" r="4"/><path d="M12 2v3M12 19v3M2 12h3M19 12h3"/><circle cx="12" cy="12" r="8"/>'),
  pin: svg('<path d="M12 22s7-6.2 7-12a7 7 0 0 0-14 0c0 5.8 7 12 7 12z"/><circle cx="12" cy="10" r="2.5"/>'),
  search: svg('<circle cx="11" cy="11" r="7"/><path d="m20 20-3.5-3.5"/>'),
  phone: svg('<path d="M5 3h4l2 5-2.5 1.5a11 11 0 0 0 6 6L16 13l5 2v4a2 2 0 0 1-2 2A17 17 0 0 1 3 5a2 2 0 0 1 2-2z"/>'),
  nav: svg('<path d="M3 11 21 3l-8 18-2-8z"/>'),
  flag: svg('<path d="M5 21V4M5 4h11l-2 4 2 4H5"/>'),
  clock: svg('<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>'),
  walk: svg('<circle cx="13" cy="4" r="1.6"/><path d="M10 21l2-6-2.5-2 1-5 3 2.5 3 1M9.5 8 7 10v3M14.5 15l1.5 6"/>'),
  bike: svg('<circle cx="5.5" cy="17" r="3.5"/><circle cx="18.5" cy="17" r="3.5"/><path d="M5.5 17 9 9h6l3.5 8M9 9 7.5 6H5M15 9l-3 8h-6.5M14 5h3"/>'),
  offline: svg('<path d="M2 2l20 20M8.5 16.5a5 5 0 0 1 7 0M5 12.9a10 10 0 0 1 5-2.7M19 12.9a10 10 0 0 0-2-1.6M2 8.8a15 15 0 0 1 4.2-2.7M22 8.8A15 15 0 0 0 11 5"/><circle cx="12" cy="20" r="1"/>'),
  close: svg('<path d="M6 6l12 12M18 6 6 18"/>'),
  arrow: svg('<path d="M12 3l6 16-6-4-6 4z" fill="currentColor" stroke="none"/>', 'ic ic-arrow'),
}
