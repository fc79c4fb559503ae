/**
 * A static packed R-tree over axis-aligned boxes (sort-tile-recursive packing), built once and
 * rebuilt when the boxes change. Searching touches only the nodes whose boxes meet the query,
 * so a point query over hundreds of boxes costs a handful of comparisons.
 */
export class BoxIndex {
  readonly #nodeSize: number;
  /** Per level, from the leaves up: minX, minY, maxX, maxY of each node. */
  readonly #levels: Float64Array[];
  /** Leaf position -> index of the box as given. */
  readonly #order: Uint32Array;

  /** `boxes` holds minX, minY, maxX, maxY for each item, in item order. */
  constructor(boxes: Float64Array, nodeSize = 8) {
    this.#nodeSize = nodeSize;
    const count = boxes.length / 4;
    this.#order = sortTileRecursive(boxes, count, nodeSize);
    const leaves = new Float64Array(count * 4);
    this.#order.forEach((item, at) => {
      leaves.set(boxes.subarray(item * 4, item * 4 + 4), at * 4);
    });
    this.#levels = [leaves];
    let level: Float64Array = leaves;
    while (level.length > 4 * nodeSize) {
      level = parentsOf(level, nodeSize);
      this.#levels.push(level);
    }
  }

  get size(): number {
    return this.#order.length;
  }

  /** Calls `visit` with the index of every box that meets the query box (edges included). */
  search(
    minX: number,
    minY: number,
    maxX: number,
    maxY: number,
    visit: (item: number) => void,
  ): void {
    const top = this.#levels.length - 1;
    const topNodes = (this.#levels[top] as Float64Array).length / 4;
    const stack: number[] = [];
    for (let node = 0; node < topNodes; node++) stack.push(top, node);
    while (stack.length > 0) {
      const node = stack.pop() as number;
      const depth = stack.pop() as number;
      const boxes = this.#levels[depth] as Float64Array;
      const at = node * 4;
      if (
        (boxes[at] as number) > maxX ||
        (boxes[at + 1] as number) > maxY ||
        (boxes[at + 2] as number) < minX ||
        (boxes[at + 3] as number) < minY
      ) {
        continue;
      }
      if (depth === 0) {
        visit(this.#order[node] as number);
        continue;
      }
      const children = (this.#levels[depth - 1] as Float64Array).length / 4;
      const end = Math.min(children, (node + 1) * this.#nodeSize);
      for (let child = node * this.#nodeSize; child < end; child++) stack.push(depth - 1, child);
    }
  }
}

/** Leaf order: slices by centre x, each slice sorted by centre y. */
function sortTileRecursive(boxes: Float64Array, count: number, nodeSize: number): Uint32Array {
  const centreX = (i: number) => (boxes[i * 4] as number) + (boxes[i * 4 + 2] as number);
  const centreY = (i: number) => (boxes[i * 4 + 1] as number) + (boxes[i * 4 + 3] as number);
  const items = Array.from({ length: count }, (_, i) => i).sort((a, b) => centreX(a) - centreX(b));
  const sliceCount = Math.ceil(Math.sqrt(Math.ceil(count / nodeSize)));
  const sliceSize = Math.max(1, sliceCount) * nodeSize;
  const order = new Uint32Array(count);
  for (let start = 0; start < count; start += sliceSize) {
    const slice = items.slice(start, start + sliceSize).sort((a, b) => centreY(a) - centreY(b));
    order.set(slice, start);
  }
  return order;
}

function parentsOf(children: Float64Array, nodeSize: number): Float64Array {
  const childCount = children.length / 4;
  const parents = new Float64Array(Math.ceil(childCount / nodeSize) * 4);
  for (let parent = 0; parent * nodeSize < childCount; parent++) {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    const end = Math.min(childCount, (parent + 1) * nodeSize);
    for (let child = parent * nodeSize; child < end; child++) {
      minX = Math.min(minX, children[child * 4] as number);
      minY = Math.min(minY, children[child * 4 + 1] as number);
      maxX = Math.max(maxX, children[child * 4 + 2] as number);
      maxY = Math.max(maxY, children[child * 4 + 3] as number);
    }
    parents.set([minX, minY, maxX, maxY], parent * 4);
  }
  return parents;
}
