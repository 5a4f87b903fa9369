/** The load generator's own process: takes one plan from its parent, answers with the figures, and ends. */
import { applyLoad, type LoadPlan } from './load';

process.once('message', (plan: LoadPlan) => {
  void applyLoad(plan).then((result) => process.send?.(result));
});
