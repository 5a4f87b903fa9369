/**
 * Every known expiry date as an iCalendar file (RFC 5545), with a reminder on
 * each warning day, so a team calendar warns as well. All-day events on the
 * local date the grant ends; nothing secret is written.
 */
import { localDayNumber, MS_PER_DAY } from '../expiry/calendar';
import type { Connection } from '../connection';

export interface CalendarEntry {
  connection: Connection;
  platformName: string;
  /** "eBay – Shop Berlin: authorization expires" in the user's language. */
  summary: string;
  description: string;
}

/** RFC 5545, section 3.3.11: backslash, semicolon, comma and line breaks are escaped. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** RFC 5545, section 3.1: lines longer than 75 octets are folded (CRLF and one space). */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  for (const char of line) {
    const limit = parts.length === 0 ? 75 : 74;
    if (encoder.encode(current + char).length > limit) {
      parts.push(current);
      current = char;
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const dateValue = (dayNumber: number) => new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10).replace(/-/g, '');
const stamp = (instant: number) => new Date(instant).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

export function calendarFor(entries: readonly CalendarEntry[], { now, timeZone }: { now: number; timeZone: string }): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Token Watch//Expiry dates//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH'];
  for (const { connection, summary, description } of entries) {
    const at = connection.grantExpiry.at;
    if (at === null || connection.paused) continue;
    const day = localDayNumber(at, timeZone);
    lines.push(
      'BEGIN:VEVENT',
      `UID:${connection.id}@token-watch`,
      `DTSTAMP:${stamp(now)}`,
      `DTSTART;VALUE=DATE:${dateValue(day)}`,
      `DTEND;VALUE=DATE:${dateValue(day + 1)}`,
      `SUMMARY:${escapeText(summary)}`,
      `DESCRIPTION:${escapeText(description)}`,
      'TRANSP:TRANSPARENT',
    );
    for (const days of [...connection.warningDays].sort((a, b) => b - a)) {
      lines.push('BEGIN:VALARM', 'ACTION:DISPLAY', `DESCRIPTION:${escapeText(summary)}`, `TRIGGER;RELATED=START:-P${days}D`, 'END:VALARM');
    }
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
