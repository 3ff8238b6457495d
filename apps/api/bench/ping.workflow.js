// The baseline of the event-latency benchmark: a hand-written workflow that waits for one signal
// and returns the workflow time at which it saw it.
const { condition, defineSignal, setHandler } = require('@temporalio/workflow');

const ping = defineSignal('ping');

exports.waitForPing = async function waitForPing() {
  let seen = false;
  setHandler(ping, () => {
    seen = true;
  });
  await condition(() => seen);
  return Date.now();
};
