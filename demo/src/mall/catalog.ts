/** A product of the demo points mall. Prices: `points` plus an optional cash part in fen (积分+现金). */
export interface Product {
  id: string;
  title: string;
  description: string;
  points: number;
  /** Cash part in fen; 0 for products paid with points only. */
  price_fen: number;
  /** Placeholder image colours (the SVG is drawn in code, see images.ts). */
  color: string;
  /** One or two characters drawn on the placeholder image. */
  glyph: string;
  category: string;
}

export const PRODUCTS: readonly Product[] = [
  {
    id: 'p1001',
    title: '咖啡电子兑换券（中杯拿铁）',
    description: '全国门店通用，兑换后 30 天内有效，到店出示券码即可使用。',
    points: 1200,
    price_fen: 0,
    color: '#8d6e63',
    glyph: '咖',
    category: '生活卡券',
  },
  {
    id: 'p1002',
    title: '智能运动手环 NFC 版',
    description: '1.62 英寸高清屏，心率血氧监测，NFC 门禁公交，续航 14 天。',
    points: 9800,
    price_fen: 4900,
    color: '#3949ab',
    glyph: '环',
    category: '数码电器',
  },
  {
    id: 'p1003',
    title: '真空保温杯 500ml',
    description: '316 不锈钢内胆，12 小时保温，一键开盖，可拆洗杯盖。',
    points: 3600,
    price_fen: 0,
    color: '#00897b',
    glyph: '杯',
    category: '家居日用',
  },
  {
    id: 'p1004',
    title: '超市购物卡 50 元',
    description: '电子卡密即时到账，可在合作超市线上线下使用，不找零。',
    points: 5000,
    price_fen: 0,
    color: '#e4393c',
    glyph: '卡',
    category: '生活卡券',
  },
  {
    id: 'p1005',
    title: '无线静音鼠标',
    description: '2.4G 无线连接，静音按键，一节 AA 电池可用 18 个月。',
    points: 2600,
    price_fen: 1990,
    color: '#546e7a',
    glyph: '鼠',
    category: '数码电器',
  },
  {
    id: 'p1006',
    title: '视频会员月卡',
    description: '主流视频平台黄金会员 31 天，兑换后自动充值到绑定手机号。',
    points: 1500,
    price_fen: 0,
    color: '#43a047',
    glyph: '视',
    category: '生活卡券',
  },
  {
    id: 'p1007',
    title: '声波电动牙刷',
    description: '每分钟 31000 次声波振动，两种清洁模式，附赠 2 支刷头。',
    points: 6800,
    price_fen: 5900,
    color: '#1e88e5',
    glyph: '刷',
    category: '个护健康',
  },
  {
    id: 'p1008',
    title: '每日坚果礼盒 1.5kg',
    description: '6 种坚果果干科学配比，独立小包装，30 袋装。',
    points: 4200,
    price_fen: 0,
    color: '#f9a825',
    glyph: '果',
    category: '食品饮料',
  },
];

const byId = new Map(PRODUCTS.map((p) => [p.id, p]));

export function findProduct(id: string): Product | undefined {
  return byId.get(id);
}
