/**
 * A binary max-heap of candidate indices keyed by a float, in typed arrays (no objects per entry).
 * Ties go to the smaller index, so every run picks the same candidates.
 */
export class IndexMaxHeap {
  private readonly ids: Int32Array;
  private readonly keys: Float64Array;
  private count = 0;

  constructor(capacity: number) {
    this.ids = new Int32Array(Math.max(1, capacity));
    this.keys = new Float64Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.count;
  }

  /** Fill from parallel lists in O(n) (Floyd's heapify). */
  static from(ids: ArrayLike<number>, keyOf: (id: number) => number): IndexMaxHeap {
    const heap = new IndexMaxHeap(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      heap.ids[i] = id;
      heap.keys[i] = keyOf(id);
    }
    heap.count = ids.length;
    for (let i = (heap.count >> 1) - 1; i >= 0; i--) heap.down(i);
    return heap;
  }

  push(id: number, key: number): void {
    let i = this.count++;
    this.ids[i] = id;
    this.keys[i] = key;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.above(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  peekId(): number {
    return this.ids[0]!;
  }

  peekKey(): number {
    return this.keys[0]!;
  }

  /** Removes the top entry and returns its id. */
  pop(): number {
    const top = this.ids[0]!;
    this.count--;
    if (this.count > 0) {
      this.ids[0] = this.ids[this.count]!;
      this.keys[0] = this.keys[this.count]!;
      this.down(0);
    }
    return top;
  }

  /** Replaces the key of the top entry and restores order (cheaper than pop + push). */
  updateTop(key: number): void {
    this.keys[0] = key;
    this.down(0);
  }

  private above(a: number, b: number): boolean {
    const ka = this.keys[a]!;
    const kb = this.keys[b]!;
    return ka > kb || (ka === kb && this.ids[a]! < this.ids[b]!);
  }

  private swap(a: number, b: number): void {
    const id = this.ids[a]!;
    this.ids[a] = this.ids[b]!;
    this.ids[b] = id;
    const key = this.keys[a]!;
    this.keys[a] = this.keys[b]!;
    this.keys[b] = key;
  }

  private down(i: number): void {
    const n = this.count;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) return;
      const right = left + 1;
      const child = right < n && this.above(right, left) ? right : left;
      if (!this.above(child, i)) return;
      this.swap(child, i);
      i = child;
    }
  }
}
