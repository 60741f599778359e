// No import cycles between the folders of middleware/src (issue 10): each folder may lean on others only
// one way, so a folder can be read, tested and replaced without the ones that lean on it. Imports are read
// from the sources themselves (static `import … from` and `export … from`, type-only ones included: a
// cycle of types is a cycle of concepts too).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourcesUnder(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** The folder of a source file relative to src ('.' for the files at the top). */
const folderOf = (file: string) => relative(SRC, dirname(file)).split('/')[0] || '.';

function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourcesUnder(SRC)) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const match of readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/gms)) {
      const target = resolve(dirname(file), match[1]!);
      if (!target.startsWith(SRC)) continue;
      const to = folderOf(target);
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the folders along it. */
function cyclesOf(graph: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

test('the folders of middleware/src import each other without a cycle', () => {
  const graph = folderGraph();
  expect(graph.size).toBeGreaterThan(10); // the walk found the sources
  expect([...graph.get('delivery')!]).toEqual(expect.arrayContaining(['ledger', 'domain', 'redis'])); // and their imports
  expect(cyclesOf(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
});

test('the check sees a cycle when there is one', () => {
  const graph = new Map([
    ['mapping', new Set(['ledger'])],
    ['ledger', new Set(['domain', 'mapping'])],
    ['domain', new Set<string>()],
  ]);
  expect(cyclesOf(graph).map((cycle) => cycle.join(' → '))).toEqual(['mapping → ledger → mapping']);
});
