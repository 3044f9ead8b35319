// End-to-end: signing in to the agent console in a real Chromium against the real stack
// (console-env.ts): a local account, the network dropping and coming back, wrong passwords and the
// lock-out, and a supervisor through SSO at a real OpenID provider.
import { describe, expect, it } from 'vitest';
import { useConsoleEnv } from './console-env.js';

describe('agent console', () => {
  const c = useConsoleEnv('console-sign-in');

  it('signs an agent in with a local account', async () => {
    await c.agentPage.goto(`${c.server.url}/console/`);
    await c.agentPage.fill('input[name=username]', 'xiaowang');
    await c.agentPage.fill('input[name=password]', 'xiaowang-pass-1');
    await c.agentPage.click('button[type=submit]');
    await c.agentPage.waitForSelector('.workbench');
    expect(await c.agentPage.locator('.me').textContent()).toBe('小王');
  });

  it('says at once when the network drops, and reconnects as soon as it is back', async () => {
    const banner = c.agentPage.locator('.banner');
    await expect.poll(() => banner.count(), { timeout: 15_000 }).toBe(0);
    // Only the browser goes offline (the socket is not cut): the offline event tells the client, not the
    // MQTT keepalive 30 s or more later.
    await c.agentContext.setOffline(true);
    await expect.poll(() => banner.innerText().catch(() => ''), { timeout: 15_000 }).toContain('重连');
    await new Promise((r) => setTimeout(r, 3_000));
    await c.agentContext.setOffline(false);
    await expect.poll(() => banner.count(), { timeout: 15_000 }).toBe(0);
  });

  it('refuses a wrong password with a visible error', async () => {
    const p = await c.browser.newPage();
    await p.goto(`${c.server.url}/console/`);
    await p.fill('input[name=username]', 'xiaowang');
    await p.fill('input[name=password]', 'wrong-password');
    await p.click('button[type=submit]');
    await expect.poll(() => p.locator('[role=alert]').textContent()).toBe('用户名或密码错误');
    // Five wrong passwords lock the account (server: any client address, any instance); the console says
    // so in Chinese, never with the server's English text.
    await p.fill('input[name=username]', 'nobody-here');
    const answers: number[] = [];
    for (let i = 0; i < 6; i++) {
      await p.fill('input[name=password]', `wrong-${String(i)}`);
      const [answer] = await Promise.all([
        p.waitForResponse((r) => r.url().endsWith('/api/v1/agent/sessions')),
        p.click('button[type=submit]'),
      ]);
      answers.push(answer.status());
    }
    expect(answers).toEqual([401, 401, 401, 401, 401, 429]);
    await expect
      .poll(() => p.locator('[role=alert]').textContent())
      .toBe('密码错误次数过多，账户已暂时锁定，请稍后再试');
    await p.close();
  });

  it('signs a supervisor in through SSO (authorization code + PKCE at a real OpenID provider)', async () => {
    c.idp.signInAs('sso-laozhang');
    await c.superPage.goto(`${c.server.url}/console/`);
    await c.superPage.click('a.sso');
    await c.superPage.waitForSelector('.workbench', { timeout: 20_000 });
    expect(await c.superPage.locator('.me').textContent()).toBe('老张');
    expect(c.superPage.url()).not.toContain('sso=');
  });

  it('had no uncaught errors in either page', () => {
    expect(c.pageErrors).toEqual([]);
  });
});
