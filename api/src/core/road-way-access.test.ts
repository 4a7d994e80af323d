import { describe, expect, it } from 'vitest'
import { wayAccess } from './road-way-access.ts'

const both = { foot: true, ebike_forward: true, ebike_backward: true }

describe('wayAccess', () => {
  it('keeps ordinary streets for both modes, both ways', () => {
    expect(wayAccess({ highway: 'residential' })).toEqual({ class: 'residential', ...both })
  })

  it('drops motorways for everyone and trunk roads for e-bikes, whatever the tags', () => {
    expect(wayAccess({ highway: 'motorway' })).toBeNull()
    expect(wayAccess({ highway: 'motorway_link', foot: 'yes', bicycle: 'yes' })).toBeNull()
    expect(wayAccess({ highway: 'trunk', bicycle: 'yes' })).toEqual({ class: 'trunk', foot: true, ebike_forward: false, ebike_backward: false })
    expect(wayAccess({ highway: 'trunk_link', foot: 'no' })).toBeNull()
  })

  it('binds e-bikes to oneway=yes / -1 / roundabouts, unless oneway:bicycle=no; walkers go both ways', () => {
    expect(wayAccess({ highway: 'residential', oneway: 'yes' })).toEqual({ class: 'residential', foot: true, ebike_forward: true, ebike_backward: false })
    expect(wayAccess({ highway: 'residential', oneway: '-1' })).toEqual({ class: 'residential', foot: true, ebike_forward: false, ebike_backward: true })
    expect(wayAccess({ highway: 'tertiary', junction: 'roundabout' })).toMatchObject({ ebike_forward: true, ebike_backward: false })
    expect(wayAccess({ highway: 'residential', oneway: 'yes', 'oneway:bicycle': 'no' })).toEqual({ class: 'residential', ...both })
    expect(wayAccess({ highway: 'residential', oneway: 'no', junction: 'roundabout' })).toEqual({ class: 'residential', ...both })
  })

  it('honours access, foot and bicycle tags, the specific one winning', () => {
    expect(wayAccess({ highway: 'service', access: 'private' })).toBeNull()
    expect(wayAccess({ highway: 'service', access: 'no', foot: 'yes' })).toEqual({ class: 'service', foot: true, ebike_forward: false, ebike_backward: false })
    expect(wayAccess({ highway: 'residential', bicycle: 'no' })).toMatchObject({ foot: true, ebike_forward: false })
    expect(wayAccess({ highway: 'residential', bicycle: 'dismount' })).toMatchObject({ foot: true, ebike_forward: false })
    expect(wayAccess({ highway: 'cycleway', foot: 'private' })).toEqual({ class: 'cycleway', foot: false, ebike_forward: true, ebike_backward: true })
    expect(wayAccess({ highway: 'residential', access: 'no', bicycle: 'yes', foot: 'no' })).toMatchObject({ foot: false, ebike_forward: true })
  })

  it('keeps footways, pedestrian streets and steps for walkers, for e-bikes only with bicycle=yes', () => {
    for (const highway of ['footway', 'pedestrian', 'steps']) {
      expect(wayAccess({ highway })).toEqual({ class: highway, foot: true, ebike_forward: false, ebike_backward: false })
      expect(wayAccess({ highway, bicycle: 'yes' })).toEqual({ class: highway, ...both })
    }
  })

  it('drops what is not a road: no highway, unknown classes, areas, construction', () => {
    for (const tags of [{}, { waterway: 'river' }, { highway: 'construction' }, { highway: 'proposed' }, { highway: 'pedestrian', area: 'yes' }, { highway: 'constructor' }]) {
      expect(wayAccess(tags)).toBeNull()
    }
  })
})
