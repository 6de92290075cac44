/** Shared fixtures of the panel unit tests: an experiment text with comments, and its check. */
import { checkExperimentText } from '../../../src/core/experiment/load.js';
import type { EditContext } from '../../../src/extension/panel/edits/experimentEdits.js';
import { baseLayerNames } from '../../../src/extension/panel/view/experimentView.js';

/** A two-stage fine-tune on the built-in small CNN, with comments and mixed layouts. */
export const STAGES_TEXT = `{
  // Two stages: head first, then unfreeze from conv2.
  "name": "panel-demo",
  "base": { "kind": "builtin", "architecture": "smallCnn", "inputShape": [28, 28, 1] },
  "data": { "train": { "kind": "mnist", "perClass": 30 }, "split": { "validation": 0.2 } },
  "transfer": {
    "strategy": "fineTune",
    "cutLayer": "flatten", /* keep the dense layer out */
    "stages": [
      { "name": "head", "epochs": 2, "freeze": { "all": true } },
      {
        "name": "unfreeze",
        "epochs": 3,
        "freeze": { "upTo": "pool1" }, // conv1 and pool1 stay frozen
        "learningRate": 0.003
      }
    ]
  },
  "learningRate": {
    "base": 0.01,
    "schedule": { "type": "oneCycle" },
    "layerGroups": [
      { "name": "early", "layers": { "names": ["conv1"] }, "multiplier": 0.01 }
    ]
  },
  "training": { "batchSize": 16, "seed": 7 }
}
`;

/** The edit context of a text (throws when it does not pass the schema). */
export async function contextOf(text: string, file = '/tmp/panel-demo.transfer.json'): Promise<EditContext> {
  const checked = await checkExperimentText(text, file, { checkFiles: false });
  if (!checked.experiment) throw new Error(checked.problems.map((p) => p.message).join('; '));
  return { text, experiment: checked.experiment, baseLayers: baseLayerNames(checked.experiment, checked.layers) };
}
