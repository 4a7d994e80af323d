/** The API's demand FeatureCollection → the coverage core's DemandItem list (same order). */
import type { DemandItem } from '@core/demand-item.ts'

export interface DemandFeatureLike {
  geometry: { coordinates: number[] }
  properties: { h3: string; weight: number; region_code: string | null; name?: string | null }
}

export function toDemandItems(features: readonly DemandFeatureLike[]): DemandItem[] {
  return features.map((f) => ({
    h3: f.properties.h3,
    lon: f.geometry.coordinates[0]!,
    lat: f.geometry.coordinates[1]!,
    weight: f.properties.weight,
    region_code: f.properties.region_code,
  }))
}
