import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { runFailingServer } from './helpers.js';

describe('loadConfig', () => {
  it('uses the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.host).toBe('127.0.0.1');
    expect(config.mongodbUri).toBeUndefined();
    expect(config.mqtt.url).toBeUndefined();
    expect(config.mqtt.topicPrefix).toBe('kefu');
    expect(config.mqtt.sharedGroup).toBe('kefu-server');
    expect(config.embeddedMqttPort).toBe(1883);
  });

  it('reads and converts set variables', () => {
    const config = loadConfig({
      PORT: '9000',
      MONGODB_URI: 'mongodb://db1:27017,db2:27017/kefu?replicaSet=rs0',
      MQTT_URL: 'ws://emqx:8083/mqtt',
      MQTT_USERNAME: 'server',
      SHUTDOWN_TIMEOUT_MS: '2500',
    });
    expect(config.port).toBe(9000);
    expect(config.mongodbUri).toBe('mongodb://db1:27017,db2:27017/kefu?replicaSet=rs0');
    expect(config.mqtt.url).toBe('ws://emqx:8083/mqtt');
    expect(config.mqtt.username).toBe('server');
    expect(config.shutdownTimeoutMs).toBe(2500);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', MONGODB_URI: '' }).port).toBe(8080);
    expect(loadConfig({ MONGODB_URI: '' }).mongodbUri).toBeUndefined();
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '1.5'],
    ['MONGODB_URI', 'http://localhost:27017'],
    ['MQTT_URL', 'localhost:1883'],
    ['LOG_LEVEL', 'loud'],
    ['MQTT_TOPIC_PREFIX', 'a/b'],
    ['NODE_ENV', 'staging'],
  ])('rejects %s=%s and names the variable', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(`${name}=${JSON.stringify(value)}`);
    expect((error as ConfigError).problems).toHaveLength(1);
  });

  it('lists every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT="x"[\s\S]*LOG_LEVEL="y"/);
  });

  it('parses TRUSTED_PROXIES (none by default) and names a bad entry', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    const config = loadConfig({ TRUSTED_PROXIES: ' 10.0.0.1, 172.16.0.0/12 ,loopback,fd00::/8,uniquelocal' });
    expect(config.trustedProxies).toEqual([
      '10.0.0.1',
      '172.16.0.0/12',
      'loopback',
      'fd00::/8',
      'uniquelocal',
    ]);
    for (const bad of ['nginx', '10.0.0.0/33', '10.0.0.1,*', '300.1.1.1']) {
      expect(() => loadConfig({ TRUSTED_PROXIES: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ TRUSTED_PROXIES: bad }), bad).toThrow(
        `TRUSTED_PROXIES=${JSON.stringify(bad)}`,
      );
    }
  });

  it('parses the EMQX management API (all three or none) and the upload idle timeout', () => {
    expect(loadConfig({}).mqtt.admin).toBeUndefined();
    const emqx = { EMQX_API_URL: 'http://emqx:18083', EMQX_API_KEY: 'key', EMQX_API_SECRET: 'secret' };
    expect(loadConfig(emqx).mqtt.admin).toEqual({
      url: 'http://emqx:18083',
      apiKey: 'key',
      apiSecret: 'secret',
    });
    expect(() => loadConfig({ EMQX_API_URL: 'http://emqx:18083' })).toThrow(
      /EMQX_API_KEY: required when any EMQX_API_\* is set/,
    );
    expect(() => loadConfig({ ...emqx, EMQX_API_URL: 'emqx:18083' })).toThrow(/EMQX_API_URL="emqx:18083"/);
    expect(loadConfig({}).uploads.idleTimeoutMs).toBe(30_000);
    expect(loadConfig({ UPLOAD_IDLE_TIMEOUT_MS: '1500' }).uploads.idleTimeoutMs).toBe(1_500);
    expect(() => loadConfig({ UPLOAD_IDLE_TIMEOUT_MS: '5' })).toThrow(/UPLOAD_IDLE_TIMEOUT_MS="5"/);
  });

  it('parses METRICS_TOKEN (unset by default, at least 16 characters)', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: 'metrics-token-0123456789' }).metricsToken).toBe(
      'metrics-token-0123456789',
    );
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(
      /METRICS_TOKEN="short": must be at least 16/,
    );
  });
});

describe('server start with a bad environment', () => {
  it('exits 1 with a message naming the variable, before starting anything', async () => {
    const { code, output } = await runFailingServer({
      PORT: 'eighty',
      MONGODB_URI: 'mongodb://127.0.0.1:1/x',
    });
    expect(code).toBe(1);
    expect(output).toContain('Invalid configuration');
    expect(output).toContain('PORT="eighty"');
    expect(output).not.toContain('Kefu is running');
  });
});
