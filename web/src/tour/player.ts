/**
 * The tour's clock: shows stop after stop, waits `dwell` once a stop has arrived, loops forever.
 * Holds at most one timer; every jump cancels it and bumps a token so a stop that is still
 * loading when the presenter moves on never schedules anything.
 */
export interface PlayerState {
  index: number
  paused: boolean
  loops: number
  /** ms left of the current dwell (when paused), or the dwell just started */
  dwellMs: number
  /** true while the current stop waits out its dwell */
  dwelling: boolean
}

export interface PlayerOptions {
  count: number
  dwellMs: number
  /** shows stop `i`; resolves when it has arrived. `current()` turns false once the player has moved on. */
  show(i: number, current: () => boolean): Promise<void>
  onChange(state: PlayerState): void
}

export class Player {
  index = -1
  paused = false
  loops = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private token = 0
  private dueAt = 0
  private remaining = 0
  private arrived = false

  constructor(private readonly o: PlayerOptions) {}

  go(i: number): void {
    const n = this.o.count
    const next = ((i % n) + n) % n
    this.clear()
    const token = ++this.token
    this.index = next
    this.arrived = false
    this.remaining = this.o.dwellMs
    this.emit()
    const current = () => token === this.token
    this.o
      .show(next, current)
      .catch((e: unknown) => console.error(e))
      .finally(() => {
        if (!current()) return
        this.arrived = true
        if (!this.paused) this.schedule(this.o.dwellMs)
        else this.emit()
      })
  }

  next(): void {
    this.go(this.index + 1)
  }
  prev(): void {
    this.go(this.index - 1)
  }

  pause(): void {
    if (this.paused) return
    this.paused = true
    if (this.timer) this.remaining = Math.max(0, this.dueAt - Date.now())
    this.clear()
    this.emit()
  }
  resume(): void {
    if (!this.paused) return
    this.paused = false
    if (this.arrived) this.schedule(this.remaining || this.o.dwellMs)
    else this.emit()
  }
  toggle(): void {
    if (this.paused) this.resume()
    else this.pause()
  }

  /** Stops for good (page unload). */
  stop(): void {
    this.clear()
    this.token++
  }

  private schedule(ms: number): void {
    this.clear()
    this.remaining = ms
    this.dueAt = Date.now() + ms
    this.timer = setTimeout(() => {
      this.timer = null
      if (this.index === this.o.count - 1) this.loops++
      this.next()
    }, ms)
    this.emit()
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private emit(): void {
    this.o.onChange({ index: this.index, paused: this.paused, loops: this.loops, dwellMs: this.remaining, dwelling: this.timer !== null })
  }
}
