/**
 * `npm run dev`: the API (restarting on change) on API_PORT and Vite's dev server, which proxies /api to it.
 */
import { spawn } from 'node:child_process'

const apiPort = process.env.API_PORT ?? '8787'
const children = [
  spawn('npx', ['tsx', 'watch', 'api/src/server.ts'], { stdio: 'inherit', env: { ...process.env, PORT: apiPort, HOST: '127.0.0.1' } }),
  spawn('npx', ['vite'], { stdio: 'inherit', env: { ...process.env, API_PORT: apiPort } }),
]
const stop = () => children.forEach((c) => c.kill('SIGTERM'))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
children.forEach((c) => c.on('exit', (code) => { stop(); process.exitCode = code ?? 0 }))
