/**
 * A skill group's business hours: weekly windows in one IANA time zone. Outside them the group is "off
 * duty" (an overflow condition, REFERENCE.md §A). No hours at all: always on duty.
 */
export interface BusinessHours {
  /** IANA zone, e.g. "Asia/Shanghai". */
  timezone: string;
  windows: BusinessWindow[];
}

export interface BusinessWindow {
  /** 0 = Sunday … 6 = Saturday: the days the window starts on. */
  days: number[];
  /** "HH:MM", 24-hour. An end at or before the start runs past midnight into the next day. */
  start: string;
  end: string;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formats = new Map<string, Intl.DateTimeFormat>();

export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Whether `timezone` is a zone this runtime knows. */
export function validTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Weekday (0–6) and minute of the day of `at` in `timezone`. */
export function localTime(at: Date, timezone: string): { day: number; minute: number } {
  let format = formats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timezone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    day: WEEKDAYS.indexOf(parts['weekday'] ?? ''),
    minute: Number(parts['hour']) * 60 + Number(parts['minute']),
  };
}

export function onDuty(hours: BusinessHours | null | undefined, at: Date): boolean {
  if (!hours || hours.windows.length === 0) return true;
  const { day, minute } = localTime(at, hours.timezone);
  const yesterday = (day + 6) % 7;
  return hours.windows.some((w) => {
    const start = minutes(w.start);
    const end = minutes(w.end);
    if (end > start) return w.days.includes(day) && minute >= start && minute < end;
    // Past midnight: the evening part on the start day, the morning part on the day after.
    return (w.days.includes(day) && minute >= start) || (w.days.includes(yesterday) && minute < end);
  });
}
