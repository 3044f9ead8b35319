// The leave-message routes' server for one test file: started before its tests (leave messages limited to
// 3 per hour), with a supervisor (pii:view) and a plain agent signed in; stopped after the file.
import { afterAll, beforeAll } from 'vitest';
import { testMongoUri } from '@kefu/tools/testing';
import { leaveMessageModel } from '../../src/model/leave-message.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { agentSession } from '../mall/sessions.js';

export interface Listed {
  id: string;
  customer_uid: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  pii_masked: boolean;
  content: string;
  status: string;
}

/** A message a signed-in customer may leave. */
export const valid = {
  name: '张三',
  phone: '13812345678',
  content: '你好，我的订单一直没有发货，请尽快联系我。',
};

export interface LeaveMessageEnv {
  server: KefuServer;
  /** Tokens of the supervisor and the agent. */
  supervisor: string;
  agent: string;
  /** How many leave messages are stored. */
  stored(): Promise<number>;
}

/** Registers the file's server; read the returned environment inside tests only. */
export function useLeaveMessageServer(): LeaveMessageEnv {
  const env: LeaveMessageEnv = {
    server: undefined as unknown as KefuServer,
    supervisor: '',
    agent: '',
    stored: async () => leaveMessageModel(env.server.db).countDocuments(),
  };
  beforeAll(async () => {
    env.server = await startServer(
      testConfig({ MONGODB_URI: testMongoUri('leave_messages'), LEAVE_MESSAGES_PER_HOUR: '3' }),
      silentLogger,
    );
    env.supervisor = (await agentSession(env.server, 'lm-supervisor', 'supervisor')).token;
    env.agent = (await agentSession(env.server, 'lm-agent', 'agent')).token;
  });
  afterAll(async () => {
    await env.server.stop();
  });
  return env;
}
