/**
 * What a server keeps per connection, from two V8 heap snapshots of it: one before the
 * connections, one while it holds `--per` of them. Objects are grouped by constructor (or
 * string/closure/array kind) and the growth of each group is divided by the connection count.
 * Take the snapshots with `--heapsnapshot-signal=SIGUSR2` on the server's command line and
 * `kill -USR2 <pid>` (a snapshot starts with a full GC).
 *
 *   node --import tsx bench/gateway/heap-snapshot-diff.ts BEFORE.heapsnapshot AFTER.heapsnapshot
 *     --per 5000 [--top 30]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { table } from './report.ts';

interface Snapshot {
  readonly snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  readonly nodes: number[];
  readonly strings: string[];
}

interface Group {
  count: number;
  bytes: number;
}

function groups(path: string): Map<string, Group> {
  const heap = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const fields = heap.snapshot.meta.node_fields;
  const kinds = heap.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const result = new Map<string, Group>();
  for (let i = 0; i < heap.nodes.length; i += width) {
    const kind = kinds[heap.nodes[i + typeAt] ?? 0] ?? '?';
    const name = heap.strings[heap.nodes[i + nameAt] ?? 0] ?? '';
    // Strings and code are grouped by kind alone: their "name" is their content.
    const key =
      kind === 'object' || kind === 'closure' || kind === 'native'
        ? `${kind} ${name.slice(0, 60)}`
        : kind;
    const group = result.get(key) ?? { count: 0, bytes: 0 };
    group.count++;
    group.bytes += heap.nodes[i + sizeAt] ?? 0;
    result.set(key, group);
  }
  return result;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { per: { type: 'string' }, top: { type: 'string', default: '30' } },
});
const [beforePath, afterPath] = positionals;
const per = Number(values.per);
if (beforePath === undefined || afterPath === undefined || !(per > 0)) {
  console.error('usage: heap-snapshot-diff.ts BEFORE AFTER --per CONNECTIONS [--top N]');
  process.exit(2);
}
const before = groups(beforePath);
const after = groups(afterPath);
const rows = [...after.entries()]
  .map(([key, a]) => {
    const b = before.get(key) ?? { count: 0, bytes: 0 };
    return { key, count: (a.count - b.count) / per, bytes: (a.bytes - b.bytes) / per };
  })
  .sort((x, y) => y.bytes - x.bytes);
const total = rows.reduce((sum, r) => sum + r.bytes, 0);
console.log(`Heap growth per connection: ${total.toFixed(0)} B (self sizes, ${per} connections)\n`);
console.log(
  table(
    ['object group', 'objects per connection', 'bytes per connection'],
    rows.slice(0, Number(values.top)).map((r) => [r.key, r.count.toFixed(2), r.bytes.toFixed(0)]),
  ),
);
