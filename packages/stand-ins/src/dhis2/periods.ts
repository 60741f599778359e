// DHIS2 period identifiers: parse, validate and place in time, as `DateUnitType` and the period types do
// (reference/dhis2-web-api.md §3). Dates are whole UTC days counted from 1970-01-01 (ISO calendar only).

export type PeriodTypeName =
  | 'Daily'
  | 'Weekly'
  | 'WeeklyWednesday'
  | 'WeeklyThursday'
  | 'WeeklySaturday'
  | 'WeeklySunday'
  | 'BiWeekly'
  | 'Monthly'
  | 'BiMonthly'
  | 'Quarterly'
  | 'QuarterlyNov'
  | 'SixMonthly'
  | 'SixMonthlyApril'
  | 'SixMonthlyNov'
  | 'Yearly'
  | 'FinancialApril'
  | 'FinancialJuly'
  | 'FinancialOct'
  | 'FinancialNov';

export interface Period {
  /** Canonical ISO identifier as DHIS2 stores it (`202611`, `2026W47`, `20261115`). */
  iso: string;
  periodType: PeriodTypeName;
  startDay: number;
  endDay: number;
}

// ---------------------------------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, days since the epoch)

export function dayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export function civilFromDay(dayNumber: number): { year: number; month: number; day: number } {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** ISO day of week: Monday 1 … Sunday 7. */
export function isoDayOfWeek(dayNumber: number): number {
  return ((((dayNumber + 3) % 7) + 7) % 7) + 1;
}

export function dayOfDate(date: Date): number {
  return Math.floor(date.getTime() / 86_400_000);
}

export function formatDay(dayNumber: number): string {
  const { year, month, day } = civilFromDay(dayNumber);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** `yyyy-MM-dd` → day number, or null when it is not a real date. */
export function parseDay(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  return validCivilDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

function validCivilDay(year: number, month: number, day: number): number | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const dayNumber = dayFromCivil(year, month, day);
  const back = civilFromDay(dayNumber);
  return back.month === month && back.day === day ? dayNumber : null;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** First day of the month `month` (may run past 12 or below 1) of `year`. */
function monthStartDay(year: number, month: number): number {
  const index = year * 12 + (month - 1);
  return dayFromCivil(Math.floor(index / 12), (((index % 12) + 12) % 12) + 1, 1);
}

// ---------------------------------------------------------------------------------------------------
// Week-based types: week 1 is the week (starting on `firstDay`) that contains 4 January (WeekFields.of(d, 4))

const WEEK_START: Partial<Record<PeriodTypeName, number>> = {
  Weekly: 1,
  WeeklyWednesday: 3,
  WeeklyThursday: 4,
  WeeklySaturday: 6,
  WeeklySunday: 7,
  BiWeekly: 1,
};

const WEEK_LABEL: Partial<Record<PeriodTypeName, string>> = {
  Weekly: 'W',
  WeeklyWednesday: 'WedW',
  WeeklyThursday: 'ThuW',
  WeeklySaturday: 'SatW',
  WeeklySunday: 'SunW',
  BiWeekly: 'BiW',
};

function firstWeekStart(year: number, firstDay: number): number {
  const january4 = dayFromCivil(year, 1, 4);
  return january4 - ((isoDayOfWeek(january4) - firstDay + 7) % 7);
}

export function weeksInYear(year: number, firstDay = 1): number {
  return (firstWeekStart(year + 1, firstDay) - firstWeekStart(year, firstDay)) / 7;
}

function weekPeriod(type: PeriodTypeName, year: number, week: number): Period | null {
  const firstDay = WEEK_START[type] as number;
  // A week past the year's last one starts in the next week-based year: DHIS2 rejects it (§3).
  if (week < 1 || week > weeksInYear(year, firstDay)) return null;
  const startDay = firstWeekStart(year, firstDay) + 7 * (week - 1);
  return { iso: `${year}${WEEK_LABEL[type]}${week}`, periodType: type, startDay, endDay: startDay + 6 };
}

function biWeekPeriod(year: number, biWeek: number): Period | null {
  const firstIsoWeek = 2 * biWeek - 1;
  if (biWeek < 1 || firstIsoWeek > weeksInYear(year)) return null;
  const startDay = firstWeekStart(year, 1) + 7 * (firstIsoWeek - 1);
  return { iso: `${year}BiW${biWeek}`, periodType: 'BiWeekly', startDay, endDay: startDay + 13 };
}

// ---------------------------------------------------------------------------------------------------
// Month-based types: each is a run of `length` months starting at fixed months of the year

interface MonthRun {
  length: number;
  /** Start months of the runs within a label year, in order; a month ≤ 0 belongs to the previous year. */
  starts: readonly number[];
  iso: (labelYear: number, index: number) => string;
}

const MONTH_RUNS: Partial<Record<PeriodTypeName, MonthRun>> = {
  Monthly: { length: 1, starts: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], iso: (y, i) => `${y}${pad2(i)}` },
  BiMonthly: { length: 2, starts: [1, 3, 5, 7, 9, 11], iso: (y, i) => `${y}${pad2(i)}B` },
  Quarterly: { length: 3, starts: [1, 4, 7, 10], iso: (y, i) => `${y}Q${i}` },
  // 2024NovQ1 starts in November 2023, as 2024NovS1 does (SixMonthlyNovemberPeriodType.getIsoDate).
  QuarterlyNov: { length: 3, starts: [-1, 2, 5, 8], iso: (y, i) => `${y}NovQ${i}` },
  SixMonthly: { length: 6, starts: [1, 7], iso: (y, i) => `${y}S${i}` },
  SixMonthlyApril: { length: 6, starts: [4, 10], iso: (y, i) => `${y}AprilS${i}` },
  SixMonthlyNov: { length: 6, starts: [-1, 5], iso: (y, i) => `${y}NovS${i}` },
  Yearly: { length: 12, starts: [1], iso: (y) => `${y}` },
  FinancialApril: { length: 12, starts: [4], iso: (y) => `${y}April` },
  FinancialJuly: { length: 12, starts: [7], iso: (y) => `${y}July` },
  FinancialOct: { length: 12, starts: [10], iso: (y) => `${y}Oct` },
  FinancialNov: { length: 12, starts: [11], iso: (y) => `${y}Nov` },
};

function monthRunPeriod(type: PeriodTypeName, labelYear: number, index: number): Period | null {
  const run = MONTH_RUNS[type] as MonthRun;
  const startMonth = run.starts[index - 1];
  if (startMonth === undefined || index < 1) return null;
  const startDay = monthStartDay(labelYear, startMonth);
  const endDay = monthStartDay(labelYear, startMonth + run.length) - 1;
  return { iso: run.iso(labelYear, index), periodType: type, startDay, endDay };
}

// ---------------------------------------------------------------------------------------------------
// Parsing: full-string matches tried in DateUnitType's order

type Parser = (match: RegExpExecArray) => Period | null;

const num = (match: RegExpExecArray, group: number): number => Number(match[group]);

const PARSERS: readonly (readonly [RegExp, Parser])[] = [
  [/^(\d{4})(\d{2})(\d{2})$/, (m) => dailyPeriod(num(m, 1), num(m, 2), num(m, 3))],
  [/^(\d{4})-(\d{2})-(\d{2})$/, (m) => dailyPeriod(num(m, 1), num(m, 2), num(m, 3))],
  [/^(\d{4})W(\d\d?)$/, (m) => weekPeriod('Weekly', num(m, 1), num(m, 2))],
  [/^(\d{4})WedW(\d\d?)$/, (m) => weekPeriod('WeeklyWednesday', num(m, 1), num(m, 2))],
  [/^(\d{4})ThuW(\d\d?)$/, (m) => weekPeriod('WeeklyThursday', num(m, 1), num(m, 2))],
  [/^(\d{4})SatW(\d\d?)$/, (m) => weekPeriod('WeeklySaturday', num(m, 1), num(m, 2))],
  [/^(\d{4})SunW(\d\d?)$/, (m) => weekPeriod('WeeklySunday', num(m, 1), num(m, 2))],
  [/^(\d{4})BiW(\d\d?)$/, (m) => biWeekPeriod(num(m, 1), num(m, 2))],
  [/^(\d{4})-?(\d{2})$/, (m) => monthRunPeriod('Monthly', num(m, 1), num(m, 2))],
  [/^(\d{4})(\d{2})B$/, (m) => monthRunPeriod('BiMonthly', num(m, 1), num(m, 2))],
  [/^(\d{4})Q(\d)$/, (m) => monthRunPeriod('Quarterly', num(m, 1), num(m, 2))],
  [/^(\d{4})NovQ(\d)$/, (m) => monthRunPeriod('QuarterlyNov', num(m, 1), num(m, 2))],
  [/^(\d{4})S(\d)$/, (m) => monthRunPeriod('SixMonthly', num(m, 1), num(m, 2))],
  [/^(\d{4})AprilS(\d)$/, (m) => monthRunPeriod('SixMonthlyApril', num(m, 1), num(m, 2))],
  [/^(\d{4})NovS(\d)$/, (m) => monthRunPeriod('SixMonthlyNov', num(m, 1), num(m, 2))],
  [/^(\d{4})$/, (m) => monthRunPeriod('Yearly', num(m, 1), 1)],
  [/^(\d{4})April$/, (m) => monthRunPeriod('FinancialApril', num(m, 1), 1)],
  [/^(\d{4})July$/, (m) => monthRunPeriod('FinancialJuly', num(m, 1), 1)],
  [/^(\d{4})Oct$/, (m) => monthRunPeriod('FinancialOct', num(m, 1), 1)],
  [/^(\d{4})Nov$/, (m) => monthRunPeriod('FinancialNov', num(m, 1), 1)],
];

function dailyPeriod(year: number, month: number, day: number): Period | null {
  const dayNumber = validCivilDay(year, month, day);
  if (dayNumber === null) return null;
  return { iso: `${year}${pad2(month)}${pad2(day)}`, periodType: 'Daily', startDay: dayNumber, endDay: dayNumber };
}

/** The period an ISO string names, or null when DHIS2 would answer "Period not valid" (E7611). */
export function parsePeriod(iso: string | null | undefined): Period | null {
  if (iso === null || iso === undefined) return null;
  for (const [pattern, parse] of PARSERS) {
    const match = pattern.exec(iso);
    if (match) return parse(match);
  }
  return null;
}

export function isPeriodTypeName(name: string | undefined): name is PeriodTypeName {
  return name !== undefined && (name in WEEK_START || name in MONTH_RUNS || name === 'Daily');
}

// ---------------------------------------------------------------------------------------------------
// Placing periods in time

/** The period of `type` that contains the given day. */
export function periodContaining(type: PeriodTypeName, dayNumber: number): Period {
  if (type === 'Daily') {
    const { year, month, day } = civilFromDay(dayNumber);
    return dailyPeriod(year, month, day) as Period;
  }
  const firstDay = WEEK_START[type];
  if (firstDay !== undefined) {
    const weekStart = dayNumber - ((isoDayOfWeek(dayNumber) - firstDay + 7) % 7);
    // The week belongs to the year holding at least four of its days, i.e. the year of its fourth day.
    const weekYear = civilFromDay(weekStart + 3).year;
    const week = (weekStart - firstWeekStart(weekYear, firstDay)) / 7 + 1;
    if (type === 'BiWeekly') return biWeekPeriod(weekYear, Math.ceil(week / 2)) as Period;
    return weekPeriod(type, weekYear, week) as Period;
  }
  const run = MONTH_RUNS[type] as MonthRun;
  const { year } = civilFromDay(dayNumber);
  for (const labelYear of [year + 1, year, year - 1]) {
    for (let index = 1; index <= run.starts.length; index++) {
      const period = monthRunPeriod(type, labelYear, index) as Period;
      if (period.startDay <= dayNumber && dayNumber <= period.endDay) return period;
    }
  }
  throw new RangeError(`no ${type} period contains day ${dayNumber}`);
}

/** The period `count` steps after (or before, when negative) the given one. */
export function shiftPeriod(period: Period, count: number): Period {
  let current = period;
  for (let step = 0; step < Math.abs(count); step++) {
    current = periodContaining(current.periodType, count > 0 ? current.endDay + 1 : current.startDay - 1);
  }
  return current;
}

/** `Period.isAfter`: this period starts after the other one ends. */
export function isAfter(period: Period, other: Period): boolean {
  return period.startDay > other.endDay;
}
