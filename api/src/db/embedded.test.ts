import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { lockPathOf } from './data-dir-lock.ts'
import { DataDirUnreadableError, startEmbedded } from './embedded.ts'

const base = mkdtempSync(join(tmpdir(), 'atlas-embedded-'))
afterAll(() => rmSync(base, { recursive: true, force: true }))

describe('startEmbedded', () => {
  it('says where a damaged data directory is and how to restore it, and leaves no lock behind', async () => {
    const dataDir = join(base, 'damaged')
    mkdirSync(join(dataDir, 'global'), { recursive: true })
    writeFileSync(join(dataDir, 'PG_VERSION'), '18\n')
    writeFileSync(join(dataDir, 'global', 'pg_control'), Buffer.alloc(8192, 0xa5))
    const err = await startEmbedded(dataDir).then(() => null, (e: unknown) => e)
    expect(err).toBeInstanceOf(DataDirUnreadableError)
    expect((err as Error).message).toContain(`the embedded database in ${dataDir} cannot be opened`)
    expect((err as Error).message).toContain('npm run restore -- <backup .tar.gz>')
    expect(existsSync(lockPathOf(dataDir))).toBe(false)
  })
})
