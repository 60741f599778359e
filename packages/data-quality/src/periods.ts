// Monthly DHIS2 periods (`YYYYMM`) as month numbers that can be added and compared: January of year 0 is
// month 0, so `month % 12` is the calendar month (0 = January) and consecutive months differ by one.

export function monthNumber(period: string): number {
  const match = /^(\d{4})-?(\d{2})$/.exec(period);
  const month = match ? Number(match[2]) : 0;
  if (!match || month < 1 || month > 12) throw new RangeError(`not a monthly period: ${period}`);
  return Number(match[1]) * 12 + month - 1;
}

export function periodOf(month: number): string {
  return `${Math.floor(month / 12)}${String((month % 12) + 1).padStart(2, '0')}`;
}

export function yearOf(month: number): number {
  return Math.floor(month / 12);
}

/** 0 = January … 11 = December. */
export function calendarMonthOf(month: number): number {
  return month % 12;
}

export const MONTH_NAMES = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
} as const;
