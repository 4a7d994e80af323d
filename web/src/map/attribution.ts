/** Attribution text: data sources and the demo-data notice (DESIGN §5), in the UI language. */
import { AttributionControl, type Map } from 'maplibre-gl'
import { esc } from '../dom.ts'
import { t } from '../planner/strings.ts'

export function attributionHtml(basemapAttribution: string | null): string[] {
  const parts = [esc(t('attrRegions')), `<span class="attr-demo">${esc(t('attrStations'))}</span>`]
  // the operator's text (e.g. the basemap's 审图号) is shown as given, not as HTML
  if (basemapAttribution) parts.unshift(`${esc(t('attrBasemap'))}：${esc(basemapAttribution)}`)
  return parts
}

/** Adds (or, after a language change, replaces) the attribution control. */
export function setAttribution(map: Map, basemapAttribution: string | null, previous?: AttributionControl): AttributionControl {
  if (previous) map.removeControl(previous)
  // MapLibre turns it into an ⓘ button on maps ≤ 640 px wide but starts it unfolded; we start it
  // folded there, so on a phone it doesn't cover the map (the header keeps the 示例数据 badge)
  const control = new AttributionControl({ customAttribution: attributionHtml(basemapAttribution) })
  map.addControl(control, 'bottom-right')
  map.getContainer().querySelector('.maplibregl-ctrl-attrib.maplibregl-compact')?.classList.remove('maplibregl-compact-show')
  return control
}
