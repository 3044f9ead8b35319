import { createDemoMall } from './demo-mall.js';
import { createHttpMall, type HttpMallConfig } from './http-mall.js';
import type { MallAdapter } from './types.js';

export { createDemoMall, DEMO_PRODUCT_IDS } from './demo-mall.js';
export { createHttpMall, fillTemplate, type HttpMallConfig } from './http-mall.js';
export * from './types.js';

/** The configured mall's API, or the in-memory demo mall when no MALL_* variables are set. */
export function createMall(config: HttpMallConfig | undefined): MallAdapter {
  return config ? createHttpMall(config) : createDemoMall();
}
