/**
 * The inference worker thread (started by InferenceWorker, remote.ts): holds the sensor
 * encoders' ONNX sessions and runs them here, because onnxruntime-node's session.run executes
 * synchronously on the calling thread (node_modules/onnxruntime-node/dist/backend.js) and
 * would stall the agent's event loop for a whole batch (issue #8). Model files were checked,
 * hashes included, by loadPack in the main thread; this side only opens and runs sessions.
 * Requests are handled one at a time, in order, so a run posted after an open sees its session.
 */
import { parentPort } from 'node:worker_threads';
import { BindsightError } from '../errors.js';
import { toWire } from '../preprocess/workerProtocol.js';
import { OnnxSession } from './session.js';
import { forTransfer, type InferenceReply, type InferenceRequest } from './worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('src/encoders/worker.ts runs only as a worker thread (InferenceWorker)');

const sessions = new Map<number, OnnxSession>();

function session(key: number): OnnxSession {
  const s = sessions.get(key);
  if (s === undefined) {
    throw new BindsightError(
      'INFERENCE_FAILED',
      `the inference worker has no session ${key} (its model failed to reopen after a worker restart?)`,
      { key },
    );
  }
  return s;
}

async function handle(req: InferenceRequest): Promise<void> {
  if (req.kind === 'open') {
    const s = await OnnxSession.open(req.file, req.providers, req.options);
    sessions.set(req.key, s);
    const { provider, failures, inputs, outputs } = s;
    const reply: InferenceReply = { id: req.id, ok: true, opened: { provider, failures, inputs, outputs } };
    port?.postMessage(reply);
  } else if (req.kind === 'run') {
    const { tensors, buffers } = forTransfer(await session(req.key).run(req.feeds));
    const reply: InferenceReply = { id: req.id, ok: true, outputs: tensors };
    port?.postMessage(reply, buffers);
  } else {
    const s = sessions.get(req.key);
    sessions.delete(req.key);
    await s?.close();
    const reply: InferenceReply = { id: req.id, ok: true };
    port?.postMessage(reply);
  }
}

let chain: Promise<void> = Promise.resolve();
port.on('message', (req: InferenceRequest) => {
  chain = chain.then(() =>
    handle(req).catch((err: unknown) => {
      const reply: InferenceReply = { id: req.id, ok: false, error: toWire(err) };
      port.postMessage(reply);
    }),
  );
});
