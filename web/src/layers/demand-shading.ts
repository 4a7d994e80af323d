/**
 * Colours for demand cells: unserved ones on a 5-class sequential ramp (ColorBrewer RdPu, away from
 * the four station kinds' blue/orange/red/green), classes cut at weight quantiles so a county's
 * few dense town cells don't wash out the rest; covered cells a faint neutral.
 */
export type RGBA = [number, number, number, number]

export const UNSERVED_RAMP: readonly RGBA[] = [
  [252, 222, 214, 150],
  [250, 170, 181, 170],
  [240, 100, 160, 185],
  [197, 27, 138, 200],
  [122, 1, 119, 215],
]
export const COVERED_COLOR: RGBA = [96, 120, 140, 34]

/**
 * Upper bounds of the first classes (length classes − 1): weight quantiles, rounded to 2
 * significant figures so the legend reads well; strictly increasing (ties collapse).
 * @example weightBreaks([1, 2, 3, 4, 100], 5) // [1.8, 2.6, 3.4, 4]
 */
export function weightBreaks(weights: ArrayLike<number>, classes = UNSERVED_RAMP.length): number[] {
  const sorted = Float64Array.from(weights).sort()
  if (sorted.length === 0) return []
  const breaks: number[] = []
  for (let k = 1; k < classes; k++) {
    const q = sorted[Math.min(sorted.length - 1, Math.floor((k / classes) * sorted.length))]!
    const b = Number(q.toPrecision(2))
    if (!breaks.length || b > breaks.at(-1)!) breaks.push(b)
  }
  return breaks
}

/** The class of `weight` given `breaks` (0 … breaks.length). */
export function weightClass(weight: number, breaks: readonly number[]): number {
  let k = 0
  while (k < breaks.length && weight > breaks[k]!) k++
  return k
}

export function unservedColor(weight: number, breaks: readonly number[]): RGBA {
  // with fewer breaks than classes (many ties) use the darker end, so the top class stays darkest
  const offset = UNSERVED_RAMP.length - 1 - breaks.length
  return UNSERVED_RAMP[weightClass(weight, breaks) + offset]!
}

/**
 * From this zoom the basemap draws streets and their names (road-layers.ts: minor streets from 12,
 * names from 12.5); demand drawn over them then goes see-through (seeThroughColor), or the
 * hexagons — deck.gl's canvas lies over MapLibre's — would hide the streets they are about.
 */
export const STREET_ZOOM = 12.5

/**
 * A demand colour made see-through for street zooms: the fill keeps its hue at a little under half
 * its opacity, so white streets and dark, haloed names read through the darkest class; the cell's
 * outline (seeThroughOutline) carries the class instead.
 * @example seeThroughColor([122, 1, 119, 215]) // [122, 1, 119, 90]
 */
export function seeThroughColor(c: RGBA): RGBA {
  return [c[0], c[1], c[2], Math.round(c[3] * 0.42)]
}

/** The outline of a see-through cell: its class colour, nearly opaque. */
export function seeThroughOutline(c: RGBA): RGBA {
  return [c[0], c[1], c[2], Math.max(c[3], 200)]
}
