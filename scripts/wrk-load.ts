/**
 * Drives an HTTP endpoint with `wrk` (Debian package `wrk`): a C load generator whose one thread
 * keeps N connections busy with a few percent of a core. A load generator in Node on this 2-core
 * machine took most of a core from the server it measured (its own HTTP client, JSON and promises per
 * request), so its latencies were mostly its own; wrk leaves the server the CPU it would have.
 * Used by `npm run bench -- --part scale` and `npm run load-nearest`.
 */
import { execFile, execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const LUA = fileURLToPath(new URL('./nearest-paths.lua', import.meta.url))

export interface WrkResult {
  requests: number
  /** non-2xx/3xx answers, socket errors and timeouts */
  errors: number
  reqPerS: number
  p50: number
  p99: number
}

export function wrkAvailable(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' })
    return true
  } catch (err) {
    // wrk --version prints its banner and exits 1
    return (err as { status?: number }).status === 1
  }
}

/** Writes the request paths for runWrk, one a line. */
export function writePaths(file: string, paths: string[]): void {
  writeFileSync(file, `${paths.join('\n')}\n`)
}

const MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 }
const ms = (text: string | undefined) => {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text ?? '')
  return m ? Number(m[1]) * MS[m[2]!]! : NaN
}

/** Parses wrk --latency output. */
export function parseWrk(out: string): WrkResult {
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN)
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0)
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  const socketErrors = socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0
  return {
    requests,
    errors: non2xx + socketErrors,
    reqPerS: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    p50: ms(/^\s+50%\s+(\S+)/m.exec(out)?.[1]),
    p99: ms(/^\s+99%\s+(\S+)/m.exec(out)?.[1]),
  }
}

/** `clients` connections for `seconds` against `base` + each path of `pathsFile` + `suffix`. */
export function runWrk(base: string, pathsFile: string, o: { clients: number; seconds: number; suffix?: string; identity?: boolean }): Promise<WrkResult> {
  const env = { ...process.env, WRK_PATHS: pathsFile, WRK_SUFFIX: o.suffix ?? '', ...(o.identity ? { WRK_IDENTITY: '1' } : {}) }
  return new Promise((resolve, reject) => {
    execFile('wrk', ['-t1', `-c${o.clients}`, `-d${o.seconds}s`, '--latency', '--timeout', '30s', '-s', LUA, base], { env }, (err, stdout, stderr) => {
      if (err) reject(new Error(`wrk failed: ${stderr || err.message}`))
      else resolve(parseWrk(stdout))
    })
  })
}
