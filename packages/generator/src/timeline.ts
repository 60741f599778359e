// When things arrive: spreads the stream's positions ("slots") over the days of the window, busier on
// weekdays than at weekends, and over clinic hours within each day, so that the stream reads in arrival
// order. Holds one entry per day of the window, whatever the number of encounters.
import { DateTime, FixedOffsetZone } from 'luxon';
import { addDays, weekdayOf } from './calendar.js';

export interface Slot {
  /** Local calendar date (YYYY-MM-DD) of the arrival. */
  date: string;
  /** Minutes after local midnight. */
  minuteOfDay: number;
}

const DAY_WEIGHT_BY_WEEKDAY = [1, 1, 1, 1, 1, 0.55, 0.25]; // Monday … Sunday
/** Arrivals (records saved) run from opening plus a first patient's visit until closing. */
const FIRST_ARRIVAL_MINUTE = 8 * 60 + 15;
const LAST_ARRIVAL_MINUTE = 17 * 60;

export class Timeline {
  readonly firstDate: string;
  readonly lastDate: string;
  private readonly dates: string[] = [];
  /** dayEnds[d] is one past the last slot that falls on dates[d]. */
  private readonly dayEnds: number[] = [];
  private cursor = 0;

  constructor(lastDate: string, days: number, slotCount: number) {
    this.lastDate = lastDate;
    this.firstDate = addDays(lastDate, -(days - 1));
    const weights: number[] = [];
    let total = 0;
    for (let day = 0; day < days; day++) {
      const date = addDays(this.firstDate, day);
      this.dates.push(date);
      const weight = DAY_WEIGHT_BY_WEEKDAY[weekdayOf(date) - 1] as number;
      weights.push(weight);
      total += weight;
    }
    let cumulative = 0;
    for (const weight of weights) {
      cumulative += weight;
      this.dayEnds.push(Math.round((slotCount * cumulative) / total));
    }
    this.dayEnds[this.dayEnds.length - 1] = slotCount;
  }

  /** Where slot `index` falls. Slots must be asked for in non-decreasing order. */
  slot(index: number): Slot {
    while ((this.dayEnds[this.cursor] as number) <= index) this.cursor += 1;
    const dayStart = this.cursor === 0 ? 0 : (this.dayEnds[this.cursor - 1] as number);
    const slotsThatDay = (this.dayEnds[this.cursor] as number) - dayStart;
    const position = (index - dayStart + 0.5) / slotsThatDay;
    return {
      date: this.dates[this.cursor] as string,
      minuteOfDay: FIRST_ARRIVAL_MINUTE + Math.floor(position * (LAST_ARRIVAL_MINUTE - FIRST_ARRIVAL_MINUTE)),
    };
  }

  /** The slot's moment on a facility's local clock. */
  localTime(slot: Slot, timeZone: string): DateTime {
    return minutesLater(this.localMidnight(slot.date, timeZone), slot.minuteOfDay);
  }

  /** Local midnight starting the window, on a facility's clock. */
  windowStart(timeZone: string): DateTime {
    return this.localMidnight(this.firstDate, timeZone);
  }

  // Resolving an IANA zone's offset is the costliest thing luxon does here, so each zone's offset is resolved
  // once per date and that day's times are built on the fixed offset. (Africa/Douala and Africa/Bamako have
  // no daylight-saving time, so a day has a single offset.)
  private readonly midnights = new Map<string, DateTime>();

  private localMidnight(date: string, timeZone: string): DateTime {
    const key = `${timeZone} ${date}`;
    let midnight = this.midnights.get(key);
    if (midnight === undefined) {
      const offset = DateTime.fromISO(date, { zone: timeZone }).offset;
      midnight = DateTime.fromISO(date, { zone: FixedOffsetZone.instance(offset) });
      if (this.midnights.size >= 64) this.midnights.clear();
      this.midnights.set(key, midnight);
    }
    return midnight;
  }
}

/** The moment `minutes` after (or, when negative, before) `dateTime`, on the same clock. */
export function minutesLater(dateTime: DateTime, minutes: number): DateTime {
  return DateTime.fromMillis(dateTime.toMillis() + minutes * 60_000, { zone: dateTime.zone });
}

/** ISO 8601 with the numeric offset always written out (+00:00 rather than Z, as clinic devices send it). */
export function isoWithOffset(dateTime: DateTime): string {
  const iso = dateTime.toISO({ suppressMilliseconds: true }) as string;
  return iso.endsWith('Z') ? `${iso.slice(0, -1)}+00:00` : iso;
}
