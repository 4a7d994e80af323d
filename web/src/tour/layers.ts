/**
 * The tour's deck.gl layers, from one factory with stable ids: each step hands deck.gl new layer
 * descriptors over cached data arrays, so GPU buffers are rebuilt only when a stop's data differs,
 * and nothing accumulates as the tour loops.
 *
 *  - demand: extruded H3 hexagons, height = modelled demand, colour = covered / unserved / biggest gap;
 *  - overview: one column per place, height = stations, colour = coverage ratio, and the tour's
 *    route between them as arcs;
 *  - stations: flat coverage discs (metres) and dots in their kind's colour.
 */
import { ArcLayer, ColumnLayer, ScatterplotLayer } from '@deck.gl/layers'
import { H3HexagonLayer } from '@deck.gl/geo-layers'
import type { Layer } from '@deck.gl/core'
import { kindColor, type RGBA } from '../layers/station-style.ts'
import type { StationLite } from '../types.ts'

export interface HexCell {
  h3: string
  weight: number
  /** 0 unserved, 1 covered, 2 in the biggest gap */
  state: 0 | 1 | 2
}

export interface PlaceColumn {
  code: string
  position: [number, number]
  stations: number
  /** 0..1, or null while unknown */
  ratio: number | null
}

export interface TourLayerState {
  cells: HexCell[]
  /** metres of column per unit of demand */
  elevationScale: number
  columns: PlaceColumn[]
  columnRadius: number
  columnScale: number
  stations: StationLite[]
  /** overview: the route from place to place, in tour order */
  route: Array<{ from: [number, number]; to: [number, number] }>
  /** UI scale (1 at 1080p, 2 at 4K) for pixel sizes */
  k: number
}

export const HEX_COLORS: Record<HexCell['state'], RGBA> = {
  0: [255, 168, 64, 200], // unserved: amber
  1: [46, 196, 182, 190], // covered: teal
  2: [255, 76, 76, 245], // biggest gap: red
}

/** coverage ratio → colour from red (0) through amber to teal (1) */
export function ratioColor(r: number | null): RGBA {
  if (r === null) return [120, 135, 160, 200]
  const stops: Array<[number, RGBA]> = [[0, [255, 76, 76, 230]], [0.5, [255, 168, 64, 230]], [1, [46, 196, 182, 230]]]
  for (let i = 1; i < stops.length; i++) {
    const [t1, c1] = stops[i]!
    const [t0, c0] = stops[i - 1]!
    if (r <= t1) {
      const f = (r - t0) / (t1 - t0)
      return c0.map((v, j) => Math.round(v + (c1[j]! - v) * f)) as RGBA
    }
  }
  return stops[stops.length - 1]![1]
}

export function tourLayers(st: TourLayerState): Layer[] {
  return [
    new ScatterplotLayer<StationLite>({
      id: 'tour-station-coverage',
      data: st.stations,
      radiusUnits: 'meters',
      getPosition: (d) => d.geometry.coordinates as [number, number],
      getRadius: (d) => d.properties.coverage_radius_m,
      getFillColor: (d) => kindColor(d.properties.kind, 40),
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: st.k,
      getLineColor: (d) => kindColor(d.properties.kind, 140),
      updateTriggers: { getLineWidth: st.k },
    }),
    new H3HexagonLayer<HexCell>({
      id: 'tour-demand',
      data: st.cells,
      getHexagon: (d) => d.h3,
      extruded: true,
      coverage: 0.88,
      elevationScale: st.elevationScale,
      getElevation: (d) => d.weight,
      getFillColor: (d) => HEX_COLORS[d.state],
      material: { ambient: 0.55, diffuse: 0.6, shininess: 24, specularColor: [60, 64, 70] },
      transitions: { elevationScale: 900 },
    }),
    new ColumnLayer<PlaceColumn>({
      id: 'tour-place-columns',
      data: st.columns,
      diskResolution: 24,
      radius: st.columnRadius,
      extruded: true,
      elevationScale: st.columnScale,
      getPosition: (d) => d.position,
      getElevation: (d) => d.stations,
      getFillColor: (d) => ratioColor(d.ratio),
      material: { ambient: 0.55, diffuse: 0.6, shininess: 24, specularColor: [60, 64, 70] },
      updateTriggers: { getFillColor: st.columns.map((c) => c.ratio).join(',') },
      transitions: { elevationScale: 900 },
    }),
    new ArcLayer<TourLayerState['route'][number]>({
      id: 'tour-route',
      data: st.route,
      getSourcePosition: (d) => d.from,
      getTargetPosition: (d) => d.to,
      getSourceColor: [255, 211, 107, 200],
      getTargetColor: [255, 211, 107, 60],
      getWidth: 2 * st.k,
      getHeight: 0.35,
      greatCircle: false,
      updateTriggers: { getWidth: st.k },
    }),
    new ScatterplotLayer<StationLite>({
      id: 'tour-stations',
      data: st.stations,
      radiusUnits: 'pixels',
      getPosition: (d) => d.geometry.coordinates as [number, number],
      getRadius: 4.5 * st.k,
      getFillColor: (d) => kindColor(d.properties.kind),
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 1.5 * st.k,
      getLineColor: [255, 255, 255, 230],
      updateTriggers: { getRadius: st.k, getLineWidth: st.k },
    }),
  ]
}
