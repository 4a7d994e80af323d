/**
 * The plan's stations on the map, told apart at a glance: existing (filled, kind colour), moved
 * (filled, dark ring, a thin line back to where it stood), added (white with a kind-colour ring),
 * suggested by siting (dark numbered markers), removed (grey, no coverage). Coverage circles in
 * metres follow every drag, since they are drawn from the same positions.
 */
import { LineLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers'
import type { StationKind } from '@core/station-kinds.ts'
import type { PlanStation } from '../planner/plan-edits.ts'
import { kindColor, type RGBA } from './station-style.ts'

import { PLAN_BADGES_LAYER_ID, PLAN_STATIONS_LAYER_ID } from './plan-layer-ids.ts'

export { PLAN_BADGES_LAYER_ID, PLAN_STATIONS_LAYER_ID }

export interface PlanDrawStation extends PlanStation {
  kind: StationKind
  /** rank of a suggested site (siting result not yet accepted into the plan) */
  rank?: number
}

export interface PlanLayersState {
  stations: PlanDrawStation[]
  selectedId: string | null
  /** lon/lat of the numbered badges that were moved apart (others sit on their point) */
  badges?: ReadonlyMap<string, readonly [number, number]>
  /** draw the straight-line coverage circles (default); false under the road-network rule */
  circles?: boolean
  /** streets are under the circles (street zooms over loaded roads): fills nearly clear, so a dozen overlapping circles don't turn the streets blue; outlines unchanged */
  seeThrough?: boolean
}

const INK: RGBA = [29, 38, 51, 255]
const WHITE: RGBA = [255, 255, 255, 255]
const GREY: RGBA = [150, 156, 165, 200]

const isSuggested = (d: PlanDrawStation) => d.rank !== undefined
const pos = (d: PlanDrawStation): [number, number] => [d.lon, d.lat]

function radiusPx(d: PlanDrawStation, badges: ReadonlyMap<string, unknown>): number {
  if (isSuggested(d)) return badges.has(d.id) ? 4 : 11
  if (d.change === 'removed') return 4
  return d.change === 'existing' ? 5 : 6.5
}

export function planStationLayers({ stations, selectedId, badges = new Map(), circles = true, seeThrough = false }: PlanLayersState) {
  const fillAlpha = (a: number) => (seeThrough ? Math.round(a * 0.3) : a)
  const live = stations.filter((s) => s.change !== 'removed')
  const moved = stations.filter((s) => s.change === 'moved' && s.from)
  const suggested = stations.filter(isSuggested)
  const offset = suggested.filter((s) => badges.has(s.id))
  const badgeAt = (d: PlanDrawStation): [number, number] => {
    const b = badges.get(d.id)
    return b ? [b[0], b[1]] : pos(d)
  }
  const badgeKey = [...badges].map(([id, [x, y]]) => `${id}:${x.toFixed(6)},${y.toFixed(6)}`).join(';')
  return [
    new ScatterplotLayer<PlanDrawStation>({
      id: 'plan-coverage',
      // by road the isochrones show the reach instead (layers/isochrones.ts)
      data: circles ? live : [],
      radiusUnits: 'meters',
      getPosition: pos,
      getRadius: (d) => d.radius_m,
      filled: true,
      getFillColor: (d) => kindColor(d.kind, fillAlpha(d.id === selectedId ? 70 : d.change === 'existing' ? 26 : 38)),
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: (d) => (d.change === 'existing' ? 1 : 1.6),
      getLineColor: (d) => (d.change === 'existing' ? kindColor(d.kind, 130) : isSuggested(d) ? [29, 38, 51, 170] : kindColor(d.kind, 230)),
      updateTriggers: { getFillColor: [selectedId, seeThrough] },
    }),
    new LineLayer<PlanDrawStation>({
      id: 'plan-move-lines',
      data: moved,
      getSourcePosition: (d) => d.from!,
      getTargetPosition: pos,
      getColor: [29, 38, 51, 150],
      widthUnits: 'pixels',
      getWidth: 1.5,
    }),
    new ScatterplotLayer<PlanDrawStation>({
      id: 'plan-move-origins',
      data: moved,
      getPosition: (d) => d.from!,
      radiusUnits: 'pixels',
      getRadius: 4,
      filled: true,
      getFillColor: [255, 255, 255, 160],
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 1.2,
      getLineColor: GREY,
    }),
    // leaders under every marker: a line never crosses a number
    new LineLayer<PlanDrawStation>({
      id: 'plan-site-leaders',
      data: offset,
      getSourcePosition: pos,
      getTargetPosition: badgeAt,
      getColor: INK,
      widthUnits: 'pixels',
      getWidth: 1.5,
      updateTriggers: { getTargetPosition: badgeKey },
    }),
    new ScatterplotLayer<PlanDrawStation>({
      id: PLAN_STATIONS_LAYER_ID,
      // the points of moved badges first: a badge left on its point covers them, never the reverse
      data: offset.length ? [...stations].sort((a, b) => Number(badges.has(b.id)) - Number(badges.has(a.id))) : stations,
      pickable: true,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 90],
      radiusUnits: 'pixels',
      getPosition: pos,
      getRadius: (d) => radiusPx(d, badges) + (d.id === selectedId ? 2 : 0),
      filled: true,
      getFillColor: (d) => {
        if (isSuggested(d)) return INK
        if (d.change === 'removed') return [225, 228, 232, 220]
        return d.change === 'added' ? WHITE : kindColor(d.kind)
      },
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: (d) => (d.id === selectedId ? 3 : d.change === 'existing' ? 1.5 : 2.5),
      getLineColor: (d) => {
        if (d.id === selectedId && !isSuggested(d)) return INK
        if (isSuggested(d)) return WHITE
        if (d.change === 'removed') return GREY
        if (d.change === 'added') return kindColor(d.kind)
        return d.change === 'moved' ? INK : WHITE
      },
      updateTriggers: { getRadius: [selectedId, badgeKey], getLineWidth: selectedId, getLineColor: selectedId },
    }),
    new ScatterplotLayer<PlanDrawStation>({
      id: PLAN_BADGES_LAYER_ID,
      data: offset,
      pickable: true,
      radiusUnits: 'pixels',
      getPosition: badgeAt,
      getRadius: (d) => (d.id === selectedId ? 13 : 11),
      getFillColor: INK,
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 2.5,
      getLineColor: WHITE,
      updateTriggers: { getPosition: badgeKey, getRadius: selectedId },
    }),
    new TextLayer<PlanDrawStation>({
      id: 'plan-site-labels',
      data: suggested,
      getPosition: badgeAt,
      updateTriggers: { getPosition: badgeKey },
      getText: (d) => String(d.rank),
      getSize: 12,
      sizeUnits: 'pixels',
      getColor: WHITE,
      fontFamily: '"Noto Sans SC", system-ui, sans-serif',
      fontWeight: 600,
      characterSet: '0123456789',
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center',
    }),
  ]
}
