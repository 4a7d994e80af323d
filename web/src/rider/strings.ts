/**
 * Rider page strings, Chinese first. Kept apart from i18n.ts (the planner's) so each page ships only
 * its own words; the language choice itself (getLang/setLang, ?lang=) is shared with i18n.ts.
 */
import { AMENITY_NAMES, type Amenity } from '@core/station-kinds.ts'
import { getLang } from '../i18n/lang.ts'
import { formatDistance } from '../format.ts'
import { defineStrings } from '../i18n/strings.ts'
import { roundApproxMetres } from './approx.ts'

const zh = {
  title: '骑手找驿站',
  subtitle: '饮水 · 充电 · 热饭 · 如厕 · 歇脚',
  switchLang: 'EN',
  switchLangTitle: 'Switch to English',
  planner: '驿站地图',
  demo: '示例数据',
  locating: '正在定位…',
  locateAgain: '重新定位',
  pickOnMap: '在地图上选点',
  pickHint: '点一下地图，设为您的位置',
  cancel: '取消',
  searchPlaceholder: '搜索乡镇、街道或驿站',
  searchLabel: '搜索地点',
  searchEmpty: '没有找到“{q}”',
  denied: '未获得定位权限。',
  unavailable: '暂时无法定位。',
  timeout: '定位超时。',
  unsupported: '此浏览器不支持定位。',
  fallbackHelp: '请在地图上点选位置，或搜索地名。',
  searchPlace: '搜索地名',
  jumpTo: '跳到：',
  pickZoomHint: '先点您所在的县，放大后再点位置',
  needPosition: '设定位置后，这里会列出最近的驿站。',
  hereGps: '当前位置（GPS，精度约 {acc}）',
  hereTap: '地图选点',
  hereSearch: '搜索：{name}',
  approxPlace: '该地点只有所在县的中心位置，距离为粗略值',
  approxGps: '定位精度低，距离为粗略值',
  approxList: '位置为估计，距离和时间均为约数',
  byRoadTag: '按路网骑行时间',
  straightTag: '按直线距离',
  straightTagTitle: '本地未加载路网：按直线距离排序，时间为估算',
  roadCredit: '路网：{extract}，© OpenStreetMap 贡献者（ODbL）',
  rideByRoad: '骑行约 {n} 分钟 · {d}路程',
  walkByRoad: '步行约 {n} 分钟',
  noRoadTrip: '路网不可达（离道路超过 300 米或不连通）',
  byRoad: '按路网',
  approxDistance: '约 {d}',
  seatPlace: '按县城位置计算',
  nearest: '离您最近的驿站',
  openNow: '营业中',
  filters: '筛选',
  loading: '正在查找附近驿站…',
  noneFound: '附近没有符合条件的驿站。',
  noneOpen: '附近暂无营业中的驿站。',
  showAll: '显示全部（含已关闭）',
  clearFilters: '清除设施筛选',
  offlineBanner: '离线 · 数据更新于 {time}',
  offlineOld: '离线 · 数据更新于 {date} {time}，可能已过时',
  offlineNoData: '离线，且没有已保存的本地区数据。联网后再试。',
  online: '在线 · 数据更新于 {time}',
  loadFailed: '加载失败：',
  open: '营业中',
  closed: '已关闭',
  unknownHours: '时间不详',
  open247: '全天 24 小时',
  hours: '开放时间',
  walk: '步行约 {n} 分钟',
  ride: '电动车约 {n} 分钟',
  estimate: '估算',
  estimateNote: '估算：直线距离 × {detour} 绕行系数，步行 {walk} 公里/小时，电动车 {ride} 公里/小时。',
  distanceNote: '距离为直线距离',
  distanceNoteEnd: '距离为直线距离。',
  call: '电话',
  noPhone: '无电话',
  navAmap: '高德导航',
  navBaidu: '百度导航',
  navGeo: '其他地图',
  report: '报告问题',
  reportTitle: '报告驿站问题',
  reportNote: '补充说明（可选，最多 500 字）',
  reportLocation: '附上我的位置',
  reportLocationWhy: '位置能帮编辑核实问题（例如驿站搬走了）。不勾选就不会发送。',
  reportSend: '提交',
  reportSentTo: '已提交“{name}”的问题报告，感谢反馈！编辑会尽快核实。',
  reportFailed: '提交失败：',
  reportOffline: '离线时无法提交，请联网后再试。',
  close: '关闭',
  metres: '米',
  kilometres: '公里',
  bearing: '往{dir}',
  mapLabel: '您和附近驿站的地图',
  youAreHere: '您的位置',
  rank: '第 {n} 近',
  attrStations: '驿站为示例数据，非真实点位',
}
const en: Record<keyof typeof zh, string> = {
  title: 'Rider stops nearby',
  subtitle: 'Water · charging · microwave · toilet · rest',
  switchLang: '中文',
  switchLangTitle: '切换到中文',
  planner: 'Station map',
  demo: 'Demo data',
  locating: 'Finding your location…',
  locateAgain: 'Locate me',
  pickOnMap: 'Pick on map',
  pickHint: 'Tap the map to set your position',
  cancel: 'Cancel',
  searchPlaceholder: 'Town, street or stop',
  searchLabel: 'Search a place',
  searchEmpty: 'Nothing found for “{q}”',
  denied: 'Location permission was refused.',
  unavailable: 'Your location is unavailable right now.',
  timeout: 'Locating timed out.',
  unsupported: 'This browser cannot locate you.',
  fallbackHelp: 'Tap the map where you are, or search a place by name.',
  searchPlace: 'Search a place',
  jumpTo: 'Go to: ',
  pickZoomHint: 'Tap your county, then your spot',
  needPosition: 'Set your position to see the nearest stops here.',
  hereGps: 'Your location (GPS, ±{acc})',
  hereTap: 'Point picked on the map',
  hereSearch: 'Search: {name}',
  approxPlace: 'Only the county centre is known for this place: distances are rough',
  approxGps: 'Low GPS accuracy: distances are rough',
  approxList: 'Approximate position: distances and times are rough',
  byRoadTag: 'by riding time',
  straightTag: 'straight-line',
  straightTagTitle: 'No road network loaded here: ranked by straight-line distance, times are estimates',
  roadCredit: 'Roads: {extract}, © OpenStreetMap contributors (ODbL)',
  rideByRoad: 'about {n} min by e-bike · {d} by road',
  walkByRoad: 'about {n} min on foot',
  noRoadTrip: 'Not reachable by road (over 300 m from a road, or not connected)',
  byRoad: 'by road',
  approxDistance: 'about {d}',
  seatPlace: 'Measured from the county seat',
  nearest: 'Nearest stops',
  openNow: 'Open now',
  filters: 'Filters',
  loading: 'Looking for stops nearby…',
  noneFound: 'No stop nearby matches.',
  noneOpen: 'No stop nearby is open now.',
  showAll: 'Show all (incl. closed)',
  clearFilters: 'Clear amenity filters',
  offlineBanner: 'Offline · data from {time}',
  offlineOld: 'Offline · data from {date} {time}, may be out of date',
  offlineNoData: 'Offline, and no saved data for this area. Try again when online.',
  online: 'Online · updated {time}',
  loadFailed: 'Could not load: ',
  open: 'Open',
  closed: 'Closed',
  unknownHours: 'Hours unknown',
  open247: 'Open 24 hours',
  hours: 'Hours',
  walk: '≈ {n} min walk',
  ride: '≈ {n} min by e-bike',
  estimate: 'estimate',
  estimateNote: 'Estimate: straight-line distance × {detour} detour, walking {walk} km/h, e-bike {ride} km/h.',
  distanceNote: 'Straight-line distance',
  distanceNoteEnd: 'Distances are straight-line.',
  call: 'Call',
  noPhone: 'No phone',
  navAmap: 'Amap',
  navBaidu: 'Baidu',
  navGeo: 'Other',
  report: 'Report a problem',
  reportTitle: 'Report a problem at this stop',
  reportNote: 'Details (optional, up to 500 characters)',
  reportLocation: 'Attach my location',
  reportLocationWhy: 'It helps an editor check the problem (a stop that moved, say). Not sent unless ticked.',
  reportSend: 'Send',
  reportSentTo: 'Your report on “{name}” was sent, thank you! An editor will check it.',
  reportFailed: 'Could not send: ',
  reportOffline: 'You are offline; send the report when you are back online.',
  close: 'Close',
  metres: 'm',
  kilometres: 'km',
  bearing: '{dir}',
  mapLabel: 'Map of you and the stops nearby',
  youAreHere: 'You are here',
  rank: 'No. {n}',
  attrStations: 'Stops are demo data, not real sites',
}

