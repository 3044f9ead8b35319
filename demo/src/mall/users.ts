/** A demo customer of the mall; these fields are what the mall signs for Kefu (DESIGN.md §3). */
export interface Customer {
  user_id: string;
  name: string;
  phone?: string;
  /** VIP level; absent for ordinary members. */
  level?: number;
  /** Shown in the header and on the sign-in page. */
  title: string;
  points: number;
  /** Labels agents see in the customer panel. */
  tags?: string[];
}

export const CUSTOMERS: readonly Customer[] = [
  {
    user_id: 'u1001',
    name: '张三',
    phone: '13800138000',
    level: 3,
    title: 'VIP 3 会员',
    points: 28600,
    tags: ['高价值', '老客户'],
  },
  {
    user_id: 'u1002',
    name: '李四',
    phone: '13912345678',
    level: 1,
    title: 'VIP 1 会员',
    points: 5300,
    tags: ['新客'],
  },
  { user_id: 'u1003', name: '王五', title: '普通会员', points: 1800 },
];

const byId = new Map(CUSTOMERS.map((c) => [c.user_id, c]));

export function findCustomer(userId: string): Customer | undefined {
  return byId.get(userId);
}
