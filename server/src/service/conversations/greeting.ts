/** The greeting when neither the chat's skill group nor the admin wrote one. */
export const DEFAULT_GREETING = '您好，欢迎咨询，请问有什么可以帮您？';
/** The same once an agent took the chat (human reception). */
export const DEFAULT_AGENT_GREETING = '您好，我是客服{agent}，很高兴为您服务，请问有什么可以帮您？';

/**
 * The greeting (欢迎语) a new chat gets in every reception mode: the skill group's or the admin's text, else
 * the default; `{agent}` is the agent's name (客服 before one took the chat).
 */
export function greetingText(configured: string | undefined, agentName: string | undefined): string {
  const template = configured ?? (agentName ? DEFAULT_AGENT_GREETING : DEFAULT_GREETING);
  return template.replaceAll('{agent}', agentName ?? '客服').trim();
}
