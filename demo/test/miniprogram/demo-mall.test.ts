import { describe, expect, it } from 'vitest';
import {
  DEMO_MALL_URL,
  chatProduct,
  demoProduct,
  fetchIdentity,
  listDemoProducts,
  navigateAction,
  type RequestOptions,
} from '../../miniprogram-shared/demo-mall.js';

/** A wx.request stand-in that answers once, as the mini-program runtime would. */
function answer(result: { statusCode: number; data: unknown } | 'fail') {
  const calls: string[] = [];
  const request = (options: RequestOptions): void => {
    calls.push(options.url);
    if (result === 'fail') options.fail({ errMsg: 'request:fail' });
    else options.success(result);
  };
  return { request, calls };
}

describe('demo mini-programs: shared mall logic', () => {
  it('offers the mall catalog as <kefu-chat> products', () => {
    const products = listDemoProducts();
    expect(products.length).toBeGreaterThan(1);
    expect(demoProduct('p1001')).toMatchObject({
      id: 'p1001',
      image: `${DEMO_MALL_URL}/img/p1001.svg`,
      url: `${DEMO_MALL_URL}/products/p1001`,
      points: 1200,
      price_fen: 0,
      label: '1200 积分',
    });
    expect(demoProduct('nope')).toBeUndefined();
    expect(chatProduct('p1001')).toEqual({
      id: 'p1001',
      title: '咖啡电子兑换券（中杯拿铁）',
      image: `${DEMO_MALL_URL}/img/p1001.svg`,
      price_fen: 0,
      points: 1200,
      url: `${DEMO_MALL_URL}/products/p1001`,
    });
    expect(chatProduct(undefined)).toBeNull();
    expect(demoProduct(undefined)).toBeUndefined();
  });

  it('opens known products in the product page and copies other addresses', () => {
    expect(navigateAction({ kind: 'product', id: 'p1002', url: 'http://x/products/p1002' })).toEqual({
      type: 'page',
      url: '/pages/product/index?id=p1002',
    });
    expect(navigateAction({ kind: 'product', id: 'gone', url: 'http://x/p' })).toEqual({
      type: 'copy',
      text: 'http://x/p',
    });
    expect(navigateAction({ kind: 'order', id: 'o1', url: 'http://x/orders/o1' })).toEqual({
      type: 'copy',
      text: 'http://x/orders/o1',
    });
    expect(navigateAction({ kind: 'elsewhere', url: 'http://x' })).toBeUndefined();
    expect(navigateAction(null)).toBeUndefined();
  });

  it('fetches the signed identity, and is anonymous when the mall does not sign', async () => {
    const signed = { identity: { user_id: 'u1001', ts: 1 }, signature: 'ab' };
    const ok = answer({ statusCode: 200, data: signed });
    await expect(fetchIdentity(ok.request)).resolves.toEqual(signed);
    expect(ok.calls).toEqual([`${DEMO_MALL_URL}/api/kefu/identity`]);

    await expect(fetchIdentity(answer({ statusCode: 401, data: {} }).request)).resolves.toBeNull();
    await expect(fetchIdentity(answer({ statusCode: 200, data: 'nope' }).request)).resolves.toBeNull();
    await expect(fetchIdentity(answer('fail').request)).resolves.toBeNull();
  });
});
