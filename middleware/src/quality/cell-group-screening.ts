// Data-quality screening of the cell groups of a DHIS2 post on their way (DESIGN.md §10). Called by the push
// job with the values it is about to send and the values DHIS2 was last sent, for every group the post
// carries (a facility's backlog of months rides in one post); it judges the cells that changed against the
// facility's own history (the same group's earlier months, as the ledger last pushed them, or as this post
// sends them) and the related cells of the same month, told of the campaigns declared for the facility
// (campaigns.yaml); records each flag against its cell and clears the flags of changed cells that no longer
// apply. Nothing is blocked: the values are sent as they are, whatever the screening says, and a screening
// that fails is logged (group coordinates only) and the push goes on.
//
// Cost, per post and facility: one Redis round trip (the months the screening reads that neither the post
// sends nor this process has read or sent in the last 30 s, and the standing flags of the months screened),
// each data set's history built once and every changed month of it judged in one call of the package, and,
// only when a flag appears or goes, one script and a read of the flagged cells' encounters. A correction (a
// month sent before whose values change) also re-judges the facility's later months that read it
// (history-months.ts), on the corrected cells only: two more round trips (those months, then their history)
// and one screening per later month that was pushed or is flagged.
import type { RedisClient } from '../redis/connection.js';
import { screenPeriods, type Flag, type KnownEvent } from '@smc-bridge/data-quality';
import type { DataQualityConfig } from '@smc-bridge/data-quality/config';
import { cellInGroupKeyOf, type CellGroup, type CellValue } from '../domain/cells.js';
import type { Ledger } from '../ledger/ledger.js';
import { knownEventsAt, type Campaign } from '../mapping-files/campaigns-file.js';
import type { Logger } from '../logging/logger.js';
import type { ServiceMetrics } from '../metrics/service-metrics.js';
import type { RedisKeys } from '../redis/keys.js';
import { ENCOUNTERS_KEPT, flagFieldOf, isFlagOfGroup, QualityFlags, type CellFlag } from './flag-store.js';
import { districtByCode } from './org-unit-districts.js';
import { facilityHistory, isMonthlyPeriod, laterMonthsReading, monthsScreeningReads, monthValuesOf, monthValuesOfCells, type MonthValues } from './history-months.js';

/** One cell group of a post, as the screening sees it: the values it sends and those DHIS2 was last sent. */
export interface ScreenedGroup {
  group: CellGroup;
  sending: readonly CellValue[];
  lastSent: readonly CellValue[];
}

/** What the push job asks of the screening: which of the cells it sends go marked for follow-up. */
export interface PushScreening {
  /**
   * Screens the groups of one post together. Never throws. Returns, for each group in the order given, the
   * cells (as `cellInGroupKeyOf`) to send with `followup: true`.
   */
  screen(groups: readonly ScreenedGroup[]): Promise<ReadonlySet<string>[]>;
}

export interface CellGroupScreeningDeps {
  redis: RedisClient;
  keys: RedisKeys;
  ledger: Pick<Ledger, 'encountersBehind'>;
  flags: QualityFlags;
  config: DataQualityConfig;
  /** Data sets whose flagged values DHIS2 is sent marked for follow-up (DATA_QUALITY_FOLLOWUP_DATASETS). */
  followupDataSets: readonly string[];
  logger: Logger;
  metrics?: ServiceMetrics;
  now?: () => Date;
  /** The declared campaigns (campaigns.yaml): a campaign month's rise in its elements is a signal, not an error. */
  campaigns?: readonly Campaign[];
  /** A facility's district, for campaigns declared by district (default: by its code). */
  districtOf?: (orgUnit: string) => string;
}

const NONE: ReadonlySet<string> = new Set();
const NO_EVENTS: readonly KnownEvent[] = [];

/**
 * How long a process reuses a month of history it read (or sent itself) before reading it again. Another
 * process's push of that month shows after at most this long: the screening may judge against a history
 * that much older, never the values it sends.
 */
export const HISTORY_CACHE_MS = 30_000;
/** A month found not reported (nothing sent yet) is read again sooner: during a backfill it is sent soon. */
export const UNREPORTED_CACHE_MS = 5_000;
const HISTORY_CACHE_MONTHS = 20_000;
/** Up to this many reads go as plain commands rather than a pipeline (hashes()). */
const FEW_COMMANDS = 4;

