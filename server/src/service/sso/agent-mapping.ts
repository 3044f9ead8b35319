import { randomBytes } from 'node:crypto';
import type { Agent, AgentRepository } from '../../repository/agent-repository.js';
import { SsoError } from './sso-error.js';

/** What we use of the provider's claims (ID token, completed from UserInfo). */
export interface SsoIdentity {
  sub: string;
  email?: string | undefined;
  emailVerified: boolean;
  name?: string | undefined;
  preferredUsername?: string | undefined;
}

const USERNAME = /^[A-Za-z0-9_.-]{3,64}$/;

/** A username for a provisioned account: the provider's, else the email's local part, else "sso". */
function usernameFor(identity: SsoIdentity): string {
  const raw = identity.preferredUsername ?? identity.email?.split('@')[0] ?? '';
  const cleaned = raw.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 50);
  return USERNAME.test(cleaned) ? cleaned : `sso-${randomBytes(3).toString('hex')}`;
}

/**
 * The agent a provider identity signs in as: by stored subject, else by a verified email equal to the
 * agent's (the subject is then stored, so a later email change at the provider keeps the link), else a
 * new `agent` account when auto-provisioning is on.
 */
export async function agentForIdentity(
  agents: AgentRepository,
  identity: SsoIdentity,
  autoProvision: boolean,
): Promise<Agent> {
  const bySubject = await agents.findAgentBySsoSubject(identity.sub);
  if (bySubject) return bySubject;

  // An unverified email could be typed in by anyone at some providers; matching it would be a takeover.
  const email = identity.emailVerified ? identity.email?.trim().toLowerCase() : undefined;
  if (email) {
    const matches = await agents.findAgentByEmail(email);
    if (matches.length > 1) {
      throw new SsoError('ambiguous_email', 'Several agents have this email; ask an admin to fix it');
    }
    const match = matches[0];
    if (match) {
      if (match.ssoSubject !== undefined) {
        throw new SsoError('already_linked', 'This agent is linked to another SSO identity');
      }
      return (await agents.saveAgent(match.uid, { ssoSubject: identity.sub })) ?? match;
    }
  }

  if (!autoProvision) throw new SsoError('unknown_user', 'No agent account matches this SSO identity');
  let username = usernameFor(identity);
  // A taken username gets a random suffix; the unique index settles races between instances.
  for (let attempt = 0; attempt < 4; attempt++) {
    const agent: Agent = {
      uid: `a_${randomBytes(8).toString('hex')}`,
      username,
      displayName: identity.name?.trim().slice(0, 64) || username,
      role: 'agent',
      passwordHash: '',
      maxConcurrent: 10,
      disabled: false,
      createdAt: new Date(),
      email,
      ssoSubject: identity.sub,
      groupIds: [],
    };
    if (await agents.createAgent(agent)) return agent;
    username = `${username.slice(0, 55)}-${randomBytes(3).toString('hex')}`;
  }
  throw new SsoError('provision_failed', 'Could not create an account for this SSO identity');
}
