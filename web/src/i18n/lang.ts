/**
 * The language store: the one place every page reads and changes the language. `?lang=` wins for
 * this visit, then the remembered choice, then Chinese. Nothing is read until a page asks, so pure
 * modules (formatters, tests in node) can import what depends on it.
 */
export type Lang = 'zh' | 'en'
export const LANGS: readonly Lang[] = ['zh', 'en']

const STORAGE_KEY = 'atlas.lang'
let current: Lang | null = null
const listeners = new Set<(lang: Lang) => void>()

function fromUrl(): Lang | null {
  const param = new URLSearchParams(location.search).get('lang')
  return param === 'en' || param === 'zh' ? param : null
}

function remembered(): Lang | null {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : null
  } catch {
    return null // storage blocked (private mode, sandbox)
  }
}

/**
 * Starts a page in its language and sets `<html lang>`. `remembered: false` skips the saved choice
 * (the big screen speaks Chinese unless its URL says otherwise, whoever used the browser before).
 */
export function startLang({ remembered: useSaved = true } = {}): Lang {
  current = fromUrl() ?? (useSaved ? remembered() : null) ?? 'zh'
  applyLang(current)
  return current
}

export function getLang(): Lang {
  return (current ??= startLang())
}

/** Sets the language (and remembers it, unless told not to) and tells every listener to re-render. */
export function setLang(lang: Lang, { remember = true } = {}): void {
  current = lang
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, lang)
    } catch {
      /* not remembered, still applied */
    }
  }
  applyLang(lang)
  for (const fn of listeners) fn(lang)
}

/** The other language: what a page's switch button offers. */
export function otherLang(lang: Lang = getLang()): Lang {
  return lang === 'zh' ? 'en' : 'zh'
}

/** Calls `fn` after every language change; returns the unsubscribe. */
export function onLangChange(fn: (lang: Lang) => void): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

/** `?lang=en` for links to the other pages while English is on (Chinese is every page's default). */
export function langQuery(lang: Lang = getLang()): string {
  return lang === 'en' ? '?lang=en' : ''
}

function applyLang(lang: Lang): void {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en'
}
