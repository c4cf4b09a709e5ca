/**
 * Finds where a config path lives in the parsed YAML document, so every problem can be
 * reported as `file:line:col`. A path that does not exist (a missing key, an index past the
 * end) falls back to the nearest node that does.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

export interface Position {
  line: number;
  col: number;
}

export class YamlLocator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Position of the node at `path`, or of its nearest existing ancestor. */
  at(path: readonly PropertyKey[]): Position {
    return this.position(this.nodeAt(path));
  }

  /** Position of the key `key` inside the mapping at `path` (for unknown keys), else of the mapping. */
  keyAt(path: readonly PropertyKey[], key: string): Position {
    const parent = this.resolve(this.nodeAt(path));
    if (isMap(parent)) {
      for (const pair of parent.items) {
        if (isScalar(pair.key) && String(pair.key.value) === key) return this.position(pair.key);
      }
    }
    return this.position(parent);
  }

  private nodeAt(path: readonly PropertyKey[]): Node | null {
    let node: Node | null = this.doc.contents;
    for (const seg of path) {
      const next = this.child(this.resolve(node), seg);
      if (next === null) break;
      node = next;
    }
    return node;
  }

  private child(node: Node | null, seg: PropertyKey): Node | null {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        // `files:` with no value has a null scalar just after the colon; a key built by hand may have none.
        if (key === String(seg)) return (pair.value ?? pair.key) as Node | null;
      }
    }
    if (isSeq(node) && typeof seg === 'number') return (node.items[seg] as Node | undefined) ?? null;
    return null;
  }

  private resolve(node: Node | null): Node | null {
    if (isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? node;
    return node;
  }

  private position(node: Node | null): Position {
    const offset = node?.range?.[0];
    return offset === undefined ? { line: 1, col: 1 } : this.lines.linePos(offset);
  }
}
