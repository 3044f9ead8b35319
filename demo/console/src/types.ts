// Shapes of the console HTTP API (docs/console-api.md).

export interface Me {
  uid: string;
  name: string;
  agent_role: 'agent' | 'supervisor' | 'admin';
  perms: string[];
  status?: string;
  max_concurrent?: number;
  group_ids?: string[];
}

export interface CustomerBadge {
  uid: string;
  name: string;
  level?: number | null;
  vip?: boolean;
  tags?: string[];
}

export interface LastMessage {
  seq: number;
  preview: string;
  sender_role: string;
  at: string;
}

export interface ConversationSummary {
  id: string;
  status: 'queued' | 'open' | 'closed';
  channel: string;
  customer: CustomerBadge;
  agent_uid: string | null;
  agent_name?: string | null;
  unread: number;
  /** How far the customer has read (the live `read` events move it on). */
  customer_read_seq?: number;
  last_message: LastMessage | null;
  /** `queue`: a customer waiting in the agent's groups; their messages are not readable yet. */
  access?: 'full' | 'queue';
  created_at: string;
  queued_at?: string | null;
  assigned_at?: string | null;
  closed_at?: string | null;
  waiting_ms: number;
  /** Client-side: when the customer's unanswered wait began (ms), so the list's timer keeps running. */
  waiting_from?: number;
  summary?: Summary | null;
  attributes?: Record<string, string>;
  entry_url?: string | null;
  entry_title?: string | null;
  /** Detail only: the conversation's transfers, oldest first (agent uids). */
  transfers?: { from: string; to: string; to_group_id: string | null; note: string; at: string }[];
}

export interface Summary {
  category: string;
  tags: string[];
  remark: string;
}

export interface Customer {
  uid: string;
  name: string;
  phone?: string | null;
  points?: string | number | null;
  level?: number | null;
  vip?: boolean;
  tags?: string[];
  avatar?: string | null;
  channel?: string | null;
  entry_url?: string | null;
  entry_title?: string | null;
  masked?: boolean;
}

export interface MallOrder {
  order_no: string;
  status: number;
  status_text?: string;
  total_fen: number;
  /** Points paid (points-only orders have total_fen 0). */
  total_points?: number;
  goods_count?: number;
  goods: { name: string; picture_url?: string; qty: number }[];
  created_at: string;
  url?: string;
  detail_url?: string;
}

export interface MallProduct {
  id: string;
  title: string;
  image_url?: string;
  label?: string;
  price_fen?: number | null;
  points?: number | null;
  url?: string;
  detail_url?: string;
}

export interface QuickReply {
  id: string;
  scope: 'personal' | 'team';
  shortcut: string;
  title: string;
  text: string;
}

export interface DashboardWidget {
  id: string;
  title: string;
  value: number | string | null;
  unit?: string;
}

export interface AgentAccount {
  uid: string;
  username: string;
  display_name: string;
  email?: string | null;
  role: 'agent' | 'supervisor' | 'admin';
  max_concurrent: number;
  disabled: boolean;
  group_ids: string[];
  created_at: string;
}

export interface Group {
  id: string;
  name: string;
  description?: string;
  member_uids: string[];
  /** Admin API only: the group's allocation mode (null: the global one). */
  mode?: string | null;
  /** Admin API only: the group's greeting, `{agent}` for the agent's name (null: the global one). */
  greeting?: string | null;
  /** Admin API only: null = always on duty. */
  business_hours?: BusinessHours | null;
  overflow?: OverflowLevel[];
}

/** A skill group or one agent (exactly one). */
export interface RouteTarget {
  group_id?: string;
  agent_uid?: string;
}

export interface BusinessHours {
  timezone: string;
  /** days: 0 = Sunday … 6; start/end "HH:MM" (an end at or before the start runs past midnight). */
  windows: { days: number[]; start: string; end: string }[];
}

export interface OverflowLevel {
  when: string;
  to: RouteTarget;
}

export interface RoutingRule {
  name: string;
  match: {
    channels?: string[];
    min_level?: number;
    vip?: boolean;
    tags?: string[];
    regions?: string[];
    entry_url_contains?: string;
  };
  target: RouteTarget;
}

/** GET/PUT /admin/routing. Timeouts: seconds, 0 = off. */
export interface RoutingSettings {
  mode: string;
  queue_first_tags: string[];
  reception_mode: string;
  reception_override: boolean;
  default_group_id: string;
  return_to_last_agent_minutes: number;
  max_queue_length: number;
  rules: RoutingRule[];
  queue_timeout: Record<string, number>;
  agent_timeout: Record<string, number>;
  customer_timeout: Record<string, number>;
  texts: Record<string, string>;
}

export interface BlacklistEntry {
  customer_uid: string;
  reason: string;
  by: string;
  created_at: string;
  expires_at: string | null;
}

export interface RoutingEvent {
  type: string;
  conversation_id: string;
  customer_uid: string;
  channel: string;
  group_id: string | null;
  agent_uid: string | null;
  wait_ms: number | null;
  reason: string | null;
  at: string;
}
