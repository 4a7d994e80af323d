/**
 * The edit layer, drawn above the display layer and separate from it: the stations of the view with
 * a white handle ring on those this account may edit (others muted, no handle), coverage in metres
 * that follows a drag, the point a new station will stand on, and — after a conflict — where this
 * editor wanted the station, joined to where it is now.
 */
import { LineLayer, ScatterplotLayer } from '@deck.gl/layers'
import { coverageRadius } from '@core/station-kinds.ts'
import { kindColor, RETIRED_COLOR, type RGBA } from '../../layers/station-style.ts'
import type { StationFeature } from '../../types.ts'

export const EDIT_POINTS_LAYER_ID = 'edit-points'

export interface EditDrawState {
  stations: readonly StationFeature[]
  editable: (s: StationFeature) => boolean
  selectedId: string | null
  /** the new station's point while its form is open */
  pending: [number, number] | null
  /** after a conflict: the station's id and where this editor put it */
  wanted: { id: string; at: [number, number] } | null
  /** bumped whenever positions or the selection change (deck.gl compares it) */
  revision: number
}

const WHITE: RGBA = [255, 255, 255, 255]
const INK: RGBA = [29, 38, 51, 255]
const MUTED: RGBA = [160, 166, 175, 150]

const at = (s: StationFeature) => s.geometry.coordinates as [number, number]

export function editLayers(d: EditDrawState) {
  const live = d.stations.filter((s) => s.properties.status !== 'retired')
  const wantedFrom = d.wanted ? d.stations.find((s) => s.properties.id === d.wanted!.id) : undefined
  const fill = (s: StationFeature): RGBA => {
    if (s.properties.status === 'retired') return RETIRED_COLOR
    if (!d.editable(s)) return MUTED
    return s.properties.status === 'planned' ? WHITE : kindColor(s.properties.kind)
  }
  return [
    new ScatterplotLayer<StationFeature>({
      id: 'edit-coverage',
      data: live,
      radiusUnits: 'meters',
      getPosition: at,
      getRadius: (s) => coverageRadius(s.properties.kind, s.properties.radius_m),
      getFillColor: (s) => kindColor(s.properties.kind, s.properties.id === d.selectedId ? 60 : d.editable(s) ? 22 : 10),
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 1,
      getLineColor: (s) => kindColor(s.properties.kind, d.editable(s) ? 120 : 50),
      updateTriggers: { getPosition: d.revision, getFillColor: d.revision, getLineColor: d.revision, getRadius: d.revision },
    }),
    new LineLayer<{ from: [number, number]; to: [number, number] }>({
      id: 'edit-wanted-line',
      data: d.wanted && wantedFrom ? [{ from: at(wantedFrom), to: d.wanted.at }] : [],
      getSourcePosition: (x) => x.from,
      getTargetPosition: (x) => x.to,
      getColor: [179, 32, 47, 200],
      widthUnits: 'pixels',
      getWidth: 2,
    }),
    // the handle: a white ring with a dark edge, big enough for a finger
    new ScatterplotLayer<StationFeature>({
      id: 'edit-handles',
      data: d.stations.filter((s) => d.editable(s) && s.properties.status !== 'retired'),
      radiusUnits: 'pixels',
      getPosition: at,
      getRadius: (s) => (s.properties.id === d.selectedId ? 13 : 11),
      getFillColor: [255, 255, 255, 215],
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: (s) => (s.properties.id === d.selectedId ? 2.5 : 1.2),
      getLineColor: (s) => (s.properties.id === d.selectedId ? INK : [29, 38, 51, 140]),
      updateTriggers: { getPosition: d.revision, getRadius: d.revision, getLineWidth: d.revision, getLineColor: d.revision },
    }),
    new ScatterplotLayer<StationFeature>({
      id: EDIT_POINTS_LAYER_ID,
      data: d.stations,
      pickable: true,
      radiusUnits: 'pixels',
      getPosition: at,
      getRadius: (s) => (d.editable(s) ? 6.5 : 4.5),
      getFillColor: fill,
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: (s) => (s.properties.status === 'planned' && d.editable(s) ? 2.4 : 1.4),
      getLineColor: (s) => (s.properties.status === 'planned' && d.editable(s) ? kindColor(s.properties.kind) : WHITE),
      updateTriggers: { getPosition: d.revision, getRadius: d.revision, getFillColor: d.revision, getLineWidth: d.revision, getLineColor: d.revision },
    }),
    new ScatterplotLayer<[number, number]>({
      id: 'edit-targets',
      data: [...(d.pending ? [d.pending] : []), ...(d.wanted ? [d.wanted.at] : [])],
      radiusUnits: 'pixels',
      getPosition: (p) => p,
      getRadius: 9,
      getFillColor: [255, 255, 255, 230],
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 3,
      getLineColor: [179, 32, 47, 255],
      updateTriggers: { getPosition: d.revision },
    }),
  ]
}
