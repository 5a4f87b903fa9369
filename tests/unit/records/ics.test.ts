import { describe, expect, it } from 'vitest';
import { calendarFor, escapeText, foldLine } from '../../../utils/records/ics';
import { aConnection, expiresAt } from '../fixtures';

/** A small reader of what calendarFor writes: unfolds lines, then reads components and their properties. */
function parse(ics: string) {
  expect(ics.endsWith('\r\n')).toBe(true);
  const lines = ics.replace(/\r\n /g, '').split('\r\n').filter(Boolean);
  const events: { props: Record<string, string>; alarms: Record<string, string>[] }[] = [];
  let event: (typeof events)[number] | undefined;
  let alarm: Record<string, string> | undefined;
  for (const line of lines) {
    const [name, ...rest] = line.split(':');
    const value = rest.join(':');
    if (line === 'BEGIN:VEVENT') event = { props: {}, alarms: [] };
    else if (line === 'END:VEVENT') {
      events.push(event!);
      event = undefined;
    }
    else if (line === 'BEGIN:VALARM') alarm = {};
    else if (line === 'END:VALARM') {
      event!.alarms.push(alarm!);
      alarm = undefined;
    }
    else if (alarm) alarm[name!] = value;
    else if (event) event.props[name!] = value;
  }
  return { lines, events };
}

const unescape = (value: string) => value.replace(/\\n/g, '\n').replace(/\\([,;\\])/g, '$1');

describe('the calendar export', () => {
  const NOW = Date.parse('2026-11-23T10:00:00Z');
  const ebay = aConnection({ id: 'c1', grantExpiry: expiresAt(Date.parse('2026-11-29T23:30:00Z')), warningDays: [30, 7, 0] });

  it('writes one all-day event on the local expiry date, with a reminder on each warning day', () => {
    const ics = calendarFor(
      [
        { connection: ebay, platformName: 'eBay', summary: 'eBay – Shop Berlin: Freigabe läuft ab', description: 'Konto: verkauf@beispiel-shop.de; neu anmelden, sonst stoppen Importe, Exporte' },
        { connection: aConnection({ id: 'unknown' }), platformName: 'sevDesk', summary: 'x', description: 'y' },
        { connection: aConnection({ id: 'paused', paused: true, grantExpiry: expiresAt(NOW) }), platformName: 'x', summary: 'x', description: 'y' },
      ],
      { now: NOW, timeZone: 'Europe/Berlin' },
    );
    const { lines, events } = parse(ics);
    expect(lines.slice(0, 2)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0']);
    expect(events).toHaveLength(1);
    const [event] = events;
    // 23:30 UTC on 29 November is already 30 November in Berlin.
    expect(event!.props).toMatchObject({
      UID: 'c1@token-watch',
      DTSTAMP: '20261123T100000Z',
      'DTSTART;VALUE=DATE': '20261130',
      'DTEND;VALUE=DATE': '20261201',
    });
    expect(unescape(event!.props.SUMMARY!)).toBe('eBay – Shop Berlin: Freigabe läuft ab');
    expect(unescape(event!.props.DESCRIPTION!)).toBe('Konto: verkauf@beispiel-shop.de; neu anmelden, sonst stoppen Importe, Exporte');
    expect(event!.alarms.map((a) => a['TRIGGER;RELATED=START'])).toEqual(['-P30D', '-P7D', '-P0D']);
    expect(event!.alarms.every((a) => a.ACTION === 'DISPLAY')).toBe(true);
  });

  it('folds long lines at 75 octets without splitting a character', () => {
    const long = `SUMMARY:${'ä'.repeat(100)}`;
    const folded = foldLine(long).split('\r\n');
    expect(folded.every((line) => new TextEncoder().encode(line).length <= 75)).toBe(true);
    expect(folded.map((line, i) => (i === 0 ? line : line.slice(1))).join('')).toBe(long);
  });

  it('escapes what would break a property', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
  });

  it.each(['a\rb', 'a\r\nb', 'a\nb'])('turns every kind of line break into one escaped break: %j', (label) => {
    expect(escapeText(label)).toBe('a\\nb');
  });
});
