import { AMENITIES, type Amenity } from '../station-kinds.ts'

/**
 * Chinese words for the amenity vocabulary, as ledgers write them in 服务内容/设施 ("饮水、充电、微波炉").
 * A cell is split on 、,，;；/ and spaces; each part must be one of these words or a vocabulary id.
 */
export const AMENITY_WORDS: Record<Amenity, readonly string[]> = {
  water: ['饮水', '饮用水', '热水', '开水', '喝水', '茶水', '饮水机'],
  charging: ['充电', '手机充电', '电动车充电', '充电宝', '充电桩', '充电插座'],
  microwave: ['微波炉', '加热', '热饭', '餐食加热'],
  toilet: ['卫生间', '厕所', '洗手间', '如厕'],
  rest: ['休息', '歇脚', '休息区', '座椅', '桌椅', '避雨'],
  first_aid: ['急救箱', '急救', '应急药箱', '医药箱'],
  heating: ['取暖', '暖气', '避寒'],
  cooling: ['防暑降温', '降温', '空调', '避暑', '纳凉'],
  wifi: ['无线网络', 'wifi', 'Wi-Fi', '无线网', '上网'],
  repair: ['维修工具', '维修', '修车', '打气', '工具箱'],
  medicine: ['常用药品', '药品', '药物'],
  reading: ['阅读角', '阅读', '书籍', '图书', '书报'],
}

const BY_WORD = new Map<string, Amenity>()
for (const a of AMENITIES) {
  BY_WORD.set(a, a)
  for (const w of AMENITY_WORDS[a]) BY_WORD.set(w.toLowerCase(), a)
}

/**
 * A cell of amenity words → the vocabulary (deduplicated, in vocabulary order) and the words it does
 * not know (reported on the row, never guessed).
 * @example amenitiesFromText('饮水、充电；卫生间') // { amenities: ['water', 'charging', 'toilet'], unknown: [] }
 */
export function amenitiesFromText(value: string): { amenities: Amenity[]; unknown: string[] } {
  const found = new Set<Amenity>()
  const unknown: string[] = []
  for (const part of value.split(/[、,，;；/|\s]+/)) {
    const w = part.trim()
    if (!w) continue
    const a = BY_WORD.get(w.toLowerCase())
    if (a) found.add(a)
    else unknown.push(w)
  }
  return { amenities: AMENITIES.filter((a) => found.has(a)), unknown }
}