export class CellGroupScreening implements PushScreening {
  private readonly followupDataSets: ReadonlySet<string>;
  /** Months of history read lately, by their pushed record's key (insertion order: oldest first). */
  private readonly history = new Map<string, { values: MonthValues; until: number }>();
  /** Data element → the elements screening it needs beside it (its group's, its relations', its signals'). */
  private readonly companions = new Map<string, ReadonlySet<string>>();
  /** The elements to read for a set of changed elements (as listed in the push), the sets seen lately. */
  private readonly elementSets = new Map<string, ReadonlySet<string>>();

  constructor(private readonly deps: CellGroupScreeningDeps) {
    this.followupDataSets = new Set(deps.followupDataSets);
  }

  async screen(groups: readonly ScreenedGroup[]): Promise<ReadonlySet<string>[]> {
    const followups: ReadonlySet<string>[] = groups.map(() => NONE);
    // One screening per facility: its keys share one slot (redis/keys.ts), so its reads are one round trip.
    const byFacility = new Map<string, number[]>();
    groups.forEach(({ group }, i) => {
      if (!isMonthlyPeriod(group.period)) return;
      const list = byFacility.get(group.orgUnit) ?? [];
      list.push(i);
      byFacility.set(group.orgUnit, list);
    });
    for (const [orgUnit, indexes] of byFacility) {
      const started = performance.now();
      try {
        const found = await this.screenFacility(indexes.map((i) => groups[i]!));
        indexes.forEach((i, k) => (followups[i] = found[k]!));
        this.deps.metrics?.observeScreening('screened', (performance.now() - started) / 1000);
      } catch (error) {
        // The values still go to DHIS2. Aggregate coordinates only in the log: no patient data is at hand here.
        const screened = indexes.map((i) => groups[i]!.group);
        this.deps.logger.error(
          { orgUnit, groups: screened.map(({ dataSet, period }) => `${dataSet} ${period}`), err: { name: (error as Error).name, message: (error as Error).message } },
          'data-quality screening failed; the values are pushed unscreened',
        );
        this.deps.metrics?.observeScreening('failed', (performance.now() - started) / 1000);
      }
    }
    return followups;
  }

