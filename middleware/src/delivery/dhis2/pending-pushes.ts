// Per facility, the cell groups that may be waiting for a push: an index, so that one post can carry a
// facility's other waiting groups along with its own (a replay, a district back online after weeks: dozens
// of months and weeks at once). Only an index: every dirty group still has its own push job, so a group
// missing from it is pushed all the same, by itself.
import type { Redis } from 'ioredis';
import { groupKeyOf, groupOfKey, type CellGroup } from '../../domain/cells.js';
import type { RedisKeys } from '../../redis/keys.js';
import { repliesOf } from '../../redis/replies.js';

export class PendingPushes {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async add(groups: readonly CellGroup[]): Promise<void> {
    if (groups.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const group of groups) pipeline.sadd(this.keys.pendingPushesAt(group.orgUnit), groupKeyOf(group));
    await repliesOf(pipeline);
  }

  /** Up to `limit` groups of the facility that may be waiting, other than `except`. */
  async others(except: CellGroup, limit: number): Promise<CellGroup[]> {
    const exceptKey = groupKeyOf(except);
    const members = await this.redis.srandmember(this.keys.pendingPushesAt(except.orgUnit), limit + 1);
    return members.filter((key) => key !== exceptKey).slice(0, limit).map(groupOfKey);
  }

  async forget(groups: readonly CellGroup[]): Promise<void> {
    if (groups.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const group of groups) pipeline.srem(this.keys.pendingPushesAt(group.orgUnit), groupKeyOf(group));
    await repliesOf(pipeline);
  }
}
