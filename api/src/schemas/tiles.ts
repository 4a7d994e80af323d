import { z } from '@hono/zod-openapi'
import { kindsParam, statusesParam } from './common.ts'

const int = (name: string) =>
  z.string().regex(/^[0-9]{1,8}$/, `${name} must be a whole number ≥ 0`).transform(Number)

/**
 * `{z}/{x}/{y}.mvt` of a Web-Mercator (XYZ, as MapLibre requests them) tile: z 0–22, x and y in
 * 0 … 2^z − 1. The path's last segment is `y.mvt` (Hono matches it as one parameter).
 */
export const TileParams = z
  .object({
    z: int('z').pipe(z.number().max(22, 'z must be ≤ 22')).openapi({ type: 'integer', param: { name: 'z', in: 'path' }, example: 8 }),
    x: int('x').openapi({ type: 'integer', param: { name: 'x', in: 'path' }, example: 213 }),
    y: z
      .string()
      .regex(/^[0-9]{1,8}\.mvt$/, 'y must be a whole number ≥ 0 followed by .mvt, e.g. 103.mvt')
      .transform((s) => Number(s.slice(0, -4)))
      .openapi({ type: 'string', param: { name: 'y', in: 'path' }, example: '103.mvt', description: 'tile row, with the .mvt suffix' }),
  })
  .superRefine((t, ctx) => {
    const n = 2 ** t.z
    if (t.x >= n) ctx.addIssue({ code: 'custom', path: ['x'], message: `x must be < 2^z = ${n} at z ${t.z}` })
    if (t.y >= n) ctx.addIssue({ code: 'custom', path: ['y'], message: `y must be < 2^z = ${n} at z ${t.z}` })
  })

export const StationTileQuery = z.object({
  kind: kindsParam.optional(),
  status: statusesParam.optional().openapi({ description: 'Default: planned,active (retired only when asked), as /api/stations' }),
  // not z.coerce: it read `v=` and `v= ` as 0 and `v=0x10` as 16 (found by the hostile-request generator)
  v: z.string().regex(/^[0-9]{1,15}$/, 'must be a whole number ≥ 0').transform(Number).optional().openapi({
    type: 'integer',
    description: 'The stations version the page saw at GET /api/changes: the tile waits for an index at least that new (a page refreshing after an edit never caches a tile from before it)',
  }),
})

export const Changes = z
  .object({
    stations: z.number().int().openapi({ description: 'Bumped by every statement that writes the station table' }),
    roads: z.number().int().openapi({ description: 'Bumped by every statement that writes road_edge (npm run load-roads)' }),
    regions: z.number().int().openapi({ description: 'Bumped by every statement that writes the region table' }),
  })
  .openapi('Changes')

export const TileJson = z
  .object({
    tilejson: z.literal('3.0.0'),
    name: z.string(),
    tiles: z.array(z.string()),
    minzoom: z.number().int(),
    maxzoom: z.number().int(),
    attribution: z.string().optional(),
    vector_layers: z.array(z.object({ id: z.string(), fields: z.record(z.string(), z.string()), minzoom: z.number().int(), maxzoom: z.number().int() })),
  })
  .openapi('TileJSON')
