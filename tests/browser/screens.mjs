// Screenshots for docs/screens/: the demo guild's front page, an item page, a member's home,
// who to follow and a profile, at desktop (1200 px) and phone (390 px) width, as a visitor
// and as a signed-in member. Starts and stops
// its own `guild serve` (by PID) on a loopback port with a temporary demo database.
// Usage: node tests/browser/screens.mjs build/guild docs/screens
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const guild = resolve(process.argv[2] || 'build/guild');
const out = resolve(process.argv[3] || 'docs/screens');
const db = join(mkdtempSync(join(tmpdir(), 'guild-screens-')), 'demo.db');
execFileSync(guild, ['demo', '--db', db], { timeout: 120000 });
mkdirSync(out, { recursive: true });
const proc = spawn(guild, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--fetch-every', '0'],
  { stdio: ['ignore', 'pipe', 'ignore'] });
const base = await new Promise((ok, fail) => {
  const timer = setTimeout(() => fail(new Error('server did not start in 20 s')), 20000);
  proc.stdout.on('data', (d) => {
    const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(String(d));
    if (m) { clearTimeout(timer); ok(m[1]); }
  });
});
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const item = '/i/12';
  for (const [name, width, height] of [['desktop', 1200, 900], ['phone', 390, 844]]) {
    const visitor = await (await browser.newContext({ viewport: { width, height } })).newPage();
    await visitor.goto(base + '/');
    await visitor.screenshot({ path: join(out, `front-${name}.png`) });
    const member = await (await browser.newContext({ viewport: { width, height } })).newPage();
    await member.goto(base + '/login');
    await member.fill('#handle', 'ada');
    await member.fill('#password', 'guild-demo-pass');
    await Promise.all([member.waitForURL(base + '/'), member.click('main form button')]);
    await member.goto(base + item);
    await member.screenshot({ path: join(out, `item-${name}.png`) });
    for (const page of ['home', 'people', 'u/mara']) {
      await member.goto(`${base}/${page}`);
      await member.screenshot({ path: join(out, `${page.replace('/', '-')}-${name}.png`) });
    }
  }
  console.log(`screens: 10 written to ${out}`);
} finally {
  await browser.close();
  proc.kill('SIGTERM');
}
