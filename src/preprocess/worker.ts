/**
 * A preprocessing worker thread (started by PreprocessPool): runs preprocessSample, unchanged,
 * off the agent's event loop, one task at a time, and transfers the tensor back.
 */
import { parentPort } from 'node:worker_threads';
import { preprocessSample } from './index.js';
import {
  ownedTensor,
  type ReadyMessage,
  type ResultMessage,
  type TaskMessage,
  toWire,
} from './workerProtocol.js';

const port = parentPort;
if (port === null) throw new Error('src/preprocess/worker.ts runs only as a worker thread (PreprocessPool)');

port.on('message', async (task: TaskMessage) => {
  let reply: ResultMessage;
  try {
    const tensor = ownedTensor(await preprocessSample(task.sample, task.params));
    reply = { id: task.id, ok: true, tensor };
    port.postMessage(reply, [tensor.buffer]);
  } catch (err) {
    reply = { id: task.id, ok: false, error: toWire(err) };
    port.postMessage(reply);
  }
});

const ready: ReadyMessage = { ready: true };
port.postMessage(ready);
