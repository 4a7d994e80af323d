/**
 * The one strings helper (MapLibre's `_getUIString` pattern): a page's words are one `{ zh, en }`
 * table, and `defineStrings` turns it into a lookup in the current language with `{name}` filled in.
 * English must name every key Chinese has, so a missing translation fails `tsc`.
 */
import { interpolate } from '../interpolate.ts'
import { getLang, type Lang } from './lang.ts'

export type Vars = Record<string, string | number>
export type Lookup<K extends string> = (key: K, vars?: Vars) => string

export function defineStrings<T extends Record<string, string>>(tables: { zh: T; en: Record<keyof T, string> }): Lookup<keyof T & string> {
  const byLang: Record<Lang, Record<keyof T, string>> = tables
  return (key, vars = {}) => interpolate(byLang[getLang()][key], vars)
}
