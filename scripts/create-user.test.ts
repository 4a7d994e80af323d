import { describe, expect, it } from 'vitest'
import { parseCreateUserArgs } from './create-user.ts'

describe('create-user arguments', () => {
  it('reads an admin and an editor with regions', () => {
    expect(parseCreateUserArgs(['--admin', '--email', 'Root@Example.org'])).toEqual({ email: 'root@example.org', role: 'admin', regions: [] })
    expect(parseCreateUserArgs(['--email', 'e@example.org', '--regions', '370828, 361021'])).toEqual({ email: 'e@example.org', role: 'editor', regions: ['370828', '361021'] })
  })
  it('never takes a password from the command line, and names bad input', () => {
    expect(() => parseCreateUserArgs(['--email', 'e@example.org', '--password', 'hunter2hunter2'])).toThrow(/shell history/)
    expect(() => parseCreateUserArgs(['--email', 'nope'])).toThrow(/--email must be an e-mail address/)
    expect(() => parseCreateUserArgs(['--email', 'e@example.org', '--regions', '37'])).toThrow(/six-digit/)
  })
})
