import { kefu } from '@kefu/proto';
import type { Session } from '../session.js';
import type { KeyValueStorage } from '../storage.js';

/** This device's id, made once and kept: presence and MQTT client ids tell the devices of a user apart. */
export async function loadDeviceId(
  storage: KeyValueStorage,
  key: string,
  makeId: () => string,
): Promise<string> {
  const stored = await storage.get(key);
  if (stored) return stored;
  const id = makeId();
  await storage.set(key, id);
  return id;
}

/** Presence announced on every connect, left as the Last Will (offline) and announced at stop. */
export function presenceEnvelope(
  header: { id: string; sentAtMs: number },
  session: Session | undefined,
  online: boolean,
  deviceId: string,
  /** What the role adds (agents: their status). */
  extra: Partial<kefu.v1.IPresence>,
): kefu.v1.IEnvelope {
  return {
    ...header,
    presence: {
      role: session?.role === 'agent' ? kefu.v1.Role.ROLE_AGENT : kefu.v1.Role.ROLE_CUSTOMER,
      uid: session?.uid ?? '',
      online,
      deviceId,
      ...extra,
    },
  };
}
