// Finding B: agent passwords could be guessed without limit per account (only per IP and instance).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '@kefu/tools/testing';
import { RateLimitedError } from '../../src/errors.js';
import { loginFailureModel } from '../../src/model/login-failure.js';
import { AgentRepository } from '../../src/repository/agent-repository.js';
import { LoginFailureRepository } from '../../src/repository/login-failure-repository.js';
import { LOCKOUT_POLICY, LoginThrottle, lockEnd } from '../../src/service/auth/login-throttle.js';
import { hashPassword } from '../../src/service/auth/password.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';

const MIN = 60_000;
const PASSWORD = 'right-pass-123';

describe('lockEnd (the schedule)', () => {
  const end = (offsetsMin: number[]) => lockEnd(offsetsMin.map((m) => m * MIN));

  it('locks from the 5th failure for 1 min, doubling per further failure, capped at 15 min', () => {
    expect(end([0, 0, 0, 0])).toBeUndefined();
    expect(end([0, 0, 0, 0, 0])).toBe(1 * MIN);
    expect(end([0, 0, 0, 0, 0, 1])).toBe(1 * MIN + 2 * MIN);
    expect(end([0, 0, 0, 0, 0, 1, 3])).toBe(3 * MIN + 4 * MIN);
    expect(end([0, 0, 0, 0, 0, 1, 3, 7])).toBe(7 * MIN + 8 * MIN);
    expect(end([0, 0, 0, 0, 0, 1, 3, 7, 15])).toBe(15 * MIN + 15 * MIN);
    expect(end([0, 0, 0, 0, 0, 1, 3, 7, 15, 30, 45, 60, 75])).toBe(75 * MIN + 15 * MIN);
  });

  it('ends a streak after 15 quiet minutes, counted from the end of its lock', () => {
    // Locked until 30; a failure within 15 min after that continues the streak, a later one starts anew.
    const streak = [0, 0, 0, 0, 0, 1, 3, 7, 15];
    expect(end([...streak, 44])).toBe(44 * MIN + 15 * MIN);
    expect(end([...streak, 46])).toBeUndefined();
    expect(end([0, 1, 2, 3, 20])).toBeUndefined();
  });
});

describe('agent sign-in lockout (per account, any address, any instance)', () => {
  let server: KefuServer;
  let other: KefuServer;
  const uri = testMongoUri('edge-lockout');
  const login = (s: KefuServer, username: string, password: string) =>
    fetch(`${s.url}/api/v1/agent/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  const failures = (username: string) =>
    loginFailureModel(server.db).countDocuments({ username: username.toLowerCase() });
  const newAgent = async (username: string) =>
    new AgentRepository(server.db).createAgent({
      uid: `a_${username}`,
      username,
      displayName: username,
      role: 'agent',
      passwordHash: await hashPassword(PASSWORD),
      maxConcurrent: 5,
      disabled: false,
      createdAt: new Date(),
    });
  const wrong = async (s: KefuServer, username: string, times: number) => {
    for (let i = 0; i < times; i++) expect((await login(s, username, 'wrong-guess')).status).toBe(401);
  };

  beforeAll(async () => {
    const env = { MONGODB_URI: uri, SESSION_REQUESTS_PER_IP_PER_MINUTE: '10000' };
    server = await startServer(testConfig(env), silentLogger);
    other = await startServer(testConfig(env), silentLogger);
  });
  afterAll(async () => {
    await server.stop();
    await other.stop();
  });

  it('locks after 5 failures: 429 with Retry-After, also for the right password', async () => {
    await newAgent('lily');
    await wrong(server, 'lily', 5);
    const res = await login(server, 'lily', PASSWORD);
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toMatch(/^Too many failed sign-ins for this account; try again in \d+ s$/);
    // A refused attempt is not counted: the lock does not grow while it lasts.
    expect(await failures('lily')).toBe(5);
  });

  it('answers an unknown username the same way (existence is not revealed)', async () => {
    await wrong(server, 'nobody-here', 5);
    const res = await login(server, 'nobody-here', PASSWORD);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /^Too many failed sign-ins for this account/,
    );
    // Case variants are the same account.
    expect((await login(server, 'NoBody-Here', PASSWORD)).status).toBe(429);
  });

  it('counts failures across instances and client addresses', async () => {
    await newAgent('mia');
    await wrong(server, 'mia', 3);
    await wrong(other, 'mia', 2);
    expect((await login(other, 'mia', PASSWORD)).status).toBe(429);
    // A forged X-Forwarded-For (or a real new address) does not reset an account's count.
    const res = await fetch(`${server.url}/api/v1/agent/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.50' },
      body: JSON.stringify({ username: 'mia', password: PASSWORD }),
    });
    expect(res.status).toBe(429);
  });

  it('clears the count on success; the lock ends with its time and the right password then works', async () => {
    await newAgent('nora');
    await wrong(server, 'nora', 4);
    expect((await login(server, 'nora', PASSWORD)).status).toBe(201);
    expect(await failures('nora')).toBe(0);
    await wrong(server, 'nora', 4);
    expect((await login(server, 'nora', PASSWORD)).status).toBe(201);
    await wrong(server, 'nora', 5);
    expect((await login(server, 'nora', PASSWORD)).status).toBe(429);
    // Two minutes later (the stored failures moved back): the 1-minute lock is over.
    const model = loginFailureModel(server.db);
    for (const doc of await model.find({ username: 'nora' }).lean()) {
      await model.updateOne({ _id: doc._id }, { $set: { at: new Date(doc.at.getTime() - 2 * MIN) } });
    }
    expect((await login(server, 'nora', PASSWORD)).status).toBe(201);
    expect(await failures('nora')).toBe(0);
  });

  it('20 concurrent wrong passwords leave the account locked (one document per failure)', async () => {
    await newAgent('olga');
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () => login(server, 'olga', 'wrong-guess').then((r) => r.status)),
    );
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect(await failures('olga')).toBe(statuses.filter((s) => s === 401).length);
    expect(await failures('olga')).toBeGreaterThanOrEqual(5);
    const res = await login(server, 'olga', PASSWORD);
    expect(res.status).toBe(429);
  });

  it('doubles the lock per further failure up to 15 min and deletes failures older than a day', async () => {
    let now = Date.now();
    const repo = new LoginFailureRepository(server.db);
    const throttle = new LoginThrottle(repo, LOCKOUT_POLICY, () => now);
    const lockedFor = async (): Promise<number> => {
      try {
        await throttle.assertNotLocked('Pat');
        return 0;
      } catch (err) {
        expect(err).toBeInstanceOf(RateLimitedError);
        return (err as RateLimitedError).retryAfterS;
      }
    };
    for (let i = 0; i < 5; i++) await throttle.recordFailure('pat');
    expect(await lockedFor()).toBe(60);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      now += (await lockedFor()) * 1000;
      expect(await lockedFor()).toBe(0);
      await throttle.recordFailure('pat');
      waits.push(await lockedFor());
    }
    expect(waits).toEqual([120, 240, 480, 900, 900]);
    now += 25 * 60 * MIN;
    expect(await lockedFor()).toBe(0);
    expect(await repo.listLoginFailures('pat')).toEqual([]);
  });
});
