/**
 * A distance in metres rounded to 10 nanometres, as PostGIS's `ST_Distance(geography, …)` rounds its
 * result (geography_distance: `round(distance * INVMINDIST) / INVMINDIST`, INVMINDIST = 1e8, "knock off any funny business at the
 * nanometer level", PostGIS ticket #2168).
 *
 * Why the in-memory index rounds too: PostGIS (C, libm) and V8 compute the sphere distance to within
 * a unit in the last place; rounded alike, both engines report the same distance_m and break the same
 * ties by id.
 * @example postgisRounded(5644.626273995715) // 5644.626274
 */
export function postgisRounded(metres: number): number {
  // C round() is half away from zero; Math.round is half up: the same for distances (≥ 0)
  return Math.round(metres * 1e8) / 1e8
}
