import { z } from '@hono/zod-openapi'
import { TRAVEL_MODES } from '../core/road-types.ts'
import { decimal } from './common.ts'

/** `?mode=ebike|foot&minutes=` of the network metric (issue 14). */
export const IsochroneQuery = z.object({
  mode: z
    .enum(TRAVEL_MODES, { message: `must be one of: ${TRAVEL_MODES.join(', ')}` })
    .default('ebike')
    .openapi({ description: 'ebike (speeds capped at 25 km/h) or foot (4.8 km/h)', example: 'ebike' }),
  minutes: decimal(z.number({ message: 'must be a number of minutes' }).gt(0, 'must be > 0').max(60, 'must be ≤ 60').default(5))
    .openapi({ type: 'number', description: 'travel time in minutes (0 < minutes ≤ 60, default 5)', example: 5 }),
})

export const IsochroneFeature = z
  .object({
    type: z.literal('Feature'),
    geometry: z.object({
      type: z.enum(['Polygon', 'MultiPolygon']),
      coordinates: z.array(z.any()),
    }),
    properties: z.object({
      station_id: z.uuid(),
      mode: z.enum(TRAVEL_MODES),
      minutes: z.number(),
      reached_nodes: z.number().int().openapi({ description: 'road nodes reached within the limit' }),
      snap_m: z.number().openapi({ description: 'metres from the station to its road node (walked)' }),
      extract: z.string().openapi({ description: 'file name of the loaded OpenStreetMap extract' }),
    }),
  })
  .openapi('Isochrone')
