import { describe, expect, it } from 'vitest';
import { rankCandidates, type Candidate } from '../../src/service/routing/allocation.js';

const at = (minute: number): Date => new Date(Date.UTC(2026, 0, 1, 0, minute));
const agent = (
  uid: string,
  open: number,
  limit: number,
  created: number,
  lastAssigned?: number,
): Candidate => ({
  uid,
  open,
  limit,
  createdAt: at(created),
  lastAssignedAt: lastAssigned === undefined ? undefined : at(lastAssigned),
});
const uids = (list: Candidate[]): string[] => list.map((c) => c.uid);

describe('allocation modes', () => {
  const team = [
    agent('a', 2, 4, 3), // 0.5
    agent('b', 1, 5, 1), // 0.2
    agent('c', 3, 3, 2), // full
    agent('d', 1, 5, 4), // 0.2
    agent('e', 0, 0, 0), // limit 0: never
  ];

  it('saturation: lowest open ÷ limit first, full agents and zero limits left out, ties in random order', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const ranked = uids(rankCandidates('saturation', team));
      expect(ranked.slice(2)).toEqual(['a']);
      expect([...ranked.slice(0, 2)].sort()).toEqual(['b', 'd']);
      seen.add(ranked[0] ?? '');
    }
    // Both tied agents come first sometimes (random tie-break); a given random source decides it.
    expect(seen).toEqual(new Set(['b', 'd']));
    const fixed = () => uids(rankCandidates('saturation', team, { random: () => 0.5 }));
    expect(fixed()).toEqual(fixed());
  });

  it('round-robin: by account creation, continuing after the last agent assigned, wrapping round', () => {
    expect(uids(rankCandidates('round_robin', team))).toEqual(['b', 'a', 'd']);
    const mark = (uid: string, created: number) => ({ uid, createdAtMs: at(created).getTime() });
    expect(uids(rankCandidates('round_robin', team, { roundRobin: mark('b', 1) }))).toEqual(['a', 'd', 'b']);
    // The last one assigned is full now (c): the next after it in creation order.
    expect(uids(rankCandidates('round_robin', team, { roundRobin: mark('c', 2) }))).toEqual(['a', 'd', 'b']);
    expect(uids(rankCandidates('round_robin', team, { roundRobin: mark('d', 4) }))).toEqual(['b', 'a', 'd']);
    // Same creation time: by uid.
    const twins = [agent('y', 0, 1, 5), agent('x', 0, 1, 5)];
    expect(uids(rankCandidates('round_robin', twins, { roundRobin: mark('x', 5) }))).toEqual(['y', 'x']);
  });

  it('longest-idle: never assigned first, then the oldest last assignment', () => {
    const idle = [
      agent('a', 0, 2, 3, 30),
      agent('b', 1, 2, 1, 10),
      agent('c', 0, 2, 2),
      agent('d', 0, 2, 0, 20),
    ];
    expect(uids(rankCandidates('longest_idle', idle))).toEqual(['c', 'b', 'd', 'a']);
  });
});
