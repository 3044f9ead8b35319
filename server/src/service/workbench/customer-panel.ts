import { NotFoundError } from '../../errors.js';
import { mallUserIdOf, type MallAdapter } from '../../integration/mall/types.js';
import { fillTemplate } from '../../integration/mall/http-mall.js';
import { orderJson, productJson } from '../../integration/mall/mall-json.js';
import type { AuditLogRepository } from '../../repository/audit-log-repository.js';
import { audit } from '../admin/actor.js';
import type { Customer } from '../../repository/customer-repository.js';
import type { WorkbenchRepository } from '../../repository/workbench-repository.js';
import { MASKED_POINTS, maskName, maskPhone } from './masking.js';

export const PII_FIELDS = ['name', 'phone', 'points'] as const;
export type PiiField = (typeof PII_FIELDS)[number];

export interface CustomerPanelDeps {
  customers: { findCustomer(uid: string): Promise<Customer | null> };
  workbench: WorkbenchRepository;
  auditLog: AuditLogRepository;
  mall: MallAdapter;
  links: { productPage: string | undefined; orderPage: string | undefined };
}

/** Attribute keys a host page uses for the product being looked at (the panel's recent products). */
const PRODUCT_KEYS = ['product_id', 'product.id', 'productId'];
const RECENT_CONVERSATIONS = 5;

/** The customer panel: profile (masked unless pii:view), audited reveals, mall orders and products. */
export class CustomerPanelService {
  constructor(private readonly deps: CustomerPanelDeps) {}

  /** `visible.name` with pii:view, `visible.points` with points:view (their own permission). */
  async profile(uid: string, visible: { name: boolean; points: boolean }): Promise<Record<string, unknown>> {
    const nameVisible = visible.name;
    const [customer, latest] = await Promise.all([
      this.deps.customers.findCustomer(uid),
      this.deps.workbench.listCustomerConversations(uid, undefined, 1),
    ]);
    if (!customer) throw new NotFoundError('Unknown customer');
    const last = latest[0];
    // The name is the agent's way to address the customer (in every message too): plain with pii:view.
    // The phone is masked for everyone here: seeing it takes a reveal, and every reveal is written to the
    // audit log, so no unmasked phone reaches a screen unrecorded. Points: plain with points:view.
    const masked = <T>(v: T | undefined, mask: (x: T) => string): string | null =>
      v === undefined ? null : mask(v);
    return {
      uid: customer.uid,
      kind: customer.kind,
      name: customer.name === undefined ? null : nameVisible ? customer.name : maskName(customer.name),
      phone: masked(customer.phone, maskPhone),
      points: customer.points === undefined ? null : visible.points ? customer.points : MASKED_POINTS,
      masked:
        customer.phone !== undefined || (customer.points !== undefined && !visible.points) || !nameVisible,
      level: customer.level ?? null,
      vip: customer.vip === true,
      tags: customer.tags ?? [],
      avatar: customer.avatar ?? null,
      channel: last?.channel ?? null,
      entry_url: last?.entryUrl ?? null,
      entry_title: last?.entryTitle ?? null,
      created_at: customer.createdAt.toISOString(),
    };
  }

  /** The unmasked fields, after writing who saw what to the audit log (DESIGN.md §3). */
  async reveal(
    actorUid: string,
    uid: string,
    fields: readonly PiiField[],
    ip: string | undefined,
  ): Promise<Record<string, unknown>> {
    const customer = await this.deps.customers.findCustomer(uid);
    if (!customer) throw new NotFoundError('Unknown customer');
    // Written before anything is answered: no reveal without its record.
    await audit(
      this.deps.auditLog,
      { uid: actorUid, ip },
      'pii.reveal',
      { type: 'customer', id: uid },
      { fields: fields.join(',') },
    );
    const all: Record<PiiField, unknown> = {
      name: customer.name ?? null,
      phone: customer.phone ?? null,
      points: customer.points ?? null,
    };
    return Object.fromEntries(fields.map((f) => [f, all[f]]));
  }

  async mall(uid: string): Promise<Record<string, unknown>> {
    const userId = mallUserIdOf(uid);
    const [orders, conversations] = await Promise.all([
      userId ? this.deps.mall.listOrders(uid, { limit: 10 }) : Promise.resolve([]),
      this.deps.workbench.listCustomerConversations(uid, undefined, RECENT_CONVERSATIONS),
    ]);
    const productIds = [
      ...new Set(
        conversations.flatMap((c) =>
          PRODUCT_KEYS.flatMap((k) => (c.attributes?.[k] ? [c.attributes[k]] : [])),
        ),
      ),
    ].slice(0, 10);
    const products = await Promise.all(
      productIds.map((id) =>
        this.deps.mall.getProduct(id).catch((err: unknown) => {
          // A product removed from the mall since is simply not shown.
          if (err instanceof NotFoundError) return null;
          throw err;
        }),
      ),
    );
    const { orderPage, productPage } = this.deps.links;
    return {
      orders: orders.map((o) => ({
        ...orderJson(o),
        detail_url: orderPage
          ? fillTemplate(orderPage, { order_no: o.orderNo, user_id: userId ?? '' })
          : o.url,
      })),
      recent_products: products.flatMap((p) =>
        p
          ? [{ ...productJson(p), detail_url: productPage ? fillTemplate(productPage, { id: p.id }) : p.url }]
          : [],
      ),
    };
  }
}
