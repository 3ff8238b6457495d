// Jest setupFiles entry: keep Temporal's SDK logs to warnings in test output. The runtime can be
// installed once per process, so a second test file in the same jest worker keeps the first one.
const { DefaultLogger, Runtime } = require('@temporalio/worker');

try {
  Runtime.install({ logger: new DefaultLogger(process.env.TEMPORAL_LOG_LEVEL ?? 'WARN') });
} catch {
  // Already installed by an earlier test file in this worker.
}
