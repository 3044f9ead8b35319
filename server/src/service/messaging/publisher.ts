import type { kefu } from '@kefu/proto';

export type TopicRole = 'c' | 'a';

export interface Actor {
  role: TopicRole;
  uid: string;
}

/** Outbound port: deliver an envelope to every device of one user (their down topic). */
export interface Publisher {
  toUser(role: TopicRole, uid: string, envelope: kefu.v1.IEnvelope, qos: 0 | 1): Promise<void>;
}
