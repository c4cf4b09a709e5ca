/**
 * The real CLI run the way systemd runs it: a notify socket and a watchdog period in the
 * environment, journal logging (--log-stdout), a real Mosquitto, the durable outbox, and a busy
 * replay (realtime: false, looping) when SIGTERM arrives. Checks: READY=1, then WATCHDOG=1 while
 * the pipeline works, STOPPING=1 at the end; exit 0; every event the agent logged reached the
 * broker or waits in the outbox (none lost); the status topic reads offline; logs are JSON lines
 * with journald priority prefixes and events are logged, not printed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import t from 'tap';
import { buildDemoPack } from '../../models/demo/build.js';
import { SqliteOutbox } from '../../src/outbox/sqlite.js';
import { UNBOUNDED } from '../../src/outbox/types.js';
import { decodeEvent } from '../../src/publish/event.js';
import { REPO, startCli } from '../helpers/cli.js';
import { startMosquitto } from '../helpers/mosquitto.js';
import { until } from '../observe/helpers.js';
import { startNotifySocket } from '../observe/notifySocket.js';

const DEMO = join(REPO, 'config', 'demo');
const files = (...names: string[]) => `[${names.map((n) => JSON.stringify(join(DEMO, n))).join(', ')}]`;

interface JournalLine {
  priority: number;
  record: { level: number; msg: string; event?: { id: string } };
}

function journalLines(stdout: string): JournalLine[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const m = /^<(\d)>(\{.*\})$/.exec(line);
      if (!m) throw new Error(`not a journal line: ${line.slice(0, 200)}`);
      return { priority: Number(m[1]), record: JSON.parse(m[2]) as JournalLine['record'] };
    });
}

t.test('SIGTERM during a busy replay under systemd: notify, no event lost, exit 0', async (t) => {
  const broker = await startMosquitto(t);
  const socket = await startNotifySocket(t);
  const dir = t.testdir({});
  const pack = join(dir, 'pack');
  await buildDemoPack(pack);
  const outboxPath = join(dir, 'outbox.sqlite');
  const cfg = join(dir, 'busy.yaml');
  writeFileSync(
    cfg,
    `node: busy
models: { pack: ${JSON.stringify(pack)}, promptCache: false }
sensors:
  - { id: thermal0, driver: replay, modality: thermal, realtime: false, loop: true, rate: 4,
      files: ${files('thermal_empty.csv', 'thermal_person.csv')} }
  - { id: imu0, driver: replay, modality: imu, realtime: false, loop: true, window: 5, hop: 1,
      files: ${files('imu_walk.csv', 'imu_fall.csv')} }
rules:
  - { id: person, sensors: [thermal0], prompts: ["a person"], contrast: ["an empty room"] }
  - { id: fall, sensors: [imu0], prompts: ["someone fell"], contrast: ["someone walking", "lying still"] }
mqtt: { url: ${JSON.stringify(broker.url)}, outbox: { path: ${JSON.stringify(outboxPath)} } }
http: { port: 0 }
`,
  );
  const received = new Set<string>();
  let status = '';
  const subscribe = async () => {
    const client = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    t.teardown(() => client.endAsync());
    client.on('message', (topic, payload) => {
      if (topic.endsWith('/events')) received.add(decodeEvent(payload.toString()).id);
      if (topic === 'bindsight/busy/status') status = payload.toString();
    });
    await client.subscribeAsync('bindsight/busy/#', { qos: 1 });
  };
  const run = (env: Record<string, string> = {}) => {
    const cli = startCli(['run', cfg, '--log-stdout'], { env });
    t.teardown(() => {
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    });
    const logged = () =>
      journalLines(cli.stdout())
        .filter((l) => l.record.event)
        .map((l) => l.record.event!.id);
    return { cli, logged };
  };
  const outboxIds = () => {
    const store = new SqliteOutbox(outboxPath, UNBOUNDED);
    const ids = store
      .after(0, Number.POSITIVE_INFINITY)
      .filter((m) => m.topic === 'bindsight/busy/events')
      .map((m) => decodeEvent(m.payload).id);
    store.close();
    return new Set(ids);
  };

  await subscribe();
  const first = run({ NOTIFY_SOCKET: socket.path, WATCHDOG_USEC: '1500000' });
  await until(
    () => (first.logged().length >= 15 && socket.messages().includes('WATCHDOG=1') ? true : undefined),
    `15 events and a watchdog ping (stderr: ${first.cli.stderr().slice(-500)})`,
    60_000,
  );
  // The broker goes away: what follows can only wait in the outbox.
  await broker.stop();
  const before = first.logged().length;
  const outage = () => socket.messages().some((m) => /^STATUS=unhealthy: MQTT broker link is down/.test(m));
  await until(
    () => (first.logged().length >= before + 10 && outage() ? true : undefined),
    '10 events and an unhealthy STATUS= while the broker is down',
    60_000,
  );
  first.cli.child.kill('SIGTERM');
  const res = await first.cli.done;
  t.equal(res.code, 0, `exit 0 after SIGTERM (stderr: ${res.stderr.slice(-1000)})`);

  const events = first.logged();
  const kept = outboxIds();
  const lost = events.filter((id) => !received.has(id) && !kept.has(id));
  t.same(
    lost,
    [],
    `every logged event was acknowledged (${received.size}) or kept in the outbox (${kept.size})`,
  );
  t.ok(kept.size >= 10, 'the events of the outage wait in the outbox');
  t.same(
    [...received].filter((id) => !events.includes(id)),
    [],
    'nothing published that was not logged',
  );

  const lines = journalLines(res.stdout);
  const priority: Record<number, number> = { 10: 7, 20: 7, 30: 6, 40: 4, 50: 3, 60: 2 };
  t.ok(
    lines.every((l) => l.priority === priority[l.record.level]),
    'priority prefixes match levels',
  );
  t.ok(lines.some((l) => l.record.msg === 'SIGTERM received, stopping'));

  const messages = socket.messages();
  t.match(messages[0], /^READY=1\nSTATUS=healthy: 2 sensors, 2 rules$/, 'READY=1 first, with a status line');
  const ping = messages.indexOf('WATCHDOG=1');
  const stopping = messages.findIndex((m) => m.startsWith('STOPPING=1'));
  t.ok(0 < ping && ping < stopping, `READY, then WATCHDOG, then STOPPING: ${JSON.stringify(messages)}`);
  t.equal(messages.at(-1), 'STOPPING=1\nSTATUS=stopping', 'STOPPING=1 last');

  // The next start sends what waited, then a SIGTERM with the broker up ends with "offline".
  await broker.restart();
  await subscribe();
  const second = run();
  await until(
    () => ([...kept].every((id) => received.has(id)) ? true : undefined),
    'the kept events delivered',
    60_000,
  );
  second.cli.child.kill('SIGTERM');
  t.equal((await second.cli.done).code, 0, 'second run exits 0');
  await until(() => (status === 'offline' ? true : undefined), 'status offline');
  t.same(
    [...outboxIds()].filter((id) => kept.has(id)),
    [],
    'delivered events left the outbox',
  );
});
