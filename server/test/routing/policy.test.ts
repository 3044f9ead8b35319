import { describe, expect, it } from 'vitest';
import type { Group } from '../../src/repository/group-repository.js';
import { localTime, onDuty, validTimeZone } from '../../src/service/routing/business-hours.js';
import {
  MAX_OVERFLOW_LEVELS,
  meets,
  overflow,
  resolveRoutes,
  ruleMatches,
  type RouteFacts,
  type TargetState,
} from '../../src/service/routing/policy.js';
import {
  DEFAULT_ROUTING,
  routingFromStored,
  routingToStored,
  type RouteTarget,
  type RoutingConfig,
} from '../../src/service/routing/settings.js';

const facts = (over: Partial<RouteFacts> = {}): RouteFacts => ({
  channel: 'web',
  regions: () => [],
  ...over,
});

describe('business hours', () => {
  const weekdays = {
    timezone: 'Asia/Shanghai',
    windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }],
  };
  it('reads the local weekday and minute in the group time zone', () => {
    // 2026-11-24 01:30 UTC is Tuesday 09:30 in Shanghai, Monday 17:30 in Los Angeles.
    const at = new Date('2026-11-24T01:30:00Z');
    expect(localTime(at, 'Asia/Shanghai')).toEqual({ day: 2, minute: 9 * 60 + 30 });
    expect(localTime(at, 'America/Los_Angeles')).toEqual({ day: 1, minute: 17 * 60 + 30 });
  });
  it('is on duty inside a window, off duty outside, at the edges start inclusive and end exclusive', () => {
    expect(onDuty(weekdays, new Date('2026-11-24T01:30:00Z'))).toBe(true); // Tue 09:30
    expect(onDuty(weekdays, new Date('2026-11-24T00:59:00Z'))).toBe(false); // Tue 08:59
    expect(onDuty(weekdays, new Date('2026-11-24T01:00:00Z'))).toBe(true); // Tue 09:00
    expect(onDuty(weekdays, new Date('2026-11-24T10:00:00Z'))).toBe(false); // Tue 18:00
    expect(onDuty(weekdays, new Date('2026-11-22T03:00:00Z'))).toBe(false); // Sun 11:00
  });
  it('runs a window past midnight into the next day', () => {
    const night = { timezone: 'Asia/Shanghai', windows: [{ days: [5], start: '22:00', end: '02:00' }] };
    expect(onDuty(night, new Date('2026-11-27T14:30:00Z'))).toBe(true); // Fri 22:30
    expect(onDuty(night, new Date('2026-11-27T17:30:00Z'))).toBe(true); // Sat 01:30
    expect(onDuty(night, new Date('2026-11-27T18:30:00Z'))).toBe(false); // Sat 02:30
    expect(onDuty(night, new Date('2026-11-26T17:30:00Z'))).toBe(false); // Fri 01:30 (Thu not listed)
  });
  it('is always on duty without hours, and knows real time zones only', () => {
    expect(onDuty(undefined, new Date())).toBe(true);
    expect(onDuty({ timezone: 'UTC', windows: [] }, new Date())).toBe(true);
    expect(validTimeZone('Asia/Shanghai')).toBe(true);
    expect(validTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('smart routing rules', () => {
  const rule = (match: RoutingConfig['rules'][number]['match']) => ({
    name: 'r',
    match,
    target: { groupId: 'g' },
  });
  it('needs every condition given; lists match on any entry', () => {
    expect(ruleMatches(rule({ channels: ['miniprogram'] }), facts({ channel: 'miniprogram' }))).toBe(true);
    expect(ruleMatches(rule({ channels: ['miniprogram'] }), facts())).toBe(false);
    expect(ruleMatches(rule({ minLevel: 3 }), facts({ level: 3 }))).toBe(true);
    expect(ruleMatches(rule({ minLevel: 3 }), facts({ level: 2 }))).toBe(false);
    expect(ruleMatches(rule({ vip: true }), facts({ vip: true }))).toBe(true);
    expect(ruleMatches(rule({ vip: true }), facts())).toBe(false);
    expect(ruleMatches(rule({ vip: false }), facts())).toBe(true);
    expect(ruleMatches(rule({ tags: ['a', '大客户'] }), facts({ tags: ['大客户'] }))).toBe(true);
    expect(ruleMatches(rule({ tags: ['a'] }), facts({ tags: ['b'] }))).toBe(false);
    expect(ruleMatches(rule({ entryUrlContains: '/order' }), facts({ entryUrl: 'https://m/order/1' }))).toBe(
      true,
    );
    expect(ruleMatches(rule({ entryUrlContains: '/order' }), facts({ entryUrl: 'https://m/' }))).toBe(false);
    expect(
      ruleMatches(rule({ regions: ['广东省'] }), facts({ regions: () => ['中国', '广东省', '深圳市'] })),
    ).toBe(true);
    expect(ruleMatches(rule({ regions: ['广东省'] }), facts({ regions: () => ['中国', '江苏省'] }))).toBe(
      false,
    );
    expect(ruleMatches(rule({ vip: true, minLevel: 5 }), facts({ vip: true, level: 4 }))).toBe(false);
  });
  it('looks the region up only when a rule asks for it', () => {
    let lookups = 0;
    const f = facts({
      regions: () => {
        lookups += 1;
        return [];
      },
    });
    ruleMatches(rule({ channels: ['web'] }), f);
    expect(lookups).toBe(0);
    ruleMatches(rule({ regions: ['x'] }), f);
    expect(lookups).toBe(1);
  });
});

describe('routes', () => {
  const config: RoutingConfig = {
    ...DEFAULT_ROUTING,
    defaultGroupId: 'g_default',
    rules: [
      { name: 'vip', match: { vip: true }, target: { groupId: 'g_vip' } },
      { name: 'vip2', match: { vip: true }, target: { groupId: 'g_never' } },
    ],
  };
  it('tries designation, then the last agent, then the first matching rule', () => {
    expect(resolveRoutes(config, facts({ vip: true }), { agentUid: 'a1', strict: false }, 'a_last')).toEqual([
      { target: { agentUid: 'a1' }, strict: false, via: 'designated' },
      { target: { agentUid: 'a_last' }, strict: false, via: 'last_agent' },
      { target: { groupId: 'g_vip' }, strict: true, via: 'rule', rule: 'vip' },
    ]);
  });
  it('a strict designation is the only route; no rule matching goes to the default group', () => {
    expect(resolveRoutes(config, facts({ vip: true }), { groupId: 'g1', strict: true }, 'a_last')).toEqual([
      { target: { groupId: 'g1' }, strict: true, via: 'designated' },
    ]);
    expect(resolveRoutes(config, facts(), { strict: false }, undefined)).toEqual([
      { target: { groupId: 'g_default' }, strict: true, via: 'default' },
    ]);
    expect(resolveRoutes(DEFAULT_ROUTING, facts(), { strict: false }, undefined)).toEqual([
      { target: {}, strict: true, via: 'default' },
    ]);
  });
});

describe('overflow chain', () => {
  const group = (id: string, overflowTo: Group['overflow']): Group => ({
    id,
    name: id,
    description: '',
    createdAt: new Date(0),
    overflow: overflowTo,
  });
  const states: Record<string, TargetState> = {
    'g:A': { online: 2, free: 0, onDuty: true }, // all busy
    'g:B': { online: 0, free: 0, onDuty: true }, // none online
    'g:C': { online: 1, free: 1, onDuty: false }, // off duty
    'g:D': { online: 1, free: 1, onDuty: true }, // fine
    'a:x': { online: 1, free: 0, onDuty: true },
  };
  const state = (t: RouteTarget) =>
    Promise.resolve(states[t.agentUid ? `a:${t.agentUid}` : `g:${t.groupId ?? ''}`] ?? states['g:D']!);

  it('knows its conditions', () => {
    expect(meets('all_busy', states['g:A']!)).toBe(true);
    expect(meets('none_online', states['g:A']!)).toBe(false);
    expect(meets('none_online', states['g:B']!)).toBe(true);
    expect(meets('all_busy', states['g:B']!)).toBe(false);
    expect(meets('off_duty', states['g:C']!)).toBe(true);
    expect(meets('off_duty', states['g:D']!)).toBe(false);
  });

  it('follows each level while its condition holds on the target reached, at most three', async () => {
    const groups = new Map([
      [
        'A',
        group('A', [
          { when: 'all_busy', to: { groupId: 'B' } },
          { when: 'none_online', to: { groupId: 'C' } },
          { when: 'off_duty', to: { agentUid: 'x' } },
          { when: 'all_busy', to: { groupId: 'D' } }, // a 4th level never applies
        ]),
      ],
    ]);
    expect(await overflow({ groupId: 'A' }, groups, state)).toEqual({ target: { agentUid: 'x' }, levels: 3 });
    expect(MAX_OVERFLOW_LEVELS).toBe(3);
  });

  it('stops at the first level whose condition does not hold, and at a target already visited', async () => {
    const groups = new Map([
      [
        'A',
        group('A', [
          { when: 'none_online', to: { groupId: 'B' } }, // A is busy, not empty: stays in A
        ]),
      ],
      ['B', group('B', [{ when: 'none_online', to: { groupId: 'A' } }])],
    ]);
    expect(await overflow({ groupId: 'A' }, groups, state)).toEqual({ target: { groupId: 'A' }, levels: 0 });
    const loop = new Map([
      [
        'A',
        group('A', [
          { when: 'all_busy', to: { groupId: 'B' } },
          { when: 'none_online', to: { groupId: 'A' } },
        ]),
      ],
    ]);
    expect(await overflow({ groupId: 'A' }, loop, state)).toEqual({ target: { groupId: 'B' }, levels: 1 });
    // Agents and "everyone" have no chain.
    expect(await overflow({ agentUid: 'x' }, groups, state)).toEqual({
      target: { agentUid: 'x' },
      levels: 0,
    });
  });
});

describe('stored routing settings', () => {
  it('round-trip, and fall back to defaults for missing or malformed values', () => {
    const config: RoutingConfig = {
      ...DEFAULT_ROUTING,
      mode: 'longest_idle',
      rules: [{ name: 'r', match: { tags: ['t'], minLevel: 2 }, target: { agentUid: 'a1' } }],
      queueTimeout: { remindAfterS: 60, actAfterS: 120 },
      texts: { greeting: 'hi' },
    };
    expect(routingFromStored(routingToStored(config))).toEqual({
      ...config,
      rules: [
        {
          name: 'r',
          match: {
            channels: undefined,
            minLevel: 2,
            vip: undefined,
            tags: ['t'],
            regions: undefined,
            entryUrlContains: undefined,
          },
          target: { groupId: undefined, agentUid: 'a1' },
        },
      ],
    });
    expect(routingFromStored(null)).toEqual(DEFAULT_ROUTING);
    expect(
      routingFromStored({ mode: 'fastest', reception_mode: 7, max_queue_length: -3, texts: { nope: 'x' } }),
    ).toEqual(DEFAULT_ROUTING);
  });
});