  /**
   * The groups of one facility that one post sends. Each month is judged against the months before it as
   * DHIS2 will hold them after this post: a month the post also sends counts with the values it sends.
   */
  private async screenFacility(parts: readonly ScreenedGroup[]): Promise<ReadonlySet<string>[]> {
    const { keys, config } = this.deps;
    const orgUnit = parts[0]!.group.orgUnit;
    const judged = parts.map((part) => ({ ...part, ...changesOf(part), series: seriesOf(part.group), marksFollowup: this.followupDataSets.has(part.group.dataSet) }));
    const active = judged.filter((part) => part.changed.size > 0 || part.marksFollowup);
    if (active.length === 0) return parts.map(() => NONE);
    const changedParts = judged.filter((part) => part.changed.size > 0);

    // Months by series (data set and attribute option combo); what this post sends is history for its later
    // months (DHIS2 holds no zero of ours), and is what this process remembers of them.
    const now = Date.now();
    const months = new Map<string, Map<string, MonthValues>>();
    const monthsOf = (series: string) => {
      let found = months.get(series);
      if (!found) months.set(series, (found = new Map()));
      return found;
    };
    for (const part of judged) {
      monthsOf(part.series).set(part.group.period, monthValuesOfCells(part.sending));
      if (part.changed.size === 0) continue;
      const held = monthValuesOfCells(part.sending.filter((cell) => cell.value !== 0));
      this.remember(keys.ledgerPushed(part.group), held.size > 0 ? held : undefined, now);
    }

    // One round trip: the months the changed groups' screening reads that neither this post sends nor this
    // process has read in the last HISTORY_CACHE_MS, the standing flags of each period screened, and after a
    // correction (a month sent before whose values change) the facility's flagged periods.
    const unread: { series: string; period: string; key: string }[] = [];
    for (const part of changedParts) {
      const seriesMonths = monthsOf(part.series);
      for (const period of monthsScreeningReads(part.group.period, config.screening.seasonalYears)) {
        if (seriesMonths.has(period)) continue;
        const key = keys.ledgerPushed({ ...part.group, period });
        const cached = this.history.get(key);
        if (cached && cached.until > now) seriesMonths.set(period, cached.values);
        else {
          seriesMonths.set(period, undefined);
          unread.push({ series: part.series, period, key });
        }
      }
    }
    const periods = [...new Set(active.map((part) => part.group.period))];
    const corrected = changedParts.some((part) => part.lastSent.length > 0);
    const replies = await this.hashes([...unread.map(({ key }) => key), ...periods.map((period) => keys.qualityFlags(orgUnit, period))], corrected ? keys.qualityFlaggedPeriods(orgUnit) : undefined);
    const flaggedPeriods = corrected ? new Set(replies.pop() as unknown as string[]) : undefined;
    unread.forEach(({ series, period, key }, i) => {
      const values = monthValuesOf(replies[i]!);
      monthsOf(series).set(period, values);
      this.remember(key, values, now);
    });
    const standingIn = new Map(periods.map((period, i) => [period, QualityFlags.parse(replies[unread.length + i] ?? {})]));

    // Each series' history built and indexed once, every changed month of it judged in one call.
    const found = new Map<(typeof judged)[number], Flag[]>();
    for (const [series, seriesMonths] of months) {
      const inSeries = changedParts.filter((part) => part.series === series);
      if (inSeries.length === 0) continue;
      const elements = this.elementsToRead(new Set(inSeries.flatMap((part) => [...part.changedElements])));
      const screened = inSeries.map((part) => part.group.period).sort();
      const history = facilityHistory(orgUnit, screened[screened.length - 1]!, seriesMonths, elements);
      const flags = screenPeriods(history, screened, config, { knownEvents: this.knownEventsAt(orgUnit) });
      for (const part of inSeries) found.set(part, flags.filter((flag) => flag.period === part.group.period && touches(flag.cells, part.changed)));
    }

    const followups: ReadonlySet<string>[] = [];
    const rejudged: (typeof judged)[number][] = [];
    for (const part of judged) {
      const standing = (standingIn.get(part.group.period) ?? []).filter((flag) => isFlagOfGroup(flag, part.group));
      let kept = standing;
      const flags = found.get(part);
      if (flags) {
        const replaced = standing.filter((flag) => touches(flag.cells, part.changed));
        const raised = await this.recorded(part.group, flags);
        await this.deps.flags.replace(orgUnit, part.group.period, replaced, raised);
        const replacedFields = new Set(replaced.map(flagFieldOf));
        kept = [...standing.filter((flag) => !replacedFields.has(flagFieldOf(flag))), ...raised];
        this.deps.metrics?.countFlagsRaised(raised.filter((flag) => !replacedFields.has(flagFieldOf(flag))));
        if (part.lastSent.length > 0) rejudged.push(part);
      }
      followups.push(part.marksFollowup ? new Set(kept.filter((flag) => flag.kind === 'error').map(cellInGroupKeyOf)) : NONE);
    }
    // After every month of the post has its own flags: each correction's later months, their flags read afresh.
    for (const part of rejudged) await this.rejudgeLaterMonths(part.group, part.changed, this.elementsToRead(part.changedElements), flaggedPeriods ?? new Set());
    return followups;
  }

  /** The campaigns covering a facility, as the package's known events (a short list: not cached, so a district map loaded later applies at once). */
  private knownEventsAt(orgUnit: string): readonly KnownEvent[] {
    const campaigns = this.deps.campaigns;
    if (!campaigns || campaigns.length === 0) return NO_EVENTS;
    return knownEventsAt(campaigns, orgUnit, this.deps.districtOf ?? districtByCode);
  }

