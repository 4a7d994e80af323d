import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'

/** A loopback port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => ok(port))
    })
  })
}

export interface ServerProcess {
  base: string
  child: ChildProcess
  /** everything it printed so far */
  log(): string
}

/**
 * Starts the real server (api/src/server.ts) as its own process on a free port and resolves once it
 * prints "listening on" (and `waitFor`, when given, e.g. "demand layers ready").
 */
export async function startServerProcess(env: NodeJS.ProcessEnv, args: string[] = [], waitFor?: string): Promise<ServerProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/server.ts', ...args], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  await new Promise<void>((ok, fail) => {
    const on = (b: Buffer) => {
      log += b.toString()
      if (log.includes('listening on') && (!waitFor || log.includes(waitFor))) ok()
    }
    child.stdout!.on('data', on)
    child.stderr!.on('data', on)
    child.once('exit', (code) => fail(new Error(`server exited ${code}:\n${log}`)))
  })
  return { base: `http://127.0.0.1:${port}`, child, log: () => log }
}

/** Sends `signal` and resolves once the process has gone. */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((ok) => {
    if (child.exitCode !== null || child.signalCode !== null) return ok()
    child.once('exit', () => ok())
    child.kill(signal)
  })
}
