import type { Connection, Model } from 'mongoose';
import { customerModel, type CustomerDoc } from '../model/customer.js';

export interface Customer {
  uid: string;
  kind: 'customer' | 'visitor';
  mallUserId?: string | undefined;
  name?: string | undefined;
  phone?: string | undefined;
  level?: number | undefined;
  points?: number | undefined;
  vip?: boolean | undefined;
  tags?: string[] | undefined;
  avatar?: string | undefined;
  createdAt: Date;
  /** The address of the latest session (smart routing by region). */
  lastIp?: string | undefined;
}

function toCustomer(doc: CustomerDoc): Customer {
  return {
    uid: doc._id,
    kind: doc.kind,
    mallUserId: doc.mall_user_id,
    name: doc.name,
    phone: doc.phone,
    level: doc.level,
    points: doc.points,
    vip: doc.vip,
    tags: doc.tags,
    avatar: doc.avatar,
    createdAt: doc.created_at,
    lastIp: doc.last_ip,
  };
}

export class CustomerRepository {
  private readonly model: Model<CustomerDoc>;
  constructor(conn: Connection) {
    this.model = customerModel(conn);
  }

  /** Creates the customer or refreshes what the mall told us about them (last write wins). */
  async saveCustomer(
    input: Omit<Customer, 'createdAt' | 'lastIp'> & { ip?: string | undefined },
    now = new Date(),
  ): Promise<Customer> {
    const set: Partial<CustomerDoc> = { kind: input.kind, last_seen_at: now };
    if (input.mallUserId !== undefined) set.mall_user_id = input.mallUserId;
    if (input.name !== undefined) set.name = input.name;
    if (input.phone !== undefined) set.phone = input.phone;
    if (input.level !== undefined) set.level = input.level;
    if (input.points !== undefined) set.points = input.points;
    if (input.vip !== undefined) set.vip = input.vip;
    if (input.tags !== undefined) set.tags = input.tags;
    if (input.avatar !== undefined) set.avatar = input.avatar;
    if (input.ip) set.last_ip = input.ip;
    const doc = await this.model
      .findOneAndUpdate(
        { _id: input.uid },
        { $set: set, $setOnInsert: { created_at: now, ...(input.ip ? { created_ip: input.ip } : {}) } },
        { upsert: true, returnDocument: 'after' },
      )
      .lean();
    return toCustomer(doc);
  }

  async findCustomer(uid: string): Promise<Customer | null> {
    const doc = await this.model.findById(uid).lean();
    return doc ? toCustomer(doc) : null;
  }

  async countVisitorsFromIp(ip: string, since: Date): Promise<number> {
    return this.model.countDocuments({ created_ip: ip, kind: 'visitor', created_at: { $gt: since } });
  }
}
