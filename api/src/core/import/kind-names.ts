import { STATION_KINDS, type StationKind } from '../station-kinds.ts'

/**
 * What the county ledgers (工作台账) call each kind, → the atlas's four kinds. One table for the
 * importer, the README ("Import" → kind names, checked by kind-names.test.ts) and the import page.
 * Matching is on the whole cell after trimming and dropping spaces, so "爱心 驿站" matches too;
 * the canonical ids (`rider_rest` …) always match.
 */
export const KIND_NAMES: Record<StationKind, readonly string[]> = {
  service_centre: ['党群服务中心', '党群服务站', '党建服务中心', '新就业群体党群服务中心', '便民服务中心', '服务中心'],
  red_sail: ['红帆驿站', '红帆', '车间驿站', '企业驿站'],
  rider_rest: [
    '骑士/户外劳动者爱心驿站', '骑士爱心驿站', '蒜都骑士爱心驿站', '骑手驿站', '骑士驿站', '爱心驿站',
    '户外劳动者驿站', '户外劳动者服务站点', '户外劳动者服务站', '工会驿站', '暖心驿站', '新就业群体驿站',
  ],
  worksite: ['工地党建驿站', '工地驿站', '项目党建驿站', '工地党群驿站', '党建驿站'],
}

const BY_NAME = new Map<string, StationKind>()
for (const kind of STATION_KINDS) {
  BY_NAME.set(kind, kind)
  for (const name of KIND_NAMES[kind]) BY_NAME.set(name.replace(/\s+/g, ''), kind)
}

/** The kind a ledger's word names, or null when the table does not know it (the row is rejected). */
export function kindFromName(value: string): StationKind | null {
  return BY_NAME.get(value.trim().replace(/\s+/g, '').toLowerCase()) ?? BY_NAME.get(value.trim().replace(/\s+/g, '')) ?? null
}

/** The table as Markdown, for the README. */
export function kindNamesMarkdown(): string {
  const rows = STATION_KINDS.map((k) => `| \`${k}\` | ${KIND_NAMES[k].join('、')} |`)
  return ['| kind | names recognised on import |', '|---|---|', ...rows].join('\n')
}
