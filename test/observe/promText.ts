/**
 * A strict parser of the Prometheus text exposition format 0.0.4 (prometheus/docs
 * content/docs/instrumenting/exposition_formats.md), for tests: it throws on anything a
 * Prometheus server would reject or misread — bad names, bad escapes, a sample before or
 * outside its family's TYPE, duplicate series, a family split in two, histogram buckets that
 * are not cumulative or lack +Inf, _count disagreeing with +Inf.
 */

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromFamily {
  name: string;
  type: string;
  help?: string;
  samples: PromSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(text: string, line: number, raw = ''): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  // Values are Go ParseFloat syntax (exposition format spec), which takes NaN in any case;
  // prom-client's own default metrics write "Nan" (e.g. event-loop lag before its first sample).
  if (/^nan$/i.test(text)) return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text))
    throw new Error(`line ${line}: bad value "${text}" in: ${raw}`);
  return Number(text);
}

/** Labels from just after "{"; returns them and the index after "}". */
function parseLabels(s: string, start: number, line: number): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  let i = start;
  while (s[i] !== '}') {
    const eq = s.indexOf('=', i);
    if (eq < 0) throw new Error(`line ${line}: label without "="`);
    const name = s.slice(i, eq).trim();
    if (!LABEL_NAME.test(name)) throw new Error(`line ${line}: bad label name "${name}"`);
    if (name in labels) throw new Error(`line ${line}: label "${name}" twice`);
    if (s[eq + 1] !== '"') throw new Error(`line ${line}: label value not quoted`);
    let v = '';
    let j = eq + 2;
    for (; j < s.length && s[j] !== '"'; j++) {
      if (s[j] === '\n') throw new Error(`line ${line}: raw newline in label value`);
      if (s[j] !== '\\') {
        v += s[j];
        continue;
      }
      const e = s[++j];
      if (e === 'n') v += '\n';
      else if (e === '\\' || e === '"') v += e;
      else throw new Error(`line ${line}: bad escape "\\${e}" in label value`);
    }
    if (j >= s.length) throw new Error(`line ${line}: unterminated label value`);
    labels[name] = v;
    i = j + 1;
    if (s[i] === ',') i++;
    else if (s[i] !== '}') throw new Error(`line ${line}: expected "," or "}" after a label`);
  }
  return [labels, i + 1];
}

function familyOf(sample: string, families: Map<string, PromFamily>): PromFamily | undefined {
  const direct = families.get(sample);
  if (direct) return direct;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sample.endsWith(suffix)) continue;
    const f = families.get(sample.slice(0, -suffix.length));
    if (f && (f.type === 'histogram' || (f.type === 'summary' && suffix !== '_bucket'))) return f;
  }
  return undefined;
}

function checkHistogram(f: PromFamily): void {
  const series = new Map<string, PromSample[]>();
  const counts = new Map<string, number>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    if (s.name === `${f.name}_bucket`) {
      if (le === undefined) throw new Error(`${f.name}: bucket without le`);
      series.set(key, [...(series.get(key) ?? []), s]);
    } else if (s.name === `${f.name}_count`) counts.set(key, s.value);
  }
  for (const [key, buckets] of series) {
    let last = -1;
    let prevLe = Number.NEGATIVE_INFINITY;
    for (const b of buckets) {
      const le = parseValue(b.labels.le, 0);
      if (le <= prevLe) throw new Error(`${f.name}${key}: le not increasing`);
      if (b.value < last) throw new Error(`${f.name}${key}: buckets not cumulative`);
      prevLe = le;
      last = b.value;
    }
    if (buckets.at(-1)?.labels.le !== '+Inf') throw new Error(`${f.name}${key}: no +Inf bucket`);
    if (counts.get(key) !== last)
      throw new Error(`${f.name}${key}: _count ${counts.get(key)} ≠ +Inf bucket ${last}`);
  }
}

export function parsePrometheus(text: string): Map<string, PromFamily> {
  const families = new Map<string, PromFamily>();
  const seen = new Set<string>();
  const closed = new Set<string>();
  let current: PromFamily | undefined;
  text.split('\n').forEach((raw, idx) => {
    const line = idx + 1;
    if (raw.trim() === '') return;
    const meta = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(raw);
    if (meta) {
      const [, kind, name, rest = ''] = meta;
      if (!METRIC_NAME.test(name)) throw new Error(`line ${line}: bad metric name "${name}"`);
      if (closed.has(name)) throw new Error(`line ${line}: family ${name} appears twice`);
      let f = families.get(name);
      if (kind === 'TYPE') {
        if (f?.type) throw new Error(`line ${line}: second TYPE for ${name}`);
        if (!TYPES.has(rest)) throw new Error(`line ${line}: unknown type "${rest}"`);
        if (f && f.samples.length > 0) throw new Error(`line ${line}: TYPE after samples of ${name}`);
      }
      if (current && current.name !== name) closed.add(current.name);
      f ??= { name, type: '', samples: [] };
      if (kind === 'TYPE') f.type = rest;
      else f.help = rest;
      families.set(name, f);
      current = f;
      return;
    }
    if (raw.startsWith('#')) return;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(raw);
    if (!m) throw new Error(`line ${line}: not a sample: ${raw}`);
    const name = m[1];
    let labels: Record<string, string> = {};
    let i = name.length;
    if (raw[i] === '{') [labels, i] = parseLabels(raw, i + 1, line);
    const parts = raw.slice(i).trim().split(/\s+/);
    if (parts.length < 1 || parts.length > 2) throw new Error(`line ${line}: expected "value [timestamp]"`);
    const value = parseValue(parts[0], line, raw);
    const family = familyOf(name, families);
    if (!family?.type) throw new Error(`line ${line}: sample ${name} has no TYPE before it`);
    if (family !== current) throw new Error(`line ${line}: sample ${name} outside its family's block`);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) throw new Error(`line ${line}: duplicate series ${key}`);
    seen.add(key);
    if (family.type === 'summary' && name === family.name && labels.quantile === undefined)
      throw new Error(`line ${line}: summary sample without quantile`);
    family.samples.push({ name, labels, value });
  });
  for (const f of families.values()) {
    if (!f.type) throw new Error(`${f.name}: HELP without TYPE`);
    if (f.type === 'histogram') checkHistogram(f);
  }
  return families;
}
