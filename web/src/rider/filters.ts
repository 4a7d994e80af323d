/** Filter chips: open now, and the amenities riders ask for most (all selected ones required, as the API does). */
import type { Amenity } from '@core/station-kinds.ts'
import { esc } from '../dom.ts'
import type { Filters } from './data.ts'
import { amenityIcon, ICONS } from './icons.ts'
import { amenityShort, r } from './strings.ts'

export const FILTER_AMENITIES: Amenity[] = ['water', 'charging', 'microwave', 'toilet', 'rest', 'first_aid', 'heating', 'cooling']

export function filtersHtml(f: Filters): string {
  const chip = (attr: string, on: boolean, icon: string, label: string, extra = '') =>
    `<button type="button" class="chip${on ? ' is-on' : ''}${extra}" ${attr} aria-pressed="${on}">${icon}<span>${esc(label)}</span></button>`
  return `<div class="chips" role="group" aria-label="${esc(r('filters'))}">
    ${chip('data-filter="open"', f.openNow, ICONS.clock, r('openNow'), ' chip-open')}
    ${FILTER_AMENITIES.map((a) => chip(`data-amenity-filter="${a}"`, f.amenities.includes(a), amenityIcon(a), amenityShort(a))).join('')}
  </div>`
}

/** The filters after a click on a chip, or null when the click was not on one. */
export function applyFilterClick(f: Filters, target: HTMLElement): Filters | null {
  const chip = target.closest<HTMLElement>('[data-filter], [data-amenity-filter]')
  if (!chip) return null
  if (chip.dataset.filter === 'open') return { ...f, openNow: !f.openNow }
  const a = chip.dataset.amenityFilter as Amenity | undefined
  if (!a) return null
  return { ...f, amenities: f.amenities.includes(a) ? f.amenities.filter((x) => x !== a) : [...f.amenities, a] }
}
