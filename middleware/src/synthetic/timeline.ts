// When things arrive: spreads the stream's positions ("slots") over the days of the window, busier on
// weekdays than at weekends, and over clinic hours within each day, so that the stream reads in arrival
// order. Holds one entry per day of the window, whatever the number of encounters.
import { DateTime } from 'luxon';
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
    return DateTime.fromISO(slot.date, { zone: timeZone }).plus({ minutes: slot.minuteOfDay });
  }

  /** Local midnight starting the window, on a facility's clock. */
  windowStart(timeZone: string): DateTime {
    return DateTime.fromISO(this.firstDate, { zone: timeZone });
  }
}
