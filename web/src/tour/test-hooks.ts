/**
 * `window.__atlas` on /tour: where the tour is and what its panels show, for the browser test and
 * the heap script. `idle` is true once the current stop has arrived (camera landed, data drawn,
 * map idle); it drops when the tour moves on.
 */
import type { Lang } from '../i18n/lang.ts'
import type { PageHooks } from '../page/hooks.ts'
import type { StopLevel } from './stops.ts'

export interface ShownField {
  text: string
  value: string
}

export interface TourHooks extends PageHooks {
  /** current stop, 0-based */
  step: number
  steps: number
  code: string | null
  level: StopLevel | null
  paused: boolean
  /** completed loops through all stops */
  loops: number
  /** URL parameters that were ignored or clamped */
  problems: string[]
  stops: Array<{ code: string | null; level: StopLevel }>
  /** every `data-field` on screen: its text and the value it was made from */
  shown(): Record<string, ShownField>
  /** the API requests behind the current stop's coverage and gap figures, so a test can ask the same */
  queries: { coverage: string[]; gaps: string[] }
  /** hexagons / columns / stations handed to deck.gl for this stop */
  drawn: { cells: number; columns: number; stations: number }
  cacheSize(): number
  /** hold / release the tour (what Space does), so a test can read a stop without racing its dwell */
  pause(): void
  resume(): void
}

/** The tour's hooks before anything loaded (published by the page skeleton, ../page/hooks.ts). */
export function tourHooks(lang: Lang, problems: string[]): TourHooks {
  return {
    idle: false,
    step: -1,
    steps: 0,
    code: null,
    level: null,
    paused: false,
    loops: 0,
    lang,
    error: null,
    problems,
    stops: [],
    queries: { coverage: [], gaps: [] },
    drawn: { cells: 0, columns: 0, stations: 0 },
    shown: () => {
      const out: Record<string, ShownField> = {}
      for (const el of document.querySelectorAll<HTMLElement>('[data-field]')) {
        out[el.dataset.field!] = { text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(), value: el.dataset.value ?? '' }
      }
      return out
    },
    cacheSize: () => 0,
    pause: () => {},
    resume: () => {},
  }
}
