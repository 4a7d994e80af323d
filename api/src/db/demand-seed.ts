import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { DemandManifest } from '../schemas/demand.ts'
import type { Sql } from './connect.ts'
import { replaceDemandLayer, storedLayerVersions } from './demand.ts'
import { fileSha256, readLayerFile } from './demand-files.ts'

/**
 * Loads the bundled layers listed in `manifestPath` (data/demand/layers.json): a layer that is missing,
 * or bundled and whose file's SHA-256 changed, is validated in full and then replaced in one
 * transaction. Layers a user loaded (origin 'user') are never overwritten.
 * `firstLoadInBatches`: a layer not stored at all is written batch by batch instead (replaceDemandLayer
 * `atomic: false`), for a server that answers other requests meanwhile and keeps demand readers waiting.
 */
export async function seedDemand(
  sql: Sql,
  manifestPath: string,
  log: (msg: string) => void = () => {},
  options: { firstLoadInBatches?: boolean } = {},
): Promise<void> {
  if (!existsSync(manifestPath)) return
  const manifest = DemandManifest.parse(JSON.parse(readFileSync(manifestPath, 'utf8')))
  const stored = await storedLayerVersions(sql)
  for (const { file, ...meta } of manifest) {
    const path = join(dirname(manifestPath), file)
    const current = stored.get(meta.id)
    if (current?.origin === 'user') continue
    const sha256 = fileSha256(path)
    if (current?.file_sha256 === sha256) continue
    const t0 = performance.now()
    const { items } = readLayerFile(path, meta)
    const atomic = !(options.firstLoadInBatches && current === undefined)
    const count = await replaceDemandLayer(sql, meta, items, { origin: 'bundled', fileSha256: sha256, atomic })
    log(`demand layer ${meta.id} loaded: ${count} items in ${Math.round(performance.now() - t0)} ms`)
  }
}
