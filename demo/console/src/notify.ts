// New-message attention: a short chime (Web Audio, no asset to load), the unread count in the tab
// title, and a desktop notification when the agent allowed them and the tab is not in front.

let audio: AudioContext | undefined;

export function chime(): void {
  try {
    audio ??= new AudioContext();
    const ctx = audio;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.setValueAtTime(880, ctx.currentTime);
    osc.frequency.setValueAtTime(1320, ctx.currentTime + 0.09);
    gain.gain.setValueAtTime(0.0001, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.2, ctx.currentTime + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.3);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.32);
  } catch {
    // Autoplay policy or no audio device: the title and badge still tell.
  }
}

/** `(3) 客服工作台` while there are unread customer messages. */
export function setTitleCount(base: string, unread: number): void {
  const title = unread > 0 ? `(${unread > 99 ? '99+' : String(unread)}) ${base}` : base;
  if (document.title !== title) document.title = title;
}

export function notificationsAllowed(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

export function canAskForNotifications(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'default';
}

export async function askForNotifications(): Promise<boolean> {
  if (typeof Notification === 'undefined') return false;
  return (await Notification.requestPermission()) === 'granted';
}

/** Shows a desktop notification when the tab is hidden; clicking it focuses the conversation. */
export function desktopNotify(title: string, body: string, tag: string, onClick: () => void): void {
  if (!notificationsAllowed() || document.visibilityState === 'visible') return;
  try {
    const n = new Notification(title, { body, tag });
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker: the chime and title remain.
  }
}
