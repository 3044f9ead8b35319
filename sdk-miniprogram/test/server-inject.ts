// Server-side helpers for the component's tests: history from other days (the injection itself is shared
// with the web widget's tests, server/test/messaging/inject.ts).
export { injectMessage } from '../../server/test/messaging/inject.js';

/** `hour:minute` local time, `days` days before today. */
export function daysAgo(days: number, hour: number, minute: number): Date {
  const d = new Date();
  d.setDate(d.getDate() - days);
  d.setHours(hour, minute, 0, 0);
  return d;
}
