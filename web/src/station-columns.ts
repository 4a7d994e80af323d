/**
 * Decoding of GET /api/stations/columns (api/src/schemas/station.ts StationColumns): one page of
 * stations column by column, positions as micro-degree differences, kinds, statuses, regions and
 * opening hours as indexes into the page's own lists.
 */
import type { z } from '@hono/zod-openapi'
import { coverageRadius } from '@core/station-kinds.ts'
import type { StationColumns } from '../../api/src/schemas/station.ts'
import type { RiderStation, StationLite } from './types.ts'

export type StationColumnsPage = z.infer<typeof StationColumns>

/** The page's stations as features (coordinates rounded to 10^-6°, as the API sent them). */
export function decodeStationColumns(c: StationColumnsPage): StationLite[] {
  const out: StationLite[] = new Array(c.count)
  let lon = 0
  let lat = 0
  for (let i = 0; i < c.count; i++) {
    lon += c.lon[i]!
    lat += c.lat[i]!
    const kind = c.kinds[c.kind[i]!]!
    const radius = c.radius_m[i]! || null
    const id = c.id[i]!
    out[i] = {
      type: 'Feature',
      id,
      geometry: { type: 'Point', coordinates: [lon / 1e6, lat / 1e6] },
      properties: {
        id,
        kind,
        status: c.statuses[c.status[i]!]!,
        name: c.name[i]!,
        region_code: c.region[i]! < 0 ? null : c.regions[c.region[i]!]!,
        radius_m: radius,
        opening_hours: c.hours[i]! < 0 ? null : c.opening_hours[c.hours[i]!]!,
        coverage_radius_m: coverageRadius(kind, radius),
      },
    }
  }
  return out
}

/**
 * A page asked for with `extra=amenities,address,phone,source` (the rider's offline copy) as features
 * with what a stop's card shows. Throws when the page lacks those columns (asked without `extra`).
 */
export function decodeRiderColumns(c: StationColumnsPage): RiderStation[] {
  const { amenities, amenity_names: names, address, phone, source, sources } = c
  if (!amenities || !names || !address || !phone || !source || !sources) throw new Error('GET /api/stations/columns: asked with extra=amenities,address,phone,source but the page lacks them')
  return decodeStationColumns(c).map((f, i) => {
    const bits = amenities[i]!
    return {
      ...f,
      properties: {
        ...f.properties,
        amenities: names.filter((_, b) => bits & (1 << b)),
        address: address[i]!,
        phone: phone[i]!,
        source: sources[source[i]!]!,
      },
    }
  })
}
