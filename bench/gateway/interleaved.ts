/**
 * Interleaved A/B rounds on a shared, noisy machine (performance.md §6.3): a round during which
 * processes outside the benchmark used more than 10 % of the machine is marked contended and
 * run again, at most twice per round and `retriesPerRun` times per benchmark, so that the run
 * stays bounded in time. Discarded rounds are kept for the JSON record.
 */

/** Share of the whole machine (all cores) used by other processes that makes a round contended. */
export const CONTENDED_SHARE = 0.1;
const RETRIES_PER_ROUND = 2;

export interface InterleavedRuns<R> {
  readonly kept: R[];
  /** Contended rounds that were run again. */
  readonly discarded: R[];
}

export async function runInterleaved<R>(
  rounds: number,
  runRound: (index: number) => Promise<R>,
  isContended: (round: R) => boolean,
  describe: (round: R) => string,
  retriesPerRun = 4,
): Promise<InterleavedRuns<R>> {
  const kept: R[] = [];
  const discarded: R[] = [];
  for (let i = 0; i < rounds; i++) {
    let round = await runRound(i);
    let retries = 0;
    while (isContended(round) && retries < RETRIES_PER_ROUND && discarded.length < retriesPerRun) {
      console.error(`round ${i + 1}/${rounds} contended, run again: ${describe(round)}`);
      discarded.push(round);
      round = await runRound(i);
      retries++;
    }
    kept.push(round);
    const mark = isContended(round) ? ' (contended, kept)' : '';
    console.error(`round ${i + 1}/${rounds}${mark}: ${describe(round)}`);
  }
  return { kept, discarded };
}
