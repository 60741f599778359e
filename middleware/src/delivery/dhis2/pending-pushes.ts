// Per facility, the cell groups that may be waiting for a push: an index, so that one post can carry a
// facility's other waiting groups along with its own (a replay, a district back online after weeks: dozens
// of months and weeks at once). Only an index: every dirty group still has its own push job, so a group
// missing from it is pushed all the same, by itself.
import { groupKeyOf, groupOfKey, type CellGroup } from '../../domain/cells.js';
import type { RedisKeys } from '../../redis/keys.js';
import { Batch } from '../../redis/batch.js';
import type { RedisClient } from '../../redis/connection.js';

export class PendingPushes {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async add(groups: readonly CellGroup[]): Promise<void> {
    if (groups.length === 0) return;
    const batch = new Batch(this.redis);
    for (const group of groups) {
      const key = this.keys.pendingPushesAt(group.orgUnit);
      batch.add(key, (pipeline) => pipeline.sadd(key, groupKeyOf(group)));
    }
    await batch.exec();
  }

  /** Up to `limit` groups of the facility that may be waiting, other than `except`. */
  async others(except: CellGroup, limit: number): Promise<CellGroup[]> {
    const exceptKey = groupKeyOf(except);
    const members = await this.redis.srandmember(this.keys.pendingPushesAt(except.orgUnit), limit + 1);
    return members.filter((key) => key !== exceptKey).slice(0, limit).map(groupOfKey);
  }

  async forget(groups: readonly CellGroup[]): Promise<void> {
    if (groups.length === 0) return;
    const batch = new Batch(this.redis);
    for (const group of groups) {
      const key = this.keys.pendingPushesAt(group.orgUnit);
      batch.add(key, (pipeline) => pipeline.srem(key, groupKeyOf(group)));
    }
    await batch.exec();
  }
}
