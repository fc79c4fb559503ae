/**
 * Entry of one load process (forked by `load.ts`): receives its share of the fleet over IPC,
 * runs it for the duration, reports its figures every interval and once more at the end, and
 * exits. A `stop` message ends the run early.
 */
import { Fleet } from './fleet.ts';
import type { WorkerReport, WorkerTask } from './load.ts';
import { snapshotStats } from './watch-stats.ts';

function report(fleet: Fleet, isFinal: boolean): Promise<void> {
  const message: WorkerReport = { stats: snapshotStats(fleet.stats), isFinal };
  return new Promise((resolve) => {
    if (process.send === undefined || !process.connected) resolve();
    else
      process.send(message, undefined, {}, () => {
        resolve();
      });
  });
}

function run(task: WorkerTask): void {
  const fleet = new Fleet(task);
  let isStopping = false;
  const reporter = setInterval(() => void report(fleet, false), task.reportEverySeconds * 1000);
  const finish = async () => {
    if (isStopping) return;
    isStopping = true;
    clearInterval(reporter);
    clearTimeout(deadline);
    await fleet.stop();
    await report(fleet, true);
    process.disconnect();
  };
  const deadline = setTimeout(() => void finish(), task.durationSeconds * 1000);
  process.on('message', (message) => {
    if (message === 'stop') void finish();
  });
  // The parent went away: nobody reads the figures any more.
  process.once('disconnect', () => void finish());
  fleet.start();
}

process.once('message', (task) => {
  run(task as WorkerTask);
});
