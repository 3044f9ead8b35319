import axios, { type AxiosInstance } from 'axios';
import type { Logger } from '../log.js';

export interface EmqxAdminConfig {
  /** The management API's base, e.g. `http://emqx:18083`. */
  url: string;
  /** An API key and its secret (EMQX dashboard → System → API Keys), sent as HTTP Basic. */
  apiKey: string;
  apiSecret: string;
  timeoutMs?: number;
}

interface ClientsPage {
  data?: { clientid?: unknown }[];
}

/**
 * Closes an ended session's MQTT connections on EMQX 5 through its REST API: list the user's clients
 * (`GET /api/v5/clients?username=`), then kick each (`DELETE /api/v5/clients/{clientid}`). EMQX does not
 * know which session a connection's token belongs to, so every connection of the user is closed; the
 * others reconnect at once with their still-valid tokens (docs/security.md "Sessions").
 */
export function emqxDisconnect(
  config: EmqxAdminConfig,
  logger: Logger,
  http: AxiosInstance = axios.create(),
): (target: { uid: string }) => Promise<void> {
  const base = config.url.replace(/\/+$/, '');
  const request = {
    auth: { username: config.apiKey, password: config.apiSecret },
    timeout: config.timeoutMs ?? 3_000,
  };
  return async ({ uid }) => {
    try {
      const page = await http.get<ClientsPage>(`${base}/api/v5/clients`, {
        ...request,
        params: { username: uid, _limit: 1000 },
      });
      const ids = (page.data.data ?? []).flatMap((c) => (typeof c.clientid === 'string' ? [c.clientid] : []));
      await Promise.all(
        ids.map((id) =>
          http.delete(`${base}/api/v5/clients/${encodeURIComponent(id)}`, {
            ...request,
            // Gone in the meantime is as good as kicked.
            validateStatus: (s) => (s >= 200 && s < 300) || s === 404,
          }),
        ),
      );
    } catch (err) {
      // The session has ended either way: its tokens are refused, and EMQX ends the connection at `exp`.
      logger.warn({ err, uid }, 'could not close the MQTT connections of an ended session on EMQX');
    }
  };
}
