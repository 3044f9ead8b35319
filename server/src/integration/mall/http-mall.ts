import axios, { type AxiosInstance } from 'axios';
import type { z } from 'zod';
import { NotFoundError, UpstreamError, ValidationError } from '../../errors.js';
import {
  orderFromRemote,
  productFromRemote,
  remoteOrderListSchema,
  remoteOrderSchema,
  remoteProductSchema,
} from './remote-schema.js';
import { MAX_ORDERS_LIMIT, mallUserIdOf, type MallAdapter } from './types.js';

export interface HttpMallConfig {
  /** e.g. `https://mall.example.com/api/products/{id}` */
  productUrl: string;
  /** e.g. `https://mall.example.com/api/users/{user_id}/orders?limit={limit}` */
  ordersUrl: string;
  /** e.g. `https://mall.example.com/api/users/{user_id}/orders/{order_no}` */
  orderUrl: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  apiToken?: string | undefined;
  timeoutMs: number;
}

/** The mall's answers are small; anything bigger is a misconfiguration, not data. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * Fills `{name}` placeholders with URL-encoded values. "", "." and ".." are refused: URL parsers treat them
 * (and their %2E forms) as dot segments, which would point the request at another path of the mall's API.
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-z_]+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    if (value === '' || value === '.' || value === '..') throw new ValidationError(`Invalid ${name}`);
    return encodeURIComponent(value);
  });
}

function describeZodError(err: z.ZodError): string {
  const first = err.issues[0];
  return first ? `${first.path.map(String).join('.') || '(root)'}: ${first.message}` : 'invalid';
}

/** The mall's real API over HTTP (axios), configured by URL templates (MALL_* variables). */
export function createHttpMall(config: HttpMallConfig, client: AxiosInstance = axios.create()): MallAdapter {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (config.apiToken) headers['authorization'] = `Bearer ${config.apiToken}`;

  /** GET and validate; 404 → NotFoundError(notFound); every other failure → UpstreamError. */
  async function getJson<S extends z.ZodType>(url: string, schema: S, notFound: string): Promise<z.infer<S>> {
    let response;
    try {
      response = await client.get<string>(url, {
        headers,
        // `timeout` is an idle timeout on the socket; the signal bounds the whole exchange.
        timeout: config.timeoutMs,
        signal: AbortSignal.timeout(config.timeoutMs),
        responseType: 'text',
        // Parsed below, so malformed JSON is an error rather than a string passed on silently.
        transformResponse: [(data: unknown) => data],
        maxContentLength: MAX_RESPONSE_BYTES,
        maxRedirects: 3,
        validateStatus: () => true,
      });
    } catch (err) {
      const timedOut =
        axios.isCancel(err) ||
        (axios.isAxiosError(err) && (err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT'));
      throw new UpstreamError(
        timedOut
          ? `The mall did not answer within ${String(config.timeoutMs)} ms`
          : `The mall could not be reached${axios.isAxiosError(err) && err.code ? ` (${err.code})` : ''}`,
      );
    }
    if (response.status === 404) throw new NotFoundError(notFound);
    if (response.status < 200 || response.status >= 300) {
      throw new UpstreamError(`The mall answered HTTP ${String(response.status)}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(response.data);
    } catch {
      throw new UpstreamError('The mall answered something that is not JSON');
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      throw new UpstreamError(
        `The mall's answer does not match the contract: ${describeZodError(parsed.error)}`,
      );
    }
    return parsed.data;
  }

  return {
    async getProduct(id) {
      const url = fillTemplate(config.productUrl, { id });
      return productFromRemote(await getJson(url, remoteProductSchema, 'Unknown product'));
    },

    async listOrders(customerUid, { limit }) {
      const userId = mallUserIdOf(customerUid);
      if (userId === undefined) return [];
      const capped = Math.min(Math.max(1, limit), MAX_ORDERS_LIMIT);
      const url = fillTemplate(config.ordersUrl, { user_id: userId, limit: String(capped) });
      const body = await getJson(url, remoteOrderListSchema, 'Unknown customer at the mall');
      // Newest first as documented; sorted again so a mall that ignores `limit` or order still fits.
      return body.orders
        .map(orderFromRemote)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
        .slice(0, capped);
    },

    async getOrder(customerUid, orderNo) {
      const userId = mallUserIdOf(customerUid);
      if (userId === undefined) throw new NotFoundError('Unknown order');
      const url = fillTemplate(config.orderUrl, { user_id: userId, order_no: orderNo });
      const order = orderFromRemote(await getJson(url, remoteOrderSchema, 'Unknown order'));
      // The mall answered for this user's URL; an order under another number is not what was asked for.
      if (order.orderNo !== orderNo) throw new UpstreamError('The mall answered a different order');
      return order;
    },
  };
}
