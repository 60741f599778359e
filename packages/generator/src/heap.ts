// A binary min-heap: the generator's bounded "what is due next" queues (follow-up versions, ANC visits,
// immunization contacts) are all kept in one of these.
export class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly isBefore: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  /** The item at a storage position (not in order): for sampling the heap's contents at random. */
  at(index: number): T | undefined {
    return this.items[index];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let child = items.length - 1;
    while (child > 0) {
      const parent = (child - 1) >>> 1;
      if (!this.isBefore(item, items[parent] as T)) break;
      items[child] = items[parent] as T;
      child = parent;
    }
    items[child] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let parent = 0;
    for (;;) {
      const left = 2 * parent + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child =
        right < items.length && this.isBefore(items[right] as T, items[left] as T) ? right : left;
      if (!this.isBefore(items[child] as T, last)) break;
      items[parent] = items[child] as T;
      parent = child;
    }
    items[parent] = last;
    return top;
  }
}
