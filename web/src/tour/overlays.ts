/**
 * What the tour writes on the map as HTML, above deck.gl's 3D columns: the district labels, the
 * biggest-gap pin and (overview) each place's name with its figures.
 *
 * Why HTML and not map or deck.gl layers: the deck.gl overlay is not interleaved (DESIGN §8), so its
 * canvas lies over the whole MapLibre canvas and no MapLibre symbol can ever be drawn above a
 * column; a deck.gl TextLayer with `depthCompare: 'always'` would, but would draw CJK names from a
 * glyph atlas in another font than the panels. MapLibre markers sit in the map's DOM; `tour.css`
 * lifts them over the overlay's canvas, so a label or the pin is never hidden or cut by a column,
 * uses the page's own font, and a test can read it. There are a dozen at most, made once and
 * re-used from stop to stop (a kiosk loops for days with a flat heap).
 */
import { Marker, type Map } from 'maplibre-gl'
import { esc } from '../dom.ts'
import { formatCount, formatPercent } from '../format.ts'
import type { Lang } from '../i18n/lang.ts'
import type { AnyRegionCollection } from '../types.ts'
import type { Stop } from './stops.ts'
import { s } from './strings.ts'
import type { ComparisonRow, GapView } from './view.ts'

export interface LabelPoint {
  code: string
  name: string
  name_en: string
  position: [number, number]
}

/** The districts the tour names on the map: the programme's focus counties, at their label points. */
export function labelPoints(regions: AnyRegionCollection): LabelPoint[] {
  return regions.features.flatMap((f) => {
    const p = f.properties
    if (p.level !== 'county' || !p.focus || p.label_lon === null || p.label_lat === null) return []
    return [{ code: p.code, name: p.name, name_en: p.name_en, position: [p.label_lon, p.label_lat] as [number, number] }]
  })
}

/**
 * Which labels a stop shows: none on the overview (the places are named by their own markers), every
 * focus county elsewhere; the stop's own county stands out. A city stop names its counties, not
 * itself: its name is the caption.
 */
export function labelsFor(stop: Stop | null, points: readonly LabelPoint[]): Array<{ code: string; focus: boolean }> {
  if (!stop || stop.level === 'overview') return []
  return points.map((p) => ({ code: p.code, focus: p.code === stop.code }))
}

export interface OverlayState {
  lang: Lang
  stop: Stop | null
  /** the pin's gap (null: no pin) */
  gap: GapView | null
  /** overview: each place's stations and coverage (null: no place markers) */
  places: ComparisonRow[] | null
}

interface Pooled {
  el: HTMLElement
  marker: Marker
  shown: boolean
}

function pooled(className: string, options: ConstructorParameters<typeof Marker>[0]): Pooled {
  const el = document.createElement('div')
  el.className = className
  return { el, marker: new Marker({ ...options, element: el }), shown: false }
}

function show(map: Map, p: Pooled, on: boolean): void {
  if (on && !p.shown) p.marker.addTo(map)
  if (!on && p.shown) p.marker.remove()
  p.shown = on
}

export class MapOverlays {
  private readonly gapPin = pooled('t-gap-marker', { anchor: 'bottom' })
  private readonly labels: Array<Pooled & { point: LabelPoint }>
  private readonly placeMarks: Array<Pooled & { code: string }>

  /** `placeAnchors`: where each overview place is named (east of its outline), by code */
  constructor(
    private readonly map: Map,
    points: readonly LabelPoint[],
    placeAnchors: ReadonlyArray<{ code: string; position: [number, number] }>,
    k: number,
  ) {
    this.labels = points.map((point) => ({ ...pooled('t-label', { anchor: 'center' }), point }))
    for (const l of this.labels) {
      l.el.dataset.code = l.point.code
      l.marker.setLngLat(l.point.position)
    }
    this.placeMarks = placeAnchors.map((a) => {
      const p = pooled('t-place-marker', { anchor: 'left', offset: [14 * k, 0] })
      p.marker.setLngLat(a.position)
      return { ...p, code: a.code }
    })
  }

  render(st: OverlayState): void {
    const on = new globalThis.Map(labelsFor(st.stop, this.labels.map((l) => l.point)).map((l) => [l.code, l.focus]))
    for (const l of this.labels) {
      const focus = on.get(l.point.code)
      if (focus !== undefined) {
        l.el.textContent = st.lang === 'en' ? l.point.name_en : l.point.name
        l.el.classList.toggle('t-label-focus', focus)
      }
      show(this.map, l, focus !== undefined)
    }

    if (st.gap) {
      this.gapPin.el.innerHTML = `<span>${esc(s('gap'))}</span>`
      this.gapPin.marker.setLngLat(st.gap.centroid)
    }
    show(this.map, this.gapPin, !!st.gap)

    for (const pm of this.placeMarks) {
      const row = st.places?.find((r) => r.code === pm.code)
      if (row) {
        const ratio = row.ratio === null ? '—' : formatPercent(row.ratio, st.lang)
        pm.el.innerHTML = `<b>${esc(st.lang === 'en' ? row.name_en : row.name)}</b><span>${esc(s('placeLine', { n: formatCount(row.stations, st.lang), r: ratio }))}</span>${row.modelled ? `<span class="t-tag t-tag-model" data-badge="modelled"><i aria-hidden="true">≈</i>${esc(s('modelled'))}</span>` : ''}`
      }
      show(this.map, pm, !!row)
    }
  }
}
