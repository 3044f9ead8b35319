import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('config: OIDC_*', () => {
  it('is off without OIDC_ISSUER', () => {
    expect(loadConfig({}).oidc).toBeUndefined();
  });

  it('parses the SSO variables with their defaults', () => {
    const config = loadConfig({ OIDC_ISSUER: 'https://idp.example.com/realms/kefu', OIDC_CLIENT_ID: 'kefu' });
    expect(config.oidc).toEqual({
      issuer: 'https://idp.example.com/realms/kefu',
      clientId: 'kefu',
      clientSecret: undefined,
      redirectUri: undefined,
      scopes: 'openid email profile',
      name: 'SSO',
      autoProvision: false,
    });
  });

  it('refuses a missing client id, scopes without openid, and http:// in production', () => {
    expect(() => loadConfig({ OIDC_ISSUER: 'https://idp.example.com' })).toThrow(/OIDC_CLIENT_ID/);
    expect(() =>
      loadConfig({ OIDC_ISSUER: 'https://idp.example.com', OIDC_CLIENT_ID: 'k', OIDC_SCOPES: 'email' }),
    ).toThrow(ConfigError);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(32),
        IDENTITY_SECRET: 'y'.repeat(16),
        MONGODB_URI: 'mongodb://db/kefu',
        OIDC_ISSUER: 'http://idp.example.com',
        OIDC_CLIENT_ID: 'k',
      }),
    ).toThrow(/https:\/\/ when NODE_ENV=production/);
  });
});
