/**
 * An init script for console pages: counts chimes (oscillators started) and records desktop
 * notifications; `window.__hidden = true` makes the tab report itself hidden, as when the agent works in
 * another window.
 */
export const ATTENTION_PROBE = `
  window.__chimes = 0;
  window.__notifications = [];
  const oscillator = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function () { window.__chimes += 1; return oscillator.call(this); };
  window.Notification = class {
    static permission = 'granted';
    static requestPermission() { return Promise.resolve('granted'); }
    constructor(title, options) { window.__notifications.push({ title, body: options?.body ?? '' }); }
    close() {}
  };
  Object.defineProperty(Document.prototype, 'visibilityState', {
    get() { return window.__hidden ? 'hidden' : 'visible'; },
  });
`;
