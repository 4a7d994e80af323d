/**
 * Presenter keys, all optional (the tour runs with nobody at the keyboard): space pauses and
 * resumes, arrows and PageUp/PageDown (what a clicker sends) step, 0–9 jump to a stop,
 * ? shows the help, L switches the language, F toggles full screen.
 */
export interface KeyActions {
  toggle(): void
  next(): void
  prev(): void
  jump(i: number): void
  help(show?: boolean): void
  lang(): void
}

export function bindKeys(target: Document, a: KeyActions): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return
    const k = e.key
    if (k === ' ' || k === 'Spacebar') a.toggle()
    else if (k === 'ArrowRight' || k === 'ArrowDown' || k === 'PageDown') a.next()
    else if (k === 'ArrowLeft' || k === 'ArrowUp' || k === 'PageUp') a.prev()
    else if (/^[0-9]$/.test(k)) a.jump(Number(k))
    else if (k === '?' || k === 'h' || k === 'H') a.help()
    else if (k === 'Escape') a.help(false)
    else if (k === 'l' || k === 'L') a.lang()
    else if (k === 'f' || k === 'F') {
      if (document.fullscreenElement) void document.exitFullscreen()
      else void document.documentElement.requestFullscreen?.().catch(() => {})
    } else return
    e.preventDefault()
  }
  target.addEventListener('keydown', onKey)
  return () => target.removeEventListener('keydown', onKey)
}
