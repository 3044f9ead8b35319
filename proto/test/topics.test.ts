import { describe, expect, it } from 'vitest';
import { createTopics, isValidUid } from '../src/topics.js';

describe('createTopics', () => {
  const topics = createTopics();

  it('builds the topic layout of DESIGN.md §2', () => {
    expect(topics.up('c', 'u123')).toBe('kefu/up/c/u123');
    expect(topics.down('a', 'agent-7')).toBe('kefu/down/a/agent-7');
    expect(topics.presence('c', 'v_9f')).toBe('kefu/presence/c/v_9f');
    expect(createTopics('mall').up('c', 'x')).toBe('mall/up/c/x');
  });

  it('subscribes the server plainly or through a shared group', () => {
    expect(topics.uplinkSubscription()).toBe('kefu/up/#');
    expect(topics.uplinkSubscription('kefu-server')).toBe('$share/kefu-server/kefu/up/#');
    expect(topics.presenceSubscription('g')).toBe('$share/g/kefu/presence/#');
  });

  it.each(['', 'a/b', 'a+b', '#', 'a\u0000b', 'x'.repeat(129)])('refuses the uid %j', (uid) => {
    expect(isValidUid(uid)).toBe(false);
    expect(() => topics.up('c', uid)).toThrow(/invalid uid/);
  });

  it('parses its own topics and nothing else', () => {
    expect(topics.parse('kefu/up/c/u123')).toEqual({ kind: 'up', role: 'c', uid: 'u123' });
    expect(topics.parse('kefu/presence/a/agent-7')).toEqual({ kind: 'presence', role: 'a', uid: 'agent-7' });
    for (const bad of [
      'other/up/c/u',
      'kefu/up/x/u',
      'kefu/side/c/u',
      'kefu/up/c',
      'kefu/up/c/u/extra',
      'kefu/up/c/+',
    ]) {
      expect(topics.parse(bad)).toBeNull();
    }
  });
});
