// graphile-worker's side of scripts/compare-graphile.sh: add N no-op jobs at once, then start
// one worker pool in batched mode and time until the jobs table is empty (every job completed
// and its completion written). Prints one line: `graphile <jobs> <seconds> <jobs/s>`.
//
// Run by compare-graphile.sh with NODE_PATH pointing at an install of graphile-worker 0.17.3.
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

const require = createRequire(process.env.GRAPHILE_DIR + "/");
const { run, makeWorkerUtils } = require("graphile-worker");

const connectionString = process.env.DATABASE_URL;
const jobs = Number(process.env.JOBS ?? 50000);
const concurrency = Number(process.env.GRAPHILE_CONCURRENCY ?? 24);
const localQueue = Number(process.env.GRAPHILE_LOCAL_QUEUE ?? 500);

const utils = await makeWorkerUtils({ connectionString });
await utils.migrate();
// Empty from any earlier round in this database.
await utils.withPgClient((c) => c.query("delete from graphile_worker._private_jobs"));
// All jobs in one call of add_jobs per 10,000, before any worker runs: all due at once.
for (let i = 0; i < jobs; i += 10000) {
  const specs = [];
  for (let j = i; j < Math.min(jobs, i + 10000); j++) {
    specs.push({ identifier: "noop", payload: { n: j } });
  }
  await utils.addJobs(specs);
}
const count = async () =>
  Number(
    (
      await utils.withPgClient((c) =>
        c.query("select count(*) as n from graphile_worker._private_jobs"),
      )
    ).rows[0].n,
  );
if ((await count()) !== jobs) throw new Error("jobs were not all added");

let ran = 0;
let allRan;
const ranAll = new Promise((resolve) => (allRan = resolve));
const started = performance.now();
const runner = await run({
  noHandleSignals: true,
  taskList: {
    noop: async () => {
      ran += 1;
      if (ran === jobs) allRan();
    },
  },
  preset: {
    worker: {
      connectionString,
      concurrentJobs: concurrency,
      maxPoolSize: Math.max(10, concurrency + 2),
      pollInterval: 2000,
      localQueue: { size: localQueue },
      completeJobBatchDelay: 0,
      failJobBatchDelay: 0,
    },
  },
  logger: new (require("graphile-worker").Logger)(() => () => {}),
});
await ranAll;
// Completions are written in batches: done when none is left in the table.
while ((await count()) > 0) {
  await new Promise((r) => setTimeout(r, 2));
}
const seconds = (performance.now() - started) / 1000;
await runner.stop();
await utils.release();
console.log(`graphile ${jobs} ${seconds.toFixed(3)} ${(jobs / seconds).toFixed(0)}`);
