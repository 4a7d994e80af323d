import { availableParallelism } from 'node:os'
import type { MessagePort } from 'node:worker_threads'
import Piscina from 'piscina'
import type { CoverageOutcome, CoverageTask, GapsOutcome, GapsTask, SitingOutcome, SitingTask, SpinTask, WorkTask } from './tasks.ts'
import type { ParsedImport, ParseImportTask } from '../import/parse-import.ts'
import type { ParseDemandResult, ParseDemandTask } from '../import/parse-demand.ts'
import type { BuildXlsxTask } from '../export/xlsx-writer.ts'

export interface WorkOptions {
  /** worker threads; default os.availableParallelism() − 1, at least 1 (one core stays with the request thread) */
  threads?: number
  /** wall-clock milliseconds one task may take, waiting in the queue included; default 30 000 */
  budgetMs?: number
}

export const DEFAULT_WORK_BUDGET_MS = 30_000

/** The task took longer than the budget (or could not even be queued): answer 503 with Retry-After. */
export class OverBudgetError extends Error {
  constructor(
    message: string,
    readonly retryAfterS: number,
  ) {
    super(message)
  }
}

/** The client closed the connection; the task was stopped and nobody waits for an answer. */
export class WorkCancelledError extends Error {}

type Outcome<T extends WorkTask> = T extends CoverageTask ? CoverageOutcome : T extends GapsTask ? GapsOutcome : T extends SitingTask ? SitingOutcome : T extends SpinTask ? number : T extends ParseImportTask ? ParsedImport : T extends BuildXlsxTask ? Uint8Array : T extends ParseDemandTask ? ParseDemandResult : never

/**
 * Heavy planning work (siting, gaps, large coverage) off the request thread, so a minutes-long
 * siting cannot stop /api/health or /api/nearest from answering. Each task runs under a time budget
 * and the request's abort signal: either one terminates the worker thread running it (piscina
 * replaces it), so the CPU stops too, not only the wait.
 */
export class WorkPool {
  readonly threads: number
  readonly budgetMs: number
  private pool: Piscina | null = null

  constructor(options: WorkOptions = {}) {
    this.threads = Math.max(1, Math.floor(options.threads ?? availableParallelism() - 1))
    this.budgetMs = options.budgetMs ?? DEFAULT_WORK_BUDGET_MS
    if (!(this.budgetMs > 0)) throw new RangeError(`the work budget must be > 0 ms, got ${options.budgetMs}`)
  }

  /** Started on first use: processes that never plan (most tests, scripts) start no threads. */
  private piscina(): Piscina {
    this.pool ??= new Piscina({
      filename: new URL('./worker.mjs', import.meta.url).href,
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: 60_000,
      // a few waiting tasks per thread; beyond that, queueing only turns into budget overruns
      maxQueue: this.threads * 4,
      // the worker registers tsx itself; the parent's loader flags (tsx, vitest) are not for it
      execArgv: [],
    })
    return this.pool
  }

  /** Runs `task` in a worker; rejects with OverBudgetError or WorkCancelledError as described above. */
  async run<T extends WorkTask>(task: T, signal?: AbortSignal): Promise<Outcome<T>> {
    const retryAfterS = Math.max(1, Math.ceil(this.budgetMs / 1000))
    const budget = AbortSignal.timeout(this.budgetMs)
    const both = signal ? AbortSignal.any([signal, budget]) : budget
    // the candidates are this request's own: move them; the packed demand is shared (cached), so it is copied
    const transferList: ArrayBuffer[] = task.task === 'siting' && task.candidates ? [task.candidates.buffer as ArrayBuffer] : []
    // a province's demand read for this request alone (planning-inputs.ts loadPlanningRun)
    if ((task.task === 'coverage' || task.task === 'gaps') && task.ownDemand) {
      const d = task.demand
      transferList.push(d.lon.buffer as ArrayBuffer, d.lat.buffer as ArrayBuffer, d.weight.buffer as ArrayBuffer, d.region.buffer as ArrayBuffer)
    }
    // an uploaded file is this request's own too
    if ((task.task === 'parse-import' || task.task === 'parse-demand') && task.bytes.byteOffset === 0 && task.bytes.byteLength === task.bytes.buffer.byteLength) transferList.push(task.bytes.buffer as ArrayBuffer)
    // a progress port goes to the thread (it posts on it; the request reads the other end)
    const ports: MessagePort[] = task.task === 'parse-import' && task.progress ? [task.progress] : []
    try {
      return (await this.piscina().run(task, { signal: both, transferList: [...transferList, ...ports] as never })) as Outcome<T>
    } catch (err) {
      if (signal?.aborted) throw new WorkCancelledError('the client closed the connection; the work was stopped')
      if (budget.aborted) throw new OverBudgetError(`the computation took longer than the work budget of ${this.budgetMs} ms (WORK_BUDGET_MS) and was stopped; ask for a county, a coarser resolution or fewer candidates, or retry later`, retryAfterS)
      if (err instanceof Error && /queue is at limit/i.test(err.message)) {
        throw new OverBudgetError(`the planning queue is full (${this.threads} worker thread(s) busy, ${this.pool?.queueSize ?? 0} waiting); retry later`, retryAfterS)
      }
      throw err
    }
  }

  /** Worker threads busy or starting right now, and tasks waiting (for tests and health checks). */
  get busy(): { running: number; queued: number } {
    if (!this.pool) return { running: 0, queued: 0 }
    return { running: this.pool.threads.length - this.pool.idleThreads, queued: this.pool.queueSize }
  }

  async close(): Promise<void> {
    const p = this.pool
    this.pool = null
    await p?.destroy()
  }
}
