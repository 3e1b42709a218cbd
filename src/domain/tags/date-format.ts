import { RuleSyntaxProblem } from './errors.js';

/**
 * `{{date 'FORMAT' tz='ZONE'}}` and `{{commit_date …}}` render with moment.js
 * format tokens in the English locale, as docker/metadata-action does (its
 * README points at moment's "Displaying" reference): `YYYYMMDD-HHmmss`,
 * `dddd, MMMM Do YYYY, h:mm:ss a`, `[literal]` text in brackets, and any
 * character that is not a token copied as it is. The time zone is an IANA
 * name (default UTC), resolved with the runtime's Intl data.
 *
 * Refused, one line each, instead of rendering something moment would not:
 * an empty format, era tokens (`N`, `y`) and zone abbreviations (`z`, `zz`:
 * Intl and moment-timezone name zones differently).
 */
export type DateFormatPart = { kind: 'token'; token: string } | { kind: 'literal'; text: string };

/** moment's localized formats, English: expanded before tokens are read. */
const LOCALIZED: Readonly<Record<string, string>> = {
  LTS: 'h:mm:ss A',
  LT: 'h:mm A',
  LLLL: 'dddd, MMMM D, YYYY h:mm A',
  LLL: 'MMMM D, YYYY h:mm A',
  LL: 'MMMM D, YYYY',
  L: 'MM/DD/YYYY',
  llll: 'ddd, MMM D, YYYY h:mm A',
  lll: 'MMM D, YYYY h:mm A',
  ll: 'MMM D, YYYY',
  l: 'M/D/YYYY',
};
const LOCALIZED_PATTERN = /(\[[^[]*\])|(\\)?(LTS|LT|LL?L?L?|l{1,4})/g;

/**
 * moment's tokens, longest spelling first where two share a start; the last
 * alternative takes one character, copied unless it is a token itself.
 */
const TOKEN_PATTERN =
  /(\[[^[]*\])|(\\)?([Hh]mm(?:ss)?|Mo|MM?M?M?|Do|DDDo|DD?D?D?|ddd?d?|do?|w[o|w]?|W[o|W]?|Qo?|N{1,5}|YYYYYY|YYYYY|YYYY|YY|y{2,4}|yo?|gg(?:ggg?)?|GG(?:GGG?)?|e|E|a|A|hh?|HH?|kk?|mm?|ss?|S{1,9}|x|X|zz?|ZZ?|[\s\S])/g;

const RENDERED = new Set([
  'M', 'Mo', 'MM', 'MMM', 'MMMM', 'Q', 'Qo', 'D', 'Do', 'DD', 'DDD', 'DDDo', 'DDDD', 'd', 'do', 'dd', 'ddd', 'dddd', 'e', 'E',
  'w', 'wo', 'ww', 'W', 'Wo', 'WW', 'Y', 'YY', 'YYYY', 'YYYYY', 'YYYYYY', 'gg', 'gggg', 'ggggg', 'GG', 'GGGG', 'GGGGG',
  'a', 'A', 'H', 'HH', 'h', 'hh', 'k', 'kk', 'm', 'mm', 's', 'ss', 'Z', 'ZZ', 'X', 'x', 'Hmm', 'Hmmss', 'hmm', 'hmmss',
  'S', 'SS', 'SSS', 'SSSS', 'SSSSS', 'SSSSSS', 'SSSSSSS', 'SSSSSSSS', 'SSSSSSSSS',
]);

/** Splits a moment format into tokens and literal text; throws RuleSyntaxProblem for what cannot be rendered faithfully. */
export function compileDateFormat(format: string, expression: string): DateFormatPart[] {
  if (format === '') {
    throw new RuleSyntaxProblem(`\`{{${expression}}}\` has an empty format; give moment.js tokens, e.g. {{date 'YYYYMMDD'}}`);
  }
  const expanded = format.replace(LOCALIZED_PATTERN, (whole: string, bracketed: string | undefined, escaped: string | undefined, name: string) =>
    bracketed !== undefined || escaped !== undefined ? whole : (LOCALIZED[name] ?? whole),
  );
  const parts: DateFormatPart[] = [];
  for (const match of expanded.matchAll(TOKEN_PATTERN)) {
    const [, bracketed, escaped, token = ''] = match;
    if (bracketed !== undefined) {
      parts.push({ kind: 'literal', text: bracketed.slice(1, -1) });
    } else if (escaped !== undefined) {
      parts.push({ kind: 'literal', text: token });
    } else if (RENDERED.has(token)) {
      parts.push({ kind: 'token', token });
    } else if (/^(N+|y+|yo|z+)$/.test(token)) {
      const what = token.startsWith('z') ? 'time zone abbreviations' : 'era tokens';
      throw new RuleSyntaxProblem(`\`{{${expression}}}\` uses \`${token}\`: ${what} are not supported; use Z (offset) or put literal text in [brackets]`);
    } else {
      parts.push({ kind: 'literal', text: token });
    }
  }
  return parts;
}

/** Throws RuleSyntaxProblem unless `zone` is a time zone the runtime knows. */
export function checkTimeZone(zone: string, expression: string): void {
  try {
    wallClockFormatter(zone);
  } catch {
    throw new RuleSyntaxProblem(`\`{{${expression}}}\` names time zone \`${zone}\`, which is unknown; use an IANA name such as tz='Asia/Shanghai' or tz='UTC'`);
  }
}

export function formatDate(parts: readonly DateFormatPart[], instant: Date, zone: string): string {
  const clock = wallClock(instant, zone);
  return parts.map((part) => (part.kind === 'literal' ? part.text : renderToken(part.token, clock))).join('');
}

/** The instant as the wall clock in a zone shows it. */
interface WallClock {
  year: number;
  /** 0–11 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** 0 = Sunday */
  weekday: number;
  /** Minutes east of UTC. */
  offset: number;
  /** The instant itself, for X and x. */
  time: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClockFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

function wallClock(instant: Date, zone: string): WallClock {
  const time = instant.getTime();
  const fields: Record<string, string> = {};
  for (const part of wallClockFormatter(zone).formatToParts(instant)) fields[part.type] = part.value;
  const era = fields['era'] ?? 'AD';
  const yearOfEra = Number(fields['year']);
  const year = era === 'BC' || era === 'B' ? 1 - yearOfEra : yearOfEra;
  const month = Number(fields['month']) - 1;
  const day = Number(fields['day']);
  const hour = Number(fields['hour']);
  const minute = Number(fields['minute']);
  const second = Number(fields['second']);
  const millisecond = ((time % 1000) + 1000) % 1000;
  const local = utcTime(year, month, day, hour, minute, second, millisecond);
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    millisecond,
    weekday: new Date(local).getUTCDay(),
    offset: Math.round((local - time) / 60_000),
    time,
  };
}

/** Date.UTC, also for years 0–99 (which Date.UTC would read as 1900–1999). */
function utcTime(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0): number {
  const date = new Date(Date.UTC(2000, month, day, hour, minute, second, millisecond));
  date.setUTCFullYear(year);
  return date.getTime();
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function renderToken(token: string, c: WallClock): string {
  switch (token) {
    case 'M': return String(c.month + 1);
    case 'Mo': return ordinal(c.month + 1);
    case 'MM': return pad(c.month + 1, 2);
    case 'MMM': return MONTHS[c.month]!.slice(0, 3);
    case 'MMMM': return MONTHS[c.month]!;
    case 'Q': return String(Math.floor(c.month / 3) + 1);
    case 'Qo': return ordinal(Math.floor(c.month / 3) + 1);
    case 'D': return String(c.day);
    case 'Do': return ordinal(c.day);
    case 'DD': return pad(c.day, 2);
    case 'DDD': return String(dayOfYear(c));
    case 'DDDo': return ordinal(dayOfYear(c));
    case 'DDDD': return pad(dayOfYear(c), 3);
    case 'd': case 'e': return String(c.weekday);
    case 'do': return ordinal(c.weekday);
    case 'dd': return WEEKDAYS[c.weekday]!.slice(0, 2);
    case 'ddd': return WEEKDAYS[c.weekday]!.slice(0, 3);
    case 'dddd': return WEEKDAYS[c.weekday]!;
    case 'E': return String(c.weekday === 0 ? 7 : c.weekday);
    case 'w': return String(week(c, LOCALE_WEEK).week);
    case 'wo': return ordinal(week(c, LOCALE_WEEK).week);
    case 'ww': return pad(week(c, LOCALE_WEEK).week, 2);
    case 'W': return String(week(c, ISO_WEEK).week);
    case 'Wo': return ordinal(week(c, ISO_WEEK).week);
    case 'WW': return pad(week(c, ISO_WEEK).week, 2);
    case 'Y': return c.year <= 9999 ? pad(c.year, 4) : `+${c.year}`;
    case 'YY': return pad(((c.year % 100) + 100) % 100, 2);
    case 'YYYY': return pad(c.year, 4);
    case 'YYYYY': return pad(c.year, 5);
    case 'YYYYYY': return pad(c.year, 6, true);
    case 'gg': return pad(((week(c, LOCALE_WEEK).year % 100) + 100) % 100, 2);
    case 'gggg': return pad(week(c, LOCALE_WEEK).year, 4);
    case 'ggggg': return pad(week(c, LOCALE_WEEK).year, 5);
    case 'GG': return pad(((week(c, ISO_WEEK).year % 100) + 100) % 100, 2);
    case 'GGGG': return pad(week(c, ISO_WEEK).year, 4);
    case 'GGGGG': return pad(week(c, ISO_WEEK).year, 5);
    case 'a': return c.hour < 12 ? 'am' : 'pm';
    case 'A': return c.hour < 12 ? 'AM' : 'PM';
    case 'H': return String(c.hour);
    case 'HH': return pad(c.hour, 2);
    case 'h': return String(c.hour % 12 || 12);
    case 'hh': return pad(c.hour % 12 || 12, 2);
    case 'k': return String(c.hour || 24);
    case 'kk': return pad(c.hour || 24, 2);
    case 'm': return String(c.minute);
    case 'mm': return pad(c.minute, 2);
    case 's': return String(c.second);
    case 'ss': return pad(c.second, 2);
    case 'Hmm': return `${c.hour}${pad(c.minute, 2)}`;
    case 'Hmmss': return `${c.hour}${pad(c.minute, 2)}${pad(c.second, 2)}`;
    case 'hmm': return `${c.hour % 12 || 12}${pad(c.minute, 2)}`;
    case 'hmmss': return `${c.hour % 12 || 12}${pad(c.minute, 2)}${pad(c.second, 2)}`;
    case 'Z': return offset(c.offset, ':');
    case 'ZZ': return offset(c.offset, '');
    case 'X': return String(Math.floor(c.time / 1000));
    case 'x': return String(c.time);
    default:
      // S…SSSSSSSSS: the fraction of the second, to that many digits (milliseconds, then zeros).
      return `${pad(c.millisecond, 3)}000000`.slice(0, token.length);
  }
}

function pad(value: number, width: number, forceSign = false): string {
  const digits = String(Math.abs(value)).padStart(width, '0');
  return value < 0 ? `-${digits}` : forceSign ? `+${digits}` : digits;
}

/** English ordinals: 1st 2nd 3rd 4th … 11th 12th 13th … 21st. */
function ordinal(value: number): string {
  const tens = Math.floor((value % 100) / 10);
  const ones = value % 10;
  const suffix = tens === 1 ? 'th' : ones === 1 ? 'st' : ones === 2 ? 'nd' : ones === 3 ? 'rd' : 'th';
  return `${value}${suffix}`;
}

function offset(minutes: number, separator: string): string {
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `${sign}${pad(Math.floor(absolute / 60), 2)}${separator}${pad(absolute % 60, 2)}`;
}

function dayOfYear(c: WallClock): number {
  return Math.round((utcTime(c.year, c.month, c.day) - utcTime(c.year, 0, 1)) / 86_400_000) + 1;
}

/** Which weekday starts a week, and which January day always falls in week 1 (as moment defines locales). */
interface WeekRule {
  /** 0 = Sunday */
  firstDay: number;
  /** January `doy`-th … : week 1 is the week that contains January (7 + firstDay - doy). */
  doy: number;
}
/** moment's English locale: weeks start on Sunday, week 1 contains January 1st. */
const LOCALE_WEEK: WeekRule = { firstDay: 0, doy: 6 };
/** ISO 8601: weeks start on Monday, week 1 contains January 4th. */
const ISO_WEEK: WeekRule = { firstDay: 1, doy: 4 };

/** Days from January 1st to the start of week 1 of `year` (may be negative). */
function firstWeekOffset(year: number, rule: WeekRule): number {
  const anchor = 7 + rule.firstDay - rule.doy;
  const anchorWeekday = new Date(utcTime(year, 0, anchor)).getUTCDay();
  return -((7 + anchorWeekday - rule.firstDay) % 7) + anchor - 1;
}

function weeksInYear(year: number, rule: WeekRule): number {
  const daysInYear = (utcTime(year + 1, 0, 1) - utcTime(year, 0, 1)) / 86_400_000;
  return (daysInYear - firstWeekOffset(year, rule) + firstWeekOffset(year + 1, rule)) / 7;
}

function week(c: WallClock, rule: WeekRule): { week: number; year: number } {
  const number = Math.floor((dayOfYear(c) - firstWeekOffset(c.year, rule) - 1) / 7) + 1;
  if (number < 1) return { week: number + weeksInYear(c.year - 1, rule), year: c.year - 1 };
  if (number > weeksInYear(c.year, rule)) return { week: number - weeksInYear(c.year, rule), year: c.year + 1 };
  return { week: number, year: c.year };
}
