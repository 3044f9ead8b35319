/** MQTT topic layout (DESIGN.md §2). `role` is `c` (customer) or `a` (agent). */
export type Role = 'c' | 'a';

export const DEFAULT_TOPIC_PREFIX = 'kefu';

export interface TopicSet {
  readonly prefix: string;
  /** Client → server. */
  up(role: Role, uid: string): string;
  /** Server → every device of one user. */
  down(role: Role, uid: string): string;
  /** Online announcements and Last Will. */
  presence(role: Role, uid: string): string;
  /** What the server consumes: plain on Aedes, `$share/<group>/…` on brokers with shared subscriptions. */
  uplinkSubscription(sharedGroup?: string): string;
  presenceSubscription(sharedGroup?: string): string;
  /** Splits a concrete topic of ours into its parts, or null for anything else. */
  parse(topic: string): { kind: 'up' | 'down' | 'presence'; role: Role; uid: string } | null;
}

/** A uid is one topic level: no separators, wildcards or control characters, at most 128 characters. */
export function isValidUid(uid: string): boolean {
  // eslint-disable-next-line no-control-regex
  return uid.length > 0 && uid.length <= 128 && !/[/+#\u0000-\u001f\u007f]/.test(uid);
}

export function createTopics(prefix: string = DEFAULT_TOPIC_PREFIX): TopicSet {
  const build = (kind: string, role: Role, uid: string): string => {
    if (!isValidUid(uid)) throw new Error(`invalid uid for a topic: ${JSON.stringify(uid)}`);
    return `${prefix}/${kind}/${role}/${uid}`;
  };
  const shared = (topic: string, group?: string): string => (group ? `$share/${group}/${topic}` : topic);
  return {
    prefix,
    up: (role, uid) => build('up', role, uid),
    down: (role, uid) => build('down', role, uid),
    presence: (role, uid) => build('presence', role, uid),
    uplinkSubscription: (group) => shared(`${prefix}/up/#`, group),
    presenceSubscription: (group) => shared(`${prefix}/presence/#`, group),
    parse(topic) {
      const parts = topic.split('/');
      if (parts.length !== 4 || parts[0] !== prefix) return null;
      const [, kind, role, uid] = parts;
      if (kind !== 'up' && kind !== 'down' && kind !== 'presence') return null;
      if (role !== 'c' && role !== 'a') return null;
      if (uid === undefined || !isValidUid(uid)) return null;
      return { kind, role, uid };
    },
  };
}
