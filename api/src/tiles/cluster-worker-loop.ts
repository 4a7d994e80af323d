/**
 * The cluster index thread: builds one PackedClusterIndex per message and moves it back. It runs at
 * a lower CPU priority than the request thread, so tile and API requests keep their core on a
 * 2-core machine while a 10^6-point index is built.
 */
import { parentPort } from 'node:worker_threads'
import { lowerThreadPriority } from '../work/thread-priority.ts'
import { buildClusterIndex, clusterIndexBuffers, selectPoints, type ClusterInput } from './cluster-index.ts'

export interface ClusterRequest {
  id: number
  input: ClusterInput
}
export type ClusterReply = { id: number; index: ReturnType<typeof buildClusterIndex> } | { id: number; error: string }

lowerThreadPriority()
parentPort!.on('message', ({ id, input }: ClusterRequest) => {
  let reply: ClusterReply
  try {
    const index = buildClusterIndex(selectPoints(input))
    parentPort!.postMessage({ id, index } satisfies ClusterReply, clusterIndexBuffers(index))
    return
  } catch (err) {
    reply = { id, error: err instanceof Error ? err.stack ?? err.message : String(err) }
  }
  parentPort!.postMessage(reply)
})
