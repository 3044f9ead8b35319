import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { serverMain, spawnServer } from './helpers.js';

describe('embedded mode (no MONGODB_URI, no MQTT_URL)', () => {
  let dataDir: string | undefined;
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('starts FerretDB under DATA_DIR and the Aedes broker, is ready, and stops them all on SIGTERM', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kefu-embedded-'));
    const { proc, url, exited } = await spawnServer(serverMain, {
      DATA_DIR: dataDir,
      MONGODB_URI: '',
      MQTT_URL: '',
    });
    expect(proc.output()).toContain('(embedded FerretDB)');

    const ready = (await (await fetch(`${url}/readyz`)).json()) as { status: string };
    expect(ready.status).toBe('ready');
    expect(existsSync(join(dataDir, 'ferretdb'))).toBe(true);

    // A browser gets a session over HTTP, then reaches the embedded broker over WebSocket on the HTTP port.
    const res = await fetch(`${url}/api/v1/sdk/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'visitor' }),
    });
    const grant = (await res.json()) as { token: string; mqtt: { url: string; username: string } };
    expect(grant.mqtt.url).toBe(`${url.replace('http', 'ws')}/mqtt`);
    await expect(mqtt.connectAsync(grant.mqtt.url, { reconnectPeriod: 0 })).rejects.toThrow(
      /Bad username or password/,
    );
    const client = await mqtt.connectAsync(grant.mqtt.url, {
      username: grant.mqtt.username,
      password: grant.token,
      reconnectPeriod: 0,
    });
    expect(client.connected).toBe(true);
    await client.endAsync();

    proc.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
