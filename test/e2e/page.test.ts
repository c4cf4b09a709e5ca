/**
 * The live page in a real browser: Debian's Chromium, headless, driven by playwright-core,
 * against the real CLI running the demo (four replayed sensors, four rules). It renders every
 * sensor and rule, the score plots update, recent events appear, and a typed prompt shows live
 * scores on every sensor; no script error, no request leaves the agent. A screenshot is saved
 * as a test artefact: .tap/artifacts/page.png (or $BINDSIGHT_ARTIFACTS/page.png).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import t from 'tap';
import { buildDemoPack } from '../../models/demo/build.js';
import { REPO, startCli } from '../helpers/cli.js';
import { until as poll } from '../observe/helpers.js';

const CHROMIUM = process.env.BINDSIGHT_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = process.env.BINDSIGHT_ARTIFACTS ?? join(REPO, '.tap', 'artifacts');
const DEMO = join(REPO, 'config', 'demo');
const SENSORS = ['thermal0', 'imu0', 'mic0', 'cam0'];
const RULES = ['person', 'fall', 'alarm', 'lights'];

function demoConfig(dir: string, pack: string): string {
  const f = (...names: string[]) => `[${names.map((n) => JSON.stringify(join(DEMO, n))).join(', ')}]`;
  const file = join(dir, 'demo.yaml');
  writeFileSync(
    file,
    `node: demo
models: { pack: ${JSON.stringify(pack)}, promptCache: false }
sensors:
  - { id: thermal0, driver: replay, modality: thermal, rate: 4, loop: true, speed: 2,
      files: ${f('thermal_empty.csv', 'thermal_person.csv', 'thermal_empty.csv')} }
  - { id: imu0, driver: replay, modality: imu, window: 5, hop: 1, loop: true, speed: 2, files: ${f('imu_walk.csv', 'imu_fall.csv')} }
  - { id: mic0, driver: replay, modality: audio, window: 2, hop: 1, loop: true, speed: 2,
      files: ${f('audio_quiet.wav', 'audio_siren.wav', 'audio_quiet.wav')} }
  - { id: cam0, driver: replay, modality: vision, rate: 1, loop: true, speed: 2,
      files: ${f('vision_dark.png', 'vision_bright.png', 'vision_dark.png')} }
rules:
  - { id: person, sensors: [thermal0], prompts: ["a person"], contrast: ["an empty room"] }
  - { id: fall, sensors: [imu0], prompts: ["someone fell"], contrast: ["someone walking", "lying still"] }
  - { id: alarm, sensors: [mic0], prompts: ["a siren", "an alarm"], contrast: ["a quiet room", "noise"] }
  - { id: lights, sensors: [cam0], prompts: ["a bright room"], contrast: ["a dark room"] }
mqtt: { url: embedded, embedded: { port: 0 }, outbox: { durable: false } }
http: { port: 0 }
`,
  );
  return file;
}

t.test('the live page renders the demo, updates its plots and scores a typed prompt', async (t) => {
  t.ok(existsSync(CHROMIUM), `Chromium at ${CHROMIUM} (apt-get install chromium, or set BINDSIGHT_CHROMIUM)`);
  const dir = t.testdir({});
  const pack = join(dir, 'pack');
  await buildDemoPack(pack);
  const cli = startCli(['run', demoConfig(dir, pack)]);
  t.teardown(async () => {
    if (cli.child.exitCode === null) cli.child.kill('SIGTERM');
    await cli.done;
  });
  const url = await poll(
    () =>
      /"url":"(http:\/\/127\.0\.0\.1:\d+)","token":"none","msg":"HTTP server listening/.exec(
        cli.stderr(),
      )?.[1],
    `the HTTP server (stderr: ${cli.stderr().slice(-500)})`,
    60_000,
  );

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(url)) foreign.push(r.url());
  });
  await page.goto(`${url}/`);

  for (const id of SENSORS) await page.locator(`[data-sensor="${id}"]`).waitFor();
  for (const id of RULES) await page.locator(`[data-rule="${id}"]`).waitFor();
  t.pass('a card for every sensor and rule of the demo');
  // Browser-side checks run as functions (string expressions would need eval, which the page's
  // CSP forbids); the test is compiled without the DOM library, hence these few types.
  interface El {
    getAttribute(name: string): string | null;
    hasAttribute(name: string): boolean;
    naturalWidth?: number;
  }
  interface Doc {
    querySelector(selector: string): El | null;
    querySelectorAll(selector: string): { length: number };
  }
  type Check = (arg: { selector: string; name: string; n: number; ids: string[] }) => boolean;
  const until = (check: Check, arg: Partial<Parameters<Check>[0]> = {}, timeout = 30_000) =>
    page.waitForFunction(check, { selector: '', name: '', n: 0, ids: [], ...arg }, { timeout });
  const number = (selector: string, name: string) =>
    page.locator(selector).evaluate((e: El, a) => Number(e.getAttribute(a)), name);

  await until(
    ({ ids }) => {
      const doc = (globalThis as unknown as { document: Doc }).document;
      return ids.every((id) => (doc.querySelector(`[data-sensor="${id}"] img`)?.naturalWidth ?? 0) > 0);
    },
    { ids: ['thermal0', 'cam0'] },
  );
  t.equal(
    await page.locator('[data-sensor="thermal0"] img').evaluate((e: El) => e.naturalWidth),
    32,
    'the 32×24 thermal frame',
  );
  await until(
    ({ ids }) => {
      const doc = (globalThis as unknown as { document: Doc }).document;
      return ids.every((id) => doc.querySelector(`[data-sensor="${id}"] canvas`)?.hasAttribute('data-drawn'));
    },
    { ids: ['imu0', 'mic0'] },
  );
  t.pass('IMU and audio windows plotted');

  const above: Check = ({ selector, name, n }) => {
    const doc = (globalThis as unknown as { document: Doc }).document;
    return Number(doc.querySelector(selector)?.getAttribute(name)) > n;
  };
  const plot = '[data-rule="person"] canvas';
  await until(above, { selector: plot, name: 'data-points', n: 0 });
  const first = await number(plot, 'data-points');
  await until(above, { selector: plot, name: 'data-points', n: first });
  t.ok((await number(plot, 'data-points')) > first, 'the score plot grows as scores arrive');

  await page.fill('#prompt-text', 'a person');
  await until(() => {
    const doc = (globalThis as unknown as { document: Doc }).document;
    return doc.querySelectorAll('[data-prompt-sensor]').length === 4;
  });
  const seen = await number('#prompt-results', 'data-updates');
  await until(above, { selector: '#prompt-results', name: 'data-updates', n: seen + 1 });
  t.pass('the typed prompt is re-scored live');
  const thermal = Number(await page.getAttribute('[data-prompt-sensor="thermal0"]', 'data-score'));
  t.ok(thermal >= 0 && thermal <= 1, `thermal0 scores "a person": ${thermal}`);
  t.match(await page.textContent('#prompt-yaml'), /prompts: \["a person"\]/, 'a rule to paste');

  await until(
    () => {
      const doc = (globalThis as unknown as { document: Doc }).document;
      return doc.querySelectorAll('#events tbody tr').length > 0;
    },
    {},
    40_000,
  );
  t.pass('recent events listed');
  t.equal(await page.textContent('#health'), 'healthy');

  mkdirSync(ARTIFACTS, { recursive: true });
  const shot = join(ARTIFACTS, 'page.png');
  await page.screenshot({ path: shot, fullPage: true });
  t.ok(existsSync(shot), `screenshot saved: ${shot}`);
  t.same(errors, [], 'no script errors');
  t.same(foreign, [], 'no request leaves the agent');
});