  /**
   * After a correction to a past month: the facility's later months whose screening reads it (same group),
   * judged again on the corrected cells, their flags on those cells cleared or raised to match. Values do not
   * change, so nothing is sent to DHIS2. Bounded: the 25 later months that read the month, those pushed, or
   * with standing flags; their months of history read in one round trip (with what this process holds).
   */
  private async rejudgeLaterMonths(group: CellGroup, changed: ReadonlySet<string>, elements: ReadonlySet<string>, flaggedPeriods: ReadonlySet<string>): Promise<void> {
    const { keys, config } = this.deps;
    const years = config.screening.seasonalYears;
    const later = laterMonthsReading(group.period, years);
    const flagged = later.filter((period) => flaggedPeriods.has(period));
    const months = new Map<string, MonthValues>();
    // First the later months themselves (and the flags standing on those that have any); then the history of
    // those that were pushed.
    const [standingReplies] = await this.readMonths(group, later, months, flagged.map((period) => keys.qualityFlags(group.orgUnit, period)));
    const standingOf = new Map(flagged.map((period, i) => [period, QualityFlags.parse(standingReplies[i]!).filter((flag) => isFlagOfGroup(flag, group))]));
    const judged = later.filter((period) => months.get(period) !== undefined);
    const history = new Set<string>();
    for (const period of judged) for (const read of monthsScreeningReads(period, years)) if (!months.has(read)) history.add(read);
    await this.readMonths(group, [...history], months, []);
    // The pushed later months judged in one call, on one history up to the last of them.
    const judgedFlags =
      judged.length === 0 ? [] : screenPeriods(facilityHistory(group.orgUnit, judged[judged.length - 1]!, months, elements), judged, config, { knownEvents: this.knownEventsAt(group.orgUnit) });

    for (const period of later) {
      const standing = (standingOf.get(period) ?? []).filter((flag) => touches(flag.cells, changed));
      if (months.get(period) === undefined && standing.length === 0) continue;
      const laterGroup = { ...group, period };
      const flags = judgedFlags.filter((flag) => flag.period === period && touches(flag.cells, changed));
      const found = new Set(flags.map((flag) => flagFieldOf({ ...laterGroup, ...flag })));
      const same = new Set(standing.map(flagFieldOf));
      // A flag that still holds stays as it was recorded (its encounters, its time); the others go or come.
      const fresh = flags.filter((flag) => !same.has(flagFieldOf({ ...laterGroup, ...flag })));
      const stale = standing.filter((flag) => !found.has(flagFieldOf(flag)));
      if (fresh.length === 0 && stale.length === 0) continue;
      const raised = await this.recorded(laterGroup, fresh);
      await this.deps.flags.replace(group.orgUnit, period, stale, raised);
      this.deps.metrics?.countFlagsRaised(raised);
    }
  }

  /**
   * The values of the group's given months into `months` (from this process's cache where fresh, else read),
   * with HGETALL of the extra keys in the same round trip; returns the extra keys' replies.
   */
  private async readMonths(group: CellGroup, periods: readonly string[], months: Map<string, MonthValues>, extra: readonly string[]): Promise<[Record<string, string>[]]> {
    const now = Date.now();
    const unread: { period: string; key: string }[] = [];
    for (const period of periods) {
      const key = this.deps.keys.ledgerPushed({ ...group, period });
      const cached = this.history.get(key);
      if (cached && cached.until > now) months.set(period, cached.values);
      else unread.push({ period, key });
    }
    if (unread.length === 0 && extra.length === 0) return [[]];
    const replies = await this.hashes([...unread.map(({ key }) => key), ...extra]);
    unread.forEach(({ period, key }, i) => {
      const values = monthValuesOf(replies[i]!);
      months.set(period, values);
      this.remember(key, values, now);
    });
    return [replies.slice(unread.length)];
  }

  /**
   * HGETALL of each key (and SMEMBERS of a set key last) in one round trip (keys of one facility: one slot,
   * redis/keys.ts). A few are sent as plain commands, which ioredis writes back to back: a pipeline object
   * costs more to build than they do (it copies every script the client defines).
   */
  private async hashes(keys: readonly string[], setKey?: string): Promise<Record<string, string>[]> {
    const { redis } = this.deps;
    if (keys.length + (setKey === undefined ? 0 : 1) <= FEW_COMMANDS) {
      const replies: Promise<unknown>[] = keys.map((key) => redis.hgetall(key));
      if (setKey !== undefined) replies.push(redis.smembers(setKey));
      return (await Promise.all(replies)) as Record<string, string>[];
    }
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.hgetall(key);
    if (setKey !== undefined) pipeline.smembers(setKey);
    return ((await pipeline.exec()) ?? []).map(([error, reply]) => {
      if (error) throw error;
      return reply as Record<string, string>;
    });
  }

