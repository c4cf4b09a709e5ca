/** Test helper: write a built graph to a folder and run it once on the CPU through the one ONNX seam. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GraphBuilder } from '../../../models/onnx/graph.js';
import { type HostTensor, OnnxSession } from '../../../src/encoders/session.js';

export async function runGraph(
  dir: string,
  g: GraphBuilder,
  feeds: Readonly<Record<string, HostTensor>>,
): Promise<Record<string, HostTensor>> {
  const file = join(dir, `${g.name}.onnx`);
  await writeFile(file, g.toBytes());
  const session = await OnnxSession.open(file, ['cpu']);
  try {
    return await session.run(feeds);
  } finally {
    await session.close();
  }
}

export function f32(data: readonly number[], dims: readonly number[]): HostTensor {
  return { dtype: 'float32', data: Float32Array.from(data), dims };
}

/** The float32 data of an output, or a failed assertion's clear message. */
export function floats(t: HostTensor | undefined): number[] {
  if (t === undefined || !(t.data instanceof Float32Array))
    throw new Error(`expected a float32 output, got ${t?.dtype}`);
  return [...t.data];
}

/** Element-wise |a − b| ≤ tol, with a message naming the first offending index. */
export function close(actual: readonly number[], expected: readonly number[], tol = 1e-5): string | true {
  if (actual.length !== expected.length) return `length ${actual.length} ≠ ${expected.length}`;
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tol))
      return `index ${i}: ${actual[i]} vs ${expected[i]} (tol ${tol})`;
  }
  return true;
}
