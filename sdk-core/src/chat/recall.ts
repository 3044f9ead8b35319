// Recalling (撤回) one's own message: the server allows it within RECALL_WINDOW_S of sending (120 s by
// default, server/README.md); customer UIs offer it only while that holds, with a margin for the trip.
import { kefu } from '@kefu/proto';
import type { CustomerStrings } from './strings.js';

const { Role } = kefu.v1;

/** The server's default recall window. */
export const RECALL_WINDOW_MS = 120_000;
/** The action disappears this long before the server would refuse. */
const MARGIN_MS = 3_000;

/** When (server clock, Unix ms) the customer can no longer recall this message; 0: never could. */
export function recallDeadline(m: kefu.v1.IMessage, windowMs = RECALL_WINDOW_MS): number {
  const at = m.createdAtMs ?? 0;
  if (m.sender?.role !== Role.ROLE_CUSTOMER || m.recalled || m.hidden || !at) return 0;
  return at + windowMs - MARGIN_MS;
}

/** Whether the customer may still recall the message (`nowMs` on the server's clock). */
export function canRecall(m: kefu.v1.IMessage, nowMs: number, windowMs = RECALL_WINDOW_MS): boolean {
  return nowMs < recallDeadline(m, windowMs);
}

/** What shows in place of a recalled message: 你撤回了一条消息 / 客服撤回了一条消息. */
export function recalledText(m: kefu.v1.IMessage, t: CustomerStrings): string {
  return m.sender?.role === Role.ROLE_CUSTOMER ? t.youRecalled : t.agentRecalled;
}
