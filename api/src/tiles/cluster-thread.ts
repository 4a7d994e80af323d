import { Worker } from 'node:worker_threads'
import type { ClusterInput, PackedClusterIndex } from './cluster-index.ts'
import type { ClusterReply, ClusterRequest } from './cluster-worker-loop.ts'

/**
 * One worker thread that builds cluster indexes (cluster-worker-loop.ts), so a rebuild after an edit
 * (≈ 4 s of CPU at 10^6 stations) never blocks the request thread. Points go in and the index comes
 * back as transferable typed arrays: moved, not copied, and no objects to clone on either side.
 * Started on first use; it keeps the process alive only while a build is pending; if it dies, the
 * builds in flight fail and the next one starts a new thread.
 */
export class ClusterThread {
  private worker: Worker | null = null
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (i: PackedClusterIndex) => void; reject: (e: Error) => void }>()

  /** Clusters the stations of `input` that pass its filter, in the thread. Its buffers are moved there: the caller must not use them again. */
  build(input: ClusterInput): Promise<PackedClusterIndex> {
    const worker = this.start()
    const id = this.nextId++
    return new Promise<PackedClusterIndex>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      worker.ref()
      const buffers = new Set([input.lon.buffer, input.lat.buffer, input.kind.buffer, input.status.buffer, input.kinds.buffer, input.statuses.buffer] as ArrayBuffer[])
      worker.postMessage({ id, input } satisfies ClusterRequest, [...buffers])
    })
  }

  private start(): Worker {
    if (this.worker) return this.worker
    // the entry registers tsx itself; the parent's loader flags (tsx, vitest) are not for it
    const worker = new Worker(new URL('./cluster-worker.mjs', import.meta.url), { execArgv: [] })
    worker.unref()
    worker.on('message', (m: ClusterReply) => {
      const p = this.pending.get(m.id)
      if (!p) return
      this.pending.delete(m.id)
      if (!this.pending.size) worker.unref()
      if ('error' in m) p.reject(new Error(`cluster index thread: ${m.error}`))
      else p.resolve(m.index)
    })
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = null
      for (const p of this.pending.values()) p.reject(err)
      this.pending.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`cluster index thread exited (code ${code})`)))
    this.worker = worker
    return worker
  }

  /** Stops the thread; pending builds fail. */
  async close(): Promise<void> {
    const w = this.worker
    this.worker = null
    if (w) await w.terminate()
  }
}
