// The signed-in agent as the server sees them now. A role or permission change closes the agent's MQTT
// connection (server/README.md "Sessions end for real"), so every reconnect re-reads /agent/me; a
// check each minute and when the window gets focus catch what a reconnect would not. The top bar's pages
// and the list's views follow without a reload.
import type { Me } from './types.js';
import type { Workbench } from './workbench.js';

export const ME_CHECK_MS = 60_000;

function same(a: Me, b: Me): boolean {
  const set = (x: string[] | undefined): string => [...(x ?? [])].sort().join(',');
  return (
    a.uid === b.uid &&
    a.name === b.name &&
    a.agent_role === b.agent_role &&
    set(a.perms) === set(b.perms) &&
    set(a.group_ids) === set(b.group_ids)
  );
}

/** Re-reads the agent now; true when something changed. */
export async function refreshMe(wb: Workbench): Promise<boolean> {
  const me = await wb.api.get<Me>('/agent/me');
  if (same(me, wb.me)) return false;
  wb.store.set({ me });
  // The "all" view needs `monitor`; what may be listed changed in any case.
  if (wb.state.view === 'all' && !wb.can('monitor')) await wb.setView('mine');
  else wb.scheduleReload();
  return true;
}

/** Starts the checks; returns their stop. */
export function watchMe(wb: Workbench): () => void {
  let running: Promise<unknown> | undefined;
  const check = (): void => {
    running ??= refreshMe(wb)
      .catch(() => false)
      .finally(() => {
        running = undefined;
      });
  };
  const offStatus = wb.client.on('status', (s) => {
    if (s === 'online') check();
  });
  const timer = setInterval(check, ME_CHECK_MS);
  window.addEventListener('focus', check);
  return () => {
    offStatus();
    clearInterval(timer);
    window.removeEventListener('focus', check);
  };
}
