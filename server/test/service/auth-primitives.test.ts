import { describe, expect, it } from 'vitest';
import { createTopics } from '@kefu/proto';
import { UnauthenticatedError } from '../../src/errors.js';
import { canonicalIdentity, signIdentity, verifyIdentity } from '../../src/service/auth/identity.js';
import { hashPassword, verifyPassword } from '../../src/service/auth/password.js';
import { aclAllows, aclFor, TokenService, type Principal } from '../../src/service/auth/tokens.js';

const secret = 'mall-shared-secret-0123456789';
const now = 1_800_000_000;

describe('customer identity signature', () => {
  const identity = { user_id: '10086', name: '张三', phone: '13800000000', level: 3, ts: now };

  it('signs the documented canonical string', () => {
    expect(canonicalIdentity(identity)).toBe('10086\n张三\n13800000000\n3\n1800000000');
    expect(canonicalIdentity({ user_id: 'x', ts: 5 })).toBe('x\n\n\n\n5');
    expect(signIdentity(secret, identity)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts a fresh, correct signature', () => {
    expect(() => {
      verifyIdentity(secret, identity, signIdentity(secret, identity), 300, now + 10);
    }).not.toThrow();
  });

  it.each([
    ['another secret', () => signIdentity('another-secret-xxxxxxx', identity)],
    ['a changed field', () => signIdentity(secret, { ...identity, level: 9 })],
    ['not hex', () => 'zz'.repeat(32)],
    ['too short', () => 'abcd'],
    ['empty', () => ''],
  ])('refuses a signature made with %s', (_what, make) => {
    expect(() => {
      verifyIdentity(secret, identity, make(), 300, now);
    }).toThrow(UnauthenticatedError);
  });

  it('refuses a stale or future timestamp', () => {
    const sig = signIdentity(secret, identity);
    expect(() => {
      verifyIdentity(secret, identity, sig, 300, now + 301);
    }).toThrow(/expired/);
    expect(() => {
      verifyIdentity(secret, identity, sig, 300, now - 301);
    }).toThrow(/expired/);
  });
});

describe('password hashing (scrypt)', () => {
  it('verifies the right password only, with a random salt each time', async () => {
    const a = await hashPassword('s3cret-密码');
    const b = await hashPassword('s3cret-密码');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('s3cret-密码', a)).toBe(true);
    expect(await verifyPassword('s3cret-密码 ', a)).toBe(false);
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
  });
});

describe('tokens and ACL', () => {
  const topics = createTopics('kefu');
  const tokens = new TokenService('x'.repeat(40), topics, 600, 3600);
  const customer: Principal = { uid: 'u_1', role: 'customer', kind: 'customer', perms: [], sid: 's_1' };

  it('grants a customer exactly its own up, presence and down topics', () => {
    expect(aclFor(topics, customer)).toEqual([
      { permission: 'allow', action: 'publish', topic: 'eq kefu/up/c/u_1' },
      { permission: 'allow', action: 'publish', topic: 'eq kefu/presence/c/u_1' },
      { permission: 'allow', action: 'subscribe', topic: 'eq kefu/down/c/u_1' },
    ]);
    const acl = aclFor(topics, customer);
    expect(aclAllows(acl, 'publish', 'kefu/up/c/u_1')).toBe(true);
    expect(aclAllows(acl, 'subscribe', 'kefu/down/c/u_1')).toBe(true);
    expect(aclAllows(acl, 'subscribe', 'kefu/up/c/u_1')).toBe(false);
    expect(aclAllows(acl, 'publish', 'kefu/up/c/u_2')).toBe(false);
    expect(aclAllows(acl, 'subscribe', 'kefu/down/c/#')).toBe(false);
    expect(aclAllows(acl, 'subscribe', '#')).toBe(false);
    expect(aclAllows([{ permission: 'allow', action: 'all', topic: 'kefu/#' }], 'publish', 'kefu/x')).toBe(
      false,
    );
  });

  it('issues an access token carrying the EMQX claims, and verifies it', async () => {
    const { token, expiresAt } = await tokens.issueAccess(customer);
    const claims = await tokens.verifyAccess(token);
    expect(claims.uid).toBe('u_1');
    expect(claims.exp).toBe(expiresAt);
    expect(claims.acl).toEqual(aclFor(topics, customer));
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(payload).toMatchObject({ sub: 'u_1', iss: 'kefu', typ: 'access' });
    expect(typeof payload['exp']).toBe('number');
  });

  it('refuses expired, forged, tampered and wrong-type tokens', async () => {
    const expired = await tokens.issueAccess(customer, Math.floor(Date.now() / 1000) - 3600);
    await expect(tokens.verifyAccess(expired.token)).rejects.toThrow(/expired/);
    const forged = await new TokenService('y'.repeat(40), topics, 600, 3600).issueAccess(customer);
    await expect(tokens.verifyAccess(forged.token)).rejects.toThrow(/invalid/);
    const good = await tokens.issueAccess(customer);
    const [h, p, s] = good.token.split('.');
    const tampered = Buffer.from(p!, 'base64url').toString().replace('u_1', 'u_2');
    await expect(
      tokens.verifyAccess(`${h!}.${Buffer.from(tampered).toString('base64url')}.${s!}`),
    ).rejects.toThrow(/invalid/);
    const refresh = await tokens.issueRefresh(customer);
    await expect(tokens.verifyAccess(refresh.token)).rejects.toThrow(/Not an access token/);
    await expect(tokens.verifyRefresh(good.token)).rejects.toThrow(/Not a refresh token/);
    await expect(tokens.verifyAccess('garbage')).rejects.toThrow(UnauthenticatedError);
  });
});
