// The baseline of the step benchmark: a hand-written Temporal workflow that calls the same
// activity as a 20-step Cairn playbook of `update_account` steps, and nothing else.
const { proxyActivities } = require('@temporalio/workflow');

const { updateAccount } = proxyActivities({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

exports.handWritten = async function handWritten({ runId, accountId, playbookVersionId, steps }) {
  for (let i = 0; i < steps; i++) {
    await updateAccount({ runId, stepId: `step-${i}`, visit: 0, accountId, playbookVersionId, reason: 'benchmark', change: { attribute: `step_${i}`, value: i } });
  }
};
