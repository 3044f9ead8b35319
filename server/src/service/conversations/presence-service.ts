import { kefu } from '@kefu/proto';
import type { PresenceRepository } from '../../repository/message-repository.js';
import type { Actor } from '../messaging/publisher.js';
import type { QueueSweeper } from './queue-sweeper.js';

/** Devices going on- and offline (the presence topic); an agent becoming available sweeps the queue. */
export class PresenceService {
  constructor(
    private readonly deps: {
      presence: PresenceRepository;
      allocator: { presenceChanged(): void };
      sweeper: QueueSweeper;
    },
  ) {}

  async report(actor: Actor, p: kefu.v1.IPresence): Promise<void> {
    const device = (p.deviceId ?? '').slice(0, 64) || 'default';
    const status = p.agentStatus
      ? kefu.v1.AgentStatus[p.agentStatus].replace('AGENT_STATUS_', '').toLowerCase()
      : undefined;
    await this.deps.presence.savePresence({
      uid: actor.uid,
      device,
      role: actor.role,
      online: p.online === true,
      ...(status ? { agentStatus: status } : {}),
    });
    if (actor.role !== 'a') return;
    this.deps.allocator.presenceChanged();
    if (p.online) await this.deps.sweeper.sweep();
  }
}