  private remember(key: string, values: MonthValues, now: number): void {
    if (HISTORY_CACHE_MS <= 0) return;
    this.history.delete(key);
    if (this.history.size >= HISTORY_CACHE_MONTHS) this.history.delete(this.history.keys().next().value as string);
    this.history.set(key, { values, until: now + (values === undefined ? UNREPORTED_CACHE_MS : HISTORY_CACHE_MS) });
  }

  /** The flags as recorded: with the group's coordinates and the encounters behind each flagged cell. */
  private async recorded(group: CellGroup, flags: readonly Flag[]): Promise<CellFlag[]> {
    const raisedAt = (this.deps.now?.() ?? new Date()).toISOString();
    const behind = new Map<string, Awaited<ReturnType<Ledger['encountersBehind']>>>();
    for (const flag of flags) {
      const key = cellInGroupKeyOf(flag);
      if (!behind.has(key)) behind.set(key, await this.deps.ledger.encountersBehind(group, flag.dataElement, flag.categoryOptionCombo));
    }
    return flags.map((flag): CellFlag => {
      const encounters = behind.get(cellInGroupKeyOf(flag)) ?? [];
      return {
        dataSet: group.dataSet,
        orgUnit: group.orgUnit,
        period: group.period,
        attributeOptionCombo: group.attributeOptionCombo,
        dataElement: flag.dataElement,
        categoryOptionCombo: flag.categoryOptionCombo,
        ruleId: flag.ruleId,
        kind: flag.kind,
        severity: flag.severity,
        value: flag.value,
        expected: flag.expected,
        score: flag.score,
        ...(flag.explainedRule !== undefined ? { explainedRule: flag.explainedRule } : {}),
        explanation: flag.explanation,
        cells: flag.cells.map(({ dataElement, categoryOptionCombo }) => ({ dataElement, categoryOptionCombo })),
        encounters: encounters.slice(0, ENCOUNTERS_KEPT),
        encounterCount: encounters.length,
        raisedAt,
      };
    });
  }

  /** The data elements the screening of these changed elements reads: theirs and their companions'. */
  private elementsToRead(changedElements: ReadonlySet<string>): ReadonlySet<string> {
    const key = [...changedElements].join('\u0000');
    const known = this.elementSets.get(key);
    if (known) return known;
    const elements = new Set<string>();
    for (const dataElement of changedElements) for (const companion of this.companionsOf(dataElement)) elements.add(companion);
    if (this.elementSets.size >= 1000) this.elementSets.clear();
    this.elementSets.set(key, elements);
    return elements;
  }

  private companionsOf(dataElement: string): ReadonlySet<string> {
    const known = this.companions.get(dataElement);
    if (known) return known;
    const { groups, relations, signals } = this.deps.config;
    const companions = new Set([dataElement]);
    const addAllIf = (list: readonly string[]) => {
      if (list.includes(dataElement)) for (const element of list) companions.add(element);
    };
    for (const group of groups) addAllIf(group.dataElements);
    for (const relation of relations) addAllIf([...relation.left, ...relation.right].map((operand) => operand.dataElement));
    for (const signal of signals) addAllIf([...signal.when.flatMap((change) => change.dataElements), ...signal.explains.flatMap((explained) => explained.dataElements)]);
    this.companions.set(dataElement, companions);
    return companions;
  }
}

/** The cells of a group whose value differs from what DHIS2 was last sent, and their data elements. */
function changesOf(part: ScreenedGroup): { changed: Set<string>; changedElements: Set<string> } {
  const before = new Map(part.lastSent.map((cell) => [cellInGroupKeyOf(cell), cell.value]));
  const changed = new Set<string>();
  const changedElements = new Set<string>();
  for (const cell of part.sending) {
    const key = cellInGroupKeyOf(cell);
    if (before.get(key) === cell.value) continue;
    changed.add(key);
    changedElements.add(cell.dataElement);
  }
  return { changed, changedElements };
}

/** A facility's months of one data set and attribute option combo: what a group's history runs along. */
function seriesOf(group: CellGroup): string {
  return `${group.dataSet}\u0000${group.attributeOptionCombo}`;
}

function touches(cells: readonly { dataElement: string; categoryOptionCombo: string }[], changed: ReadonlySet<string>): boolean {
  return cells.some((cell) => changed.has(cellInGroupKeyOf(cell)));
}
