/** Kind and amenity names, only from the shared table (@core/station-kinds.ts), in the current language. */
import { AMENITY_NAMES, KIND_INFO, KIND_SHORT_NAMES, type Amenity, type StationKind } from '@core/station-kinds.ts'
import { getLang, type Lang } from './lang.ts'

/** `full`: the programme's name; `short`: a phone's list card; `counted`: over a count (big screen). */
export type KindNameForm = 'full' | 'short' | 'counted'

export function kindName(kind: StationKind, form: KindNameForm = 'full', lang: Lang = getLang()): string {
  return form === 'full' ? KIND_INFO[kind][lang] : KIND_SHORT_NAMES[kind][form][lang]
}

export function amenityName(a: string, lang: Lang = getLang()): string {
  return AMENITY_NAMES[a as Amenity]?.[lang] ?? a
}