export type RiderKey = keyof typeof zh
export const r = defineStrings({ zh, en })

/** Amenity names, short enough for a chip on a 360 px screen. */
const SHORT_ZH: Partial<Record<Amenity, string>> = { first_aid: '急救', cooling: '降温', microwave: '微波炉', rest: '歇脚', toilet: '厕所', water: '饮水', charging: '充电', heating: '取暖' }
const SHORT_EN: Partial<Record<Amenity, string>> = { first_aid: 'First aid', cooling: 'Cooling', microwave: 'Microwave', rest: 'Seat', toilet: 'Toilet', water: 'Water', charging: 'Charging', heating: 'Heating' }
export function amenityShort(a: Amenity): string {
  return (getLang() === 'zh' ? SHORT_ZH[a] : SHORT_EN[a]) ?? AMENITY_NAMES[a]?.[getLang()] ?? a
}

const DIRS_ZH = ['北', '东北', '东', '东南', '南', '西南', '西', '西北']
const DIRS_EN = ['north', 'north-east', 'east', 'south-east', 'south', 'south-west', 'west', 'north-west']
/** 8-point compass word for a bearing in degrees (0 = north, clockwise). */
export function compass(bearing: number): string {
  const i = Math.round((((bearing % 360) + 360) % 360) / 45) % 8
  return (getLang() === 'zh' ? DIRS_ZH : DIRS_EN)[i]!
}

/** 180 → "180 米"; 1234 → "1.2 公里" (great-circle metres, to 10 m). */
export function distanceText(m: number): string {
  return formatDistance(m, 'route')
}

/** From an approximate position: "约 600 米" / "about 600 m" (rounded by approx.ts). */
export function approxDistanceText(m: number): string {
  return r('approxDistance', { d: formatDistance(roundApproxMetres(m), 'route') })
}
