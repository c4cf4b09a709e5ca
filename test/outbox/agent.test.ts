/**
 * The acceptance tests of issue #10, with the real CLI as a child process replaying the demo
 * thermal recording (a person comes and goes: start and end events) over a real Mosquitto:
 *
 * - kill -9 the agent while the broker is down and its events wait in the outbox, start the
 *   broker, start the agent again: every event of the first run arrives exactly once after
 *   de-duplication by id, in order, and before any event of the second run;
 * - stop the broker for a while during a replay that produces events, restart it: every event
 *   arrives exactly once after de-duplication, in order.
 *
 * The agent prints an event (stdout, --json) only after it is in the outbox, so the printed ids
 * are the ones that must arrive.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import t from 'tap';
import { buildDemoPack } from '../../models/demo/build.js';
import { decodeEvent } from '../../src/publish/event.js';
import { REPO, type RunningCli, startCli } from '../helpers/cli.js';
import { startMosquitto } from '../helpers/mosquitto.js';
import { type Received, type Subscriber, subscribe } from '../publish/subscriber.js';

const DEMO = join(REPO, 'config', 'demo');
const dir = t.testdir({});
const pack = join(dir, 'pack');
const env = { XDG_STATE_HOME: join(dir, 'xdg-state'), XDG_CACHE_HOME: join(dir, 'xdg-cache') };

function writeConfig(node: string, url: string): string {
  const files = ['thermal_empty.csv', 'thermal_person.csv', 'thermal_empty.csv'].map((f) =>
    JSON.stringify(join(DEMO, f)),
  );
  const file = join(dir, `${node}.yaml`);
  writeFileSync(
    file,
    `node: ${node}
models: { pack: ${JSON.stringify(pack)} }
sensors:
  - { id: thermal0, driver: replay, modality: thermal, rate: 4, speed: 8, loop: true, files: [${files.join(', ')}] }
rules:
  - { id: person, sensors: [thermal0], prompts: ["a person"], contrast: ["an empty room"], enter: 0.6, exit: 0.4 }
http: { enabled: false }
mqtt:
  url: ${JSON.stringify(url)}
  outbox: { path: ${JSON.stringify(join(dir, `${node}-outbox.sqlite`))} }
`,
  );
  return file;
}

/** Ids of the complete JSON lines printed so far. */
function printedIds(run: RunningCli): string[] {
  const out = run.stdout();
  return out
    .slice(0, out.lastIndexOf('\n') + 1)
    .split('\n')
    .filter(Boolean)
    .map((l) => decodeEvent(l).id);
}

const idOf = (m: Received): string => decodeEvent(m.payload).id;

/** First copy of each id, in arrival order (QoS 1 is at least once). */
function firstArrivals(sub: Subscriber): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const m of sub.messages) {
    const id = idOf(m);
    if (!seen.has(id)) out.push(id);
    seen.add(id);
  }
  return out;
}

/** Waits for a condition the agent's progress decides; the deadline only turns a hang into a failure. */
async function waitFor(what: string, cond: () => boolean, detail: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what} after 60 s; ${detail()}`);
    await sleep(50);
  }
}

function run(cfg: string): RunningCli {
  const cli = startCli(['run', cfg, '--json'], { env });
  t.teardown(() => {
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  });
  return cli;
}

t.before(async () => {
  await buildDemoPack(pack);
});

t.test('kill -9 with events in the outbox, restart: nothing lost, in order, before new events', async (t) => {
  const broker = await startMosquitto(t);
  await broker.stop(); // unreachable: the agent starts anyway, events wait in the outbox
  const cfg = writeConfig('crash', broker.url);
  const first = run(cfg);
  await waitFor('3 events from the first run', () => printedIds(first).length >= 3, first.stderr);
  first.child.kill('SIGKILL');
  const died = await first.done;
  t.equal(died.signal, 'SIGKILL');
  const lost = printedIds(first);
  t.ok(lost.length >= 3, `${lost.length} events printed before the kill`);

  await broker.restart();
  const sub = await subscribe(t, broker.url, 'bindsight/crash/events');
  const second = run(cfg);
  const received = () => new Set(firstArrivals(sub));
  await waitFor(
    'every event of the first run',
    () => lost.every((id) => received().has(id)),
    () => `${received().size} received; agent stderr: ${second.stderr().slice(-1500)}`,
  );
  second.child.kill('SIGINT');
  t.equal((await second.done).code, 0, 'the second run stops cleanly');

  const order = firstArrivals(sub);
  t.same(
    order.filter((id) => lost.includes(id)),
    lost,
    'every first-run event exactly once after de-duplication, in order',
  );
  t.same(order.slice(0, lost.length), lost, 'and before any event of the second run');
  const db = new Database(join(dir, 'crash-outbox.sqlite'), { readonly: true });
  t.teardown(() => db.close());
  t.same(db.prepare('SELECT count(*) AS n FROM outbox').get(), { n: 0 }, 'acknowledged rows are gone');
});

t.test('broker stopped during the replay and restarted: every event exactly once, in order', async (t) => {
  const broker = await startMosquitto(t, { persistence: true });
  // A persistent session keeps the subscriber's side whole across the broker restart.
  const sub = await subscribe(t, broker.url, 'bindsight/outage/events', {
    clientId: 'outage-sub',
    clean: false,
  });
  const cfg = writeConfig('outage', broker.url);
  const agent = run(cfg);
  await waitFor('a first event', () => printedIds(agent).length >= 1, agent.stderr);
  await broker.stop();
  const before = printedIds(agent).length;
  await waitFor(
    '2 events while the broker is down',
    () => printedIds(agent).length >= before + 2,
    agent.stderr,
  );
  await broker.restart();
  const during = printedIds(agent);
  await waitFor(
    'the events printed during the outage',
    () => during.every((id) => firstArrivals(sub).includes(id)),
    () => `received ${firstArrivals(sub).length}/${during.length}; ${agent.stderr().slice(-1500)}`,
  );
  agent.child.kill('SIGINT');
  t.equal((await agent.done).code, 0, 'stops cleanly');
  const printed = printedIds(agent);
  await waitFor('every printed event', () => printed.every((id) => firstArrivals(sub).includes(id)));
  t.same(firstArrivals(sub), printed, 'exactly the printed events, each once after de-duplication, in order');
  t.ok(
    printed.length >= before + 2,
    `${printed.length} events, ${printed.length - before} after the broker stopped`,
  );
});
