// The signed-in agent as the server sees them now. A role or permission change is pushed to the agent's
// clients (AccessChanged: sdk-core's 'access' event) and applied at once; /agent/me is re-read then, on
// every reconnect, when the window gets focus and each minute, which catches a push that was missed. The
// top bar's pages and the list's views follow without a reload.
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

const roleOf = (r: string | null | undefined): Me['agent_role'] | undefined =>
  r === 'agent' || r === 'supervisor' || r === 'admin' ? r : undefined;

/** Shows the agent as given; true when something changed. */
async function applyMe(wb: Workbench, me: Me): Promise<boolean> {
  if (same(me, wb.me)) return false;
  wb.store.set({ me });
  // The "all" view needs `monitor`; what may be listed changed in any case.
  if (wb.state.view === 'all' && !wb.can('monitor')) await wb.setView('mine');
  else wb.scheduleReload();
  return true;
}

/** Re-reads the agent now; true when something changed. */
export async function refreshMe(wb: Workbench): Promise<boolean> {
  return applyMe(wb, await wb.api.get<Me>('/agent/me'));
}

/** Starts the checks; returns their stop. */
export function watchMe(wb: Workbench): () => void {
  let running = false;
  let again = false;
  // One read at a time; a check asked for meanwhile runs after it (its answer may predate a push).
  const check = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    void refreshMe(wb)
      .catch(() => false)
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          check();
        }
      });
  };
  const offStatus = wb.client.on('status', (s) => {
    if (s === 'online') check();
  });
  const offAccess = wb.client.on('access', (a) => {
    void applyMe(wb, { ...wb.me, perms: a.perms ?? [], agent_role: roleOf(a.agentRole) ?? wb.me.agent_role });
    check();
  });
  const timer = setInterval(check, ME_CHECK_MS);
  window.addEventListener('focus', check);
  return () => {
    offStatus();
    offAccess();
    clearInterval(timer);
    window.removeEventListener('focus', check);
  };
}
