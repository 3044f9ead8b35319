import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const urls = {
  MALL_PRODUCT_URL: 'https://mall.example.com/api/products/{id}',
  MALL_ORDERS_URL: 'https://mall.example.com/api/users/{user_id}/orders?limit={limit}',
  MALL_ORDER_URL: 'https://mall.example.com/api/users/{user_id}/orders/{order_no}',
};

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('mall and leave-message configuration', () => {
  it('uses the demo mall and 5 messages per hour by default', () => {
    const config = loadConfig({});
    expect(config.mall).toBeUndefined();
    expect(config.leaveMessagesPerHour).toBe(5);
  });

  it('reads the mall API settings', () => {
    const config = loadConfig({
      ...urls,
      MALL_API_TOKEN: 'tok',
      MALL_TIMEOUT_MS: '1500',
      LEAVE_MESSAGES_PER_HOUR: '8',
    });
    expect(config.mall).toEqual({
      productUrl: urls.MALL_PRODUCT_URL,
      ordersUrl: urls.MALL_ORDERS_URL,
      orderUrl: urls.MALL_ORDER_URL,
      apiToken: 'tok',
      timeoutMs: 1500,
    });
    expect(config.leaveMessagesPerHour).toBe(8);
    expect(loadConfig(urls).mall?.timeoutMs).toBe(3000);
  });

  it('refuses a partial mall configuration, naming what is missing', () => {
    const message = configError({ MALL_PRODUCT_URL: urls.MALL_PRODUCT_URL });
    expect(message).toContain('MALL_ORDERS_URL: required when any MALL_* is set');
    expect(message).toContain('MALL_ORDER_URL: required when any MALL_* is set');
    expect(configError({ MALL_API_TOKEN: 'tok' })).toContain('MALL_PRODUCT_URL: required');
  });

  it.each([
    [{ ...urls, MALL_PRODUCT_URL: 'ftp://mall/{id}' }, 'MALL_PRODUCT_URL'],
    [{ ...urls, MALL_PRODUCT_URL: 'https://mall/api/products' }, 'must contain {id}'],
    [
      { ...urls, MALL_ORDER_URL: 'https://mall/api/users/{user_id}/orders' },
      'must contain {user_id} and {order_no}',
    ],
    [{ ...urls, MALL_ORDERS_URL: 'https://mall/api/orders' }, 'MALL_ORDERS_URL'],
    [{ ...urls, MALL_TIMEOUT_MS: '0' }, 'MALL_TIMEOUT_MS'],
    [{ ...urls, MALL_TIMEOUT_MS: 'soon' }, 'MALL_TIMEOUT_MS'],
    [{ LEAVE_MESSAGES_PER_HOUR: '0' }, 'LEAVE_MESSAGES_PER_HOUR'],
  ])('refuses bad settings %#', (env, expected) => {
    expect(configError(env)).toContain(expected);
  });
});
