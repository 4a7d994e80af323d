/**
 * Undo for the plan: a bounded stack of earlier states. States are immutable values (the edit
 * functions return new objects), so keeping them costs only references.
 */
export class History<T> {
  private past: T[] = []

  constructor(private readonly limit = 100) {}

  /** Remember `state` as the one to go back to. */
  push(state: T): void {
    this.past.push(state)
    if (this.past.length > this.limit) this.past.shift()
  }

  /** The latest remembered state (removed from the stack), or undefined when there is none. */
  undo(): T | undefined {
    return this.past.pop()
  }

  get size(): number {
    return this.past.length
  }

  clear(): void {
    this.past = []
  }
}
