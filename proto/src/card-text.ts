// How product and order cards read wherever they are labelled or drawn: the server's mall adapter (a
// product's label, an order's status text when the mall gives none), the demo mall, and the customer and
// agent UIs through sdk-core. Money on the wire is integer fen (1/100 yuan).

/**
 * The zh-CN text of each `OrderStatus`, indexed by its value. 0 is a custom status whose card carries its
 * own `status_text`; "自定义" only shows when that text is empty.
 */
export const ORDER_STATUS_TEXT = [
  '自定义',
  '待付款',
  '待发货',
  '运输中',
  '派送中',
  '已完成',
  '待评价',
  '已取消',
] as const;

/** "¥9.90" from 990 fen. */
export function formatYuan(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}

/** "1200 积分 + ¥9.90", "800 积分", "¥49.00": a product's price label when the mall gives none. */
export function priceLabel(points: number | undefined, priceFen: number | undefined): string {
  const parts: string[] = [];
  if (points !== undefined && points > 0) parts.push(`${String(points)} 积分`);
  if (priceFen !== undefined && (priceFen > 0 || parts.length === 0)) parts.push(formatYuan(priceFen));
  return parts.join(' + ');
}
