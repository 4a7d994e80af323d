/** The tour's own words, Chinese first; kind names come from the shared station-kinds table. */
import { KIND_INFO, type StationKind } from '@core/station-kinds.ts'
import { interpolate } from '../interpolate.ts'
import type { TourLang } from './params.ts'

const zh = {
  title: '新就业群体服务驿站 · 数据大屏',
  appName: '驿站覆盖图',
  overview: '三地总览',
  overviewN: '{n} 地总览',
  city: '地级市',
  county: '县（市、区）',
  stations: '驿站数量',
  stationsUnit: '个',
  total: '合计',
  planned: '其中规划 {n} 个',
  coverage: '需求覆盖率',
  coverageAll: '全部驿站，各按其覆盖半径',
  coverageKind: '{kind}，半径 {r}',
  covered: '已覆盖 {covered} / {total} {unit}',
  gap: '最大服务缺口',
  gapDemand: '未覆盖',
  gapArea: '面积',
  gapNearest: '距最近驿站',
  gapNone: '无未覆盖区域',
  gapNoStation: '范围内无驿站',
  programme: '工作成效',
  source: '来源：',
  realFigures: '实际公布数据',
  demo: '示例数据',
  demoNote: '驿站点位为示例数据',
  modelled: '模型估算',
  comparison: '各地覆盖率',
  loading: '正在加载…',
  unavailable: '暂无数据',
  paused: '已暂停',
  next: '下一站',
  step: '第 {i} / {n} 站',
  help: '演示控制',
  helpSpace: '暂停 / 继续',
  helpArrows: '上一站 / 下一站',
  helpDigits: '跳到第 N 站（0 = 总览）',
  helpHelp: '显示 / 隐藏本说明',
  helpLang: '中文 / English',
  helpFull: '全屏',
  helpUrl: '网址参数：regions（区域代码）、dwell（停留秒数）、lang（zh/en）、kind（驿站类型）、overview=0',
  hint: '空格 暂停 · ← → 切换 · ? 帮助',
  legendCovered: '已覆盖人口',
  legendUncovered: '未覆盖人口',
  legendGap: '最大缺口',
  legendHeight: '柱高 = 人口',
  legendColumns: '柱高 = 驿站数，颜色 = 覆盖率',
  placeLine: '{n} 个驿站 · 覆盖 {r}',
  km2: 'km²',
  m: 'm',
  km: 'km',
  error: '数据加载失败：',
}
type Strings = typeof zh

const en: Strings = {
  title: 'Service stations for new-employment workers · big screen',
  appName: 'Station Atlas',
  overview: 'The three places',
  overviewN: 'The {n} places',
  city: 'City',
  county: 'County / district',
  stations: 'Stations',
  stationsUnit: '',
  total: 'Total',
  planned: 'of which {n} planned',
  coverage: 'Demand covered',
  coverageAll: 'all stations, each with its own radius',
  coverageKind: '{kind}, radius {r}',
  covered: '{covered} of {total} {unit} covered',
  gap: 'Biggest gap',
  gapDemand: 'Unserved',
  gapArea: 'Area',
  gapNearest: 'Nearest station',
  gapNone: 'No unserved area',
  gapNoStation: 'no station in range',
  programme: 'Programme results',
  source: 'Source: ',
  realFigures: 'figures as published',
  demo: 'Demo data',
  demoNote: 'station sites are demo data',
  modelled: 'modelled',
  comparison: 'Coverage by place',
  loading: 'Loading…',
  unavailable: 'no data',
  paused: 'Paused',
  next: 'Next',
  step: 'Stop {i} of {n}',
  help: 'Presenter keys',
  helpSpace: 'pause / resume',
  helpArrows: 'previous / next stop',
  helpDigits: 'jump to stop N (0 = overview)',
  helpHelp: 'show / hide this help',
  helpLang: '中文 / English',
  helpFull: 'full screen',
  helpUrl: 'URL: regions (codes), dwell (seconds), lang (zh/en), kind (station kind), overview=0',
  hint: 'Space pause · ← → step · ? help',
  legendCovered: 'covered population',
  legendUncovered: 'unserved population',
  legendGap: 'biggest gap',
  legendHeight: 'height = population',
  legendColumns: 'height = stations, colour = coverage',
  placeLine: '{n} stations · {r} covered',
  km2: 'km²',
  m: 'm',
  km: 'km',
  error: 'Could not load data: ',
}

const STRINGS: Record<TourLang, Strings> = { zh, en }
export type TourStringKey = keyof Strings

let lang: TourLang = 'zh'
export function setTourLang(l: TourLang): void {
  lang = l
}
export function tourLang(): TourLang {
  return lang
}

export function s(key: TourStringKey, vars: Record<string, string | number> = {}): string {
  return interpolate(STRINGS[lang][key], vars)
}

export function kindLabel(kind: StationKind): string {
  return KIND_INFO[kind][lang]
}

/** Short kind names for the big counters (the full names wrap at big-screen sizes). */
const SHORT: Record<StationKind, { zh: string; en: string }> = {
  service_centre: { zh: '党群服务中心', en: 'Service centres' },
  red_sail: { zh: '红帆驿站', en: 'Red Sail stations' },
  rider_rest: { zh: '骑士/户外劳动者驿站', en: 'Rider rest stops' },
  worksite: { zh: '工地党建驿站', en: 'Worksite stations' },
}
export function kindShort(kind: StationKind): string {
  return SHORT[kind][lang]
}
