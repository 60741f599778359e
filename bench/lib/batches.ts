// The benchmarks' input: generated encounters (deterministic by seed) as ready-to-post JSON batches of
// 1,000, and the facility codes they come from (the DHIS2 stand-in needs them as org units).
import { encounterStream } from '@smc-bridge/generator';

export const BATCH = 1000;

export function generatedBatches(total: number, options: { seed?: number; days?: number } = {}): { batches: string[]; orgUnits: string[] } {
  const stream = encounterStream({ seed: options.seed ?? 7, facilityCount: 50, encounterCount: total, endDate: '2026-10-31', days: options.days ?? 365 });
  const batches: string[] = [];
  const orgUnits = new Set<string>();
  let batch: unknown[] = [];
  for (const encounter of stream) {
    if (encounter.facility.code !== undefined) orgUnits.add(encounter.facility.code);
    batch.push(encounter);
    if (batch.length === BATCH) {
      batches.push(JSON.stringify({ encounters: batch }));
      batch = [];
    }
  }
  if (batch.length > 0) batches.push(JSON.stringify({ encounters: batch }));
  return { batches, orgUnits: [...orgUnits] };
}

/** Posts every batch, `inFlight` at a time; resolves with the seconds it took. */
export async function postAll(url: string, headers: Record<string, string>, batches: readonly string[], inFlight: number, onAnswer?: (answer: unknown) => void): Promise<number> {
  const started = performance.now();
  let next = 0;
  const sender = async () => {
    while (next < batches.length) {
      const body = batches[next++] as string;
      const response = await fetch(url, { method: 'POST', headers, body });
      const answer = (await response.json()) as unknown;
      onAnswer?.(answer);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, sender));
  return (performance.now() - started) / 1000;
}
