/**
 * The four kinds of station, their default coverage radii and display names.
 * Shared by the API, the web page and the scripts: one source of truth.
 * Radii are metres on the sphere; the rationale is in README.md ("Coverage radii").
 */
export const STATION_KINDS = ['service_centre', 'red_sail', 'rider_rest', 'worksite'] as const
export type StationKind = (typeof STATION_KINDS)[number]

export interface KindInfo {
  /** default coverage radius in metres */
  radius_m: number
  zh: string
  en: string
  /** RGB, used for points, circles and the legend */
  color: [number, number, number]
}

export const KIND_INFO: Record<StationKind, KindInfo> = {
  service_centre: { radius_m: 3000, zh: '党群服务中心', en: 'Party-masses service centre', color: [200, 30, 45] },
  red_sail: { radius_m: 1000, zh: '红帆驿站', en: 'Red Sail workplace station', color: [240, 120, 20] },
  rider_rest: { radius_m: 1500, zh: '骑士/户外劳动者爱心驿站', en: 'Rider & outdoor-worker rest stop', color: [20, 120, 200] },
  worksite: { radius_m: 500, zh: '工地党建驿站', en: 'Worksite Party station', color: [40, 150, 80] },
}

/** Shorter names: `short` for a list card on a phone, `counted` over a count of them (a big-screen counter). */
export const KIND_SHORT_NAMES: Record<StationKind, Record<'short' | 'counted', { zh: string; en: string }>> = {
  service_centre: { short: { zh: '党群服务中心', en: 'Service centre' }, counted: { zh: '党群服务中心', en: 'Service centres' } },
  red_sail: { short: { zh: '红帆驿站', en: 'Red Sail station' }, counted: { zh: '红帆驿站', en: 'Red Sail stations' } },
  rider_rest: { short: { zh: '骑士驿站', en: 'Rider rest stop' }, counted: { zh: '骑士/户外劳动者驿站', en: 'Rider rest stops' } },
  worksite: { short: { zh: '工地驿站', en: 'Worksite station' }, counted: { zh: '工地党建驿站', en: 'Worksite stations' } },
}

export const AMENITIES = [
  'water', 'charging', 'microwave', 'toilet', 'rest', 'first_aid',
  'heating', 'cooling', 'wifi', 'repair', 'medicine', 'reading',
] as const
export type Amenity = (typeof AMENITIES)[number]

export const AMENITY_NAMES: Record<Amenity, { zh: string; en: string }> = {
  water: { zh: '饮水', en: 'Drinking water' },
  charging: { zh: '充电', en: 'Charging' },
  microwave: { zh: '微波炉', en: 'Microwave' },
  toilet: { zh: '卫生间', en: 'Toilet' },
  rest: { zh: '休息', en: 'Seating / rest' },
  first_aid: { zh: '急救箱', en: 'First aid' },
  heating: { zh: '取暖', en: 'Heating' },
  cooling: { zh: '防暑降温', en: 'Cooling' },
  wifi: { zh: '无线网络', en: 'Wi-Fi' },
  repair: { zh: '维修工具', en: 'Repair kit' },
  medicine: { zh: '常用药品', en: 'Medicine' },
  reading: { zh: '阅读角', en: 'Reading corner' },
}

export const STATION_STATUSES = ['planned', 'active', 'retired'] as const
export type StationStatus = (typeof STATION_STATUSES)[number]

export const STATION_SOURCES = ['demo', 'import', 'manual', 'demo-scale'] as const
export type StationSource = (typeof STATION_SOURCES)[number]

/** Effective coverage radius: the station's own, else its kind's default. */
export function coverageRadius(kind: StationKind, radius_m?: number | null): number {
  return radius_m ?? KIND_INFO[kind].radius_m
}
