// Browser test: a person joins by invitation, submits a link, opens another member's link,
// votes on it and comments; a moderator flags it into the queue, removes it there and undoes
// that from the public log; in Debian's Chromium driven by playwright-core. Starts and stops
// its own `guild serve` (by PID) on a loopback port with a temporary database, and saves
// screenshots into build/screens/. Prints PASS/FAIL lines and 'N passed, N failed'.
// Usage: node tests/browser/flow.mjs build/guild
import { spawn, execFile, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

// axe-core (npm) checks each page the journeys visit: no violation of impact serious or critical
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const guild = resolve(process.argv[2] || 'build/guild');
const screens = resolve('build/screens');
const dir = mkdtempSync(join(tmpdir(), 'guild-browser-'));
const db = join(dir, 'guild.db');
const cli = (...args) => execFileSync(guild, args, { encoding: 'utf8', timeout: 60000 }).trim();

function startServer() {
  return new Promise((ok, fail) => {
    // the person acts minutes after joining: no new-member period; one trusted flag queues
    const proc = spawn(guild, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--rank-interval', '3600',
      '--policy', 'new-member-days=0,flag-queue-weight=1', '--fetch-every', '0'],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, GUILD_TEST_MODE: '1' } });
    const timer = setTimeout(() => fail(new Error('server did not start in 20 s')), 20000);
    proc.stdout.on('data', (d) => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(String(d));
      if (m) { clearTimeout(timer); ok({ proc, base: m[1] }); }
    });
    proc.on('exit', (code) => fail(new Error(`server exited ${code}`)));
  });
}

function stopServer(proc) {
  return new Promise((ok) => {
    const killer = setTimeout(() => proc.kill('SIGKILL'), 10000);
    proc.on('exit', () => { clearTimeout(killer); ok(); });
    proc.kill('SIGTERM');
  });
}

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

// Runs axe-core on the page as it is; fails on any serious or critical violation, naming the
// rule and the first element. The contexts bypass CSP only so that axe can be injected.
async function axeCheck(p, label) {
  await p.addScriptTag({ path: axePath });
  const result = await p.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.length === 0, `${label}: axe-core: ` + bad.map((v) =>
    `${v.id} (${v.impact}, ${v.nodes.length}x, e.g. ${v.nodes[0].target.join(' ')})`).join('; '));
}

// Visits each path at desktop and 360 px phone width: axe-core clean, and no sideways scroll.
async function journey(p, who, paths) {
  const problems = [];
  for (const width of [1200, 360]) {
    await p.setViewportSize({ width, height: 800 });
    for (const path of paths) {
      await p.goto(base + path);
      try {
        await axeCheck(p, `${who} ${path} @${width}px`);
      } catch (e) {
        problems.push(e.message);
      }
      const wide = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (wide > 0) problems.push(`${who} ${path} @${width}px scrolls sideways by ${wide}px`);
    }
  }
  expect(problems.length === 0, problems.join('\n  '));
}

let passed = 0, failed = 0;
async function step(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`PASS ${name}`);
  } catch (e) {
    failed++;
    const at = (e.stack || '').split('\n').find((l) => l.includes('flow.mjs')) || '';
    console.log(`FAIL ${name}: ${e.message} ${at.trim()}`);
  }
}

// The guild: an admin with a token, one link by the admin, one invitation for our person.
cli('init', '--db', db);
writeFileSync(join(dir, 'pw'), 'root-password-123\n');
cli('user', 'add', '--db', db, '--handle', 'root', '--name', 'Root Admin', '--email', 'root@guildhq.org',
    '--password-file', join(dir, 'pw'), '--affiliation', 'Guild HQ', '--domain', 'guildhq.org', '--role', 'admin');
const token = cli('token', 'create', '--db', db, '--user', 'root');
const invite = cli('invite', '--db', db, '--by', 'root');
mkdirSync(screens, { recursive: true });

const { proc, base } = await startServer();
// the outside article the link points to, served on loopback so the test never leaves the machine
const hooks = []; // what the webhook receiver was sent: { headers, body }
const articles = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/hook') {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { hooks.push({ headers: req.headers, body }); res.writeHead(204); res.end(); });
    return;
  }
  if (req.url === '/feed.xml') { // the blog's feed, for the monitoring step
    const port = articles.address().port;
    res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
    res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Committee Notes</title>
      <item><title>Mapping the buying committee in week one</title>
      <link>http://127.0.0.1:${port}/posts/1</link><guid>post-1</guid>
      <pubDate>${new Date(Date.now() - 3600e3).toUTCString()}</pubDate>
      <description>&lt;p&gt;Who signs, who blocks, who &lt;b&gt;reads&lt;/b&gt; the pricing page.&lt;/p&gt;</description>
      </item></channel></rss>`);
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/html' });
  res.end('<!doctype html><title>Article</title><h1>The article</h1>');
});
await new Promise((ok) => articles.listen(0, '127.0.0.1', ok));
const articleBase = `http://127.0.0.1:${articles.address().port}`;
// a local SMTP sink: every message Guild sends, with its recipients
const mails = [];
const smtp = createTcpServer((sock) => {
  let data = null, rcpt = [], buf = '';
  sock.write('220 sink\r\n');
  sock.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i + 1); buf = buf.slice(i + 1);
      if (data !== null) {
        if (line === '.\r\n') { mails.push({ rcpt, text: data }); data = null; sock.write('250 queued\r\n'); }
        else data += line;
        continue;
      }
      const cmd = line.trim().toUpperCase();
      if (cmd.startsWith('RCPT TO')) rcpt.push(line.split(':')[1].trim().replace(/[<>]/g, ''));
      if (cmd.startsWith('MAIL FROM')) rcpt = [];
      if (cmd === 'DATA') { data = ''; sock.write('354 go on\r\n'); }
      else if (cmd === 'QUIT') { sock.end('221 bye\r\n'); }
      else sock.write('250 ok\r\n');
    }
  });
});
await new Promise((ok) => smtp.listen(0, '127.0.0.1', ok));
const smtpUrl = `smtp://127.0.0.1:${smtp.address().port}`;
// one monitor cycle from the CLI (subscriber mail, webhook deliveries, the outbox), asynchronously:
// the receivers run on this process's event loop
const monitorCycle = () => new Promise((ok, ko) => execFile(guild, ['fetch', '--db', db, '--allow-loopback',
  '--smtp', smtpUrl, '--base-url', base], { encoding: 'utf8', timeout: 60000, env: { ...process.env, GUILD_TEST_MODE: '1' } },
(err, out) => (err ? ko(err) : ok(out))));
const res = await fetch(`${base}/api/v1/items`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
  body: JSON.stringify({ url: `${articleBase}/buying-committees`, title: 'How buying committees really decide',
    text: 'A procurement lead explains the **six** people in every deal.', tags: ['research'] }),
});
const adminItem = (await res.json()).id;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true });
const page = await context.newPage();
page.setDefaultTimeout(10000);

let caseyItem = null, caseyItemTitle = '';
try {
  await step('join by invitation', async () => {
    await page.goto(base + invite);
    expect((await page.textContent('main')).includes('root invited you'), 'join page names the inviter');
    await page.fill('#handle', 'casey');
    await page.fill('#name', 'Casey Morgan');
    await page.fill('#email', 'casey@brightside.io');
    await page.fill('#password', 'casey-password-1');
    await page.fill('#affiliation', 'Brightside');
    await page.fill('#domain', 'brightside.io');
    await Promise.all([page.waitForURL('**/u/casey'), page.click('main form button')]);
    const main = await page.textContent('main');
    expect(main.includes('invited by root'), 'profile shows who invited');
    expect(main.includes('Brightside (brightside.io)'), 'profile shows affiliation');
  });

  await step('submit a link', async () => {
    await page.click('nav >> text=Submit');
    await page.fill('#url', 'https://news.example.org/pricing-pages?utm_source=newsletter');
    await page.fill('#title', 'What procurement reads first: your pricing page');
    caseyItemTitle = 'What procurement reads first';
    await page.fill('#text', 'Short, and the *table* at the end is worth it.');
    await page.check('input[name="tag_pricing"]');
    await Promise.all([page.waitForURL(/\/i\/\d+$/), page.click('main form button')]);
    expect((await page.textContent('h1')).includes('What procurement reads first'), 'item page title');
    caseyItem = /\/i\/(\d+)$/.exec(page.url())[1];
    expect(await page.isVisible('.text em'), 'commentary rendered as Markdown');
  });

  await step('open, vote and comment', async () => {
    await page.goto(`${base}/i/${adminItem}`);
    await Promise.all([page.waitForURL(`${articleBase}/**`), page.click('.item-full h1 a')]);
    expect((await page.textContent('h1')) === 'The article', 'the link opened through /go');
    await page.goto(`${base}/i/${adminItem}`);
    await page.click('.item-full button.up');
    await page.waitForURL(new RegExp(`/i/${adminItem}`));
    const note = await page.textContent('.note');
    expect(note.includes('You voted up'), 'vote recorded: ' + note);
    expect(!note.includes('without opening'), 'opened before voting');
    expect((await page.textContent('.item-full .points')).trim() === '1', 'points updated');
    await page.fill('#body', 'As a buyer, the **security review** is where our deals wait longest.');
    await Promise.all([page.waitForURL(/#c\d+$/), page.click('.comment-form button')]);
    expect((await page.textContent('.comments')).includes('security review'), 'comment shown');
    await page.screenshot({ path: join(screens, 'item.png'), fullPage: true });
  });

  await step('downvote needs a reason', async () => {
    await page.goto(`${base}/i/${adminItem}`);
    await page.click('.item-full button.up'); // withdraw the upvote
    await page.waitForURL(new RegExp(`/i/${adminItem}`));
    const required = await page.getAttribute('form.downvote select', 'required');
    expect(required !== null, 'the reason is required in the form');
    await page.selectOption('form.downvote select', 'low-quality');
    await page.click('form.downvote button');
    await page.waitForURL(new RegExp(`/i/${adminItem}`));
    expect((await page.textContent('.note')).includes('You voted down'), 'downvote recorded');
  });

  await step('front page and phone layout', async () => {
    await page.goto(base + '/');
    const rows = await page.locator('li.item').count();
    expect(rows === 2, `front page lists both links (${rows})`);
    await page.screenshot({ path: join(screens, 'front.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(base + '/');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(!overflow, 'no sideways scrolling on a phone');
    await page.screenshot({ path: join(screens, 'front-phone.png'), fullPage: true });
  });
  await step('moderation: flag, queue, remove, public log, undo', async () => {
    const mod = await (await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true })).newPage();
    mod.setDefaultTimeout(10000);
    await mod.goto(base + '/login');
    await mod.fill('#handle', 'root');
    await mod.fill('#password', 'root-password-123');
    await Promise.all([mod.waitForURL(base + '/'), mod.click('main form button')]);
    await mod.goto(`${base}/i/${caseyItem}`);
    await mod.click('.item-full details.flag summary');
    await mod.selectOption('.item-full details.flag select', 'off-topic');
    await Promise.all([mod.waitForURL(/flagged=queued/), mod.click('.item-full details.flag button')]);
    expect((await mod.textContent('main')).includes('Flag recorded'), 'the flag says what it did');
    expect((await mod.textContent('main')).includes('Waiting for a moderator'), 'queued notice');
    await mod.click('nav >> text=Queue');
    const queue = await mod.textContent('main');
    expect(queue.includes(caseyItemTitle) && queue.includes('flagged: off-topic'), 'in the queue: ' + queue.slice(0, 300));
    await mod.screenshot({ path: join(screens, 'queue.png'), fullPage: true });
    await mod.fill('ol.queue input[name="reason"]', 'not about B2B marketing');
    await Promise.all([mod.waitForURL(/\/moderations/), mod.click('ol.queue button[value="remove"]')]);
    const log = await mod.textContent('ol.modlog');
    expect(log.includes('remove') && log.includes('not about B2B marketing') && log.includes('root'), 'logged: ' + log);
    await page.goto(base + '/moderations'); // the member sees the same public log, without undo
    expect((await page.textContent('main')).includes('not about B2B marketing'), 'log is public');
    expect(await page.locator('ol.modlog button').count() === 0, 'no undo for members');
    await mod.fill('ol.modlog input[name="reason"]', 'on reflection it fits');
    await Promise.all([mod.waitForURL(/\/moderations/), mod.click('ol.modlog button')]);
    expect((await mod.textContent('ol.modlog')).includes('undone by'), 'undo logged');
    await mod.screenshot({ path: join(screens, 'moderations.png'), fullPage: true });
    await mod.goto(`${base}/i/${caseyItem}`);
    expect(!(await mod.textContent('main')).includes('Removed by the moderators'), 'item restored');
    await page.goto(base + '/settings');
    expect((await page.textContent('main')).includes('A moderator took an action concerning you'), 'casey notified');
  });
  await step('monitoring: blog posts, river, search, a saved column, the digest', async () => {
    await page.setViewportSize({ width: 1200, height: 900 });
    const r = await fetch(`${base}/api/v1/items`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ kind: 'blog', url: `${articleBase}/`, title: 'Committee Notes',
        feed_url: `${articleBase}/feed.xml` }),
    });
    const created = await r.json();
    expect(r.status === 201, 'blog nominated: ' + JSON.stringify(created));
    const blog = created.id;
    // asynchronously: the feed is served by this very process's event loop
    const fetched = await new Promise((ok, ko) => execFile(guild, ['fetch', '--db', db, '--allow-loopback'],
      { encoding: 'utf8', timeout: 60000, env: { ...process.env, GUILD_TEST_MODE: '1' } },
      (err, out) => (err ? ko(err) : ok(out))));
    expect(fetched.includes('entries new 1'), 'the feed was fetched: ' + fetched);
    await page.goto(`${base}/i/${blog}`);
    expect((await page.textContent('.posts')).includes('Mapping the buying committee'), 'blog page lists its posts');
    await page.click('nav >> text=River');
    expect((await page.textContent('ol.river')).includes('Mapping the buying committee'), 'river');
    await page.click('nav >> text=Search');
    await page.fill('input[name="q"]', 'buying committee');
    await Promise.all([page.waitForURL(/\/search\?q=/), page.click('form.search button')]);
    expect(await page.locator('ol.results mark').count() > 0, 'matched words highlighted');
    await Promise.all([page.waitForURL(/\/columns/), page.click('text=Save as a column')]);
    const column = await page.textContent('.columns');
    expect(column.includes('buying committee') && column.includes('Mapping the buying committee'),
      'the column is there, with the post that already matched');
    await page.screenshot({ path: join(screens, 'columns.png'), fullPage: true });
    // a refused alert: the error says why, and "Back to the form" keeps the choice in view
    await page.click('.column details summary');
    await page.selectOption('.column details select', 'webhook');
    await Promise.all([page.waitForURL(/\/alert$/), page.click('.column details button')]);
    expect((await page.textContent('main')).includes('A webhook needs an address'), 'the refusal says why');
    await Promise.all([page.waitForURL(/\/columns/), page.click('a.back')]);
    await page.waitForFunction(() => document.querySelector('.column details').open);
    expect(await page.inputValue('.column details select') === 'webhook', 'the choice was kept');
    // the reading list from a feed reader, as a file: the directory's blog becomes a subscription
    await page.goto(base + '/settings');
    const opml = `<?xml version="1.0"?><opml version="2.0"><body>
      <outline text="Committee Notes" xmlUrl="${articleBase}/feed.xml"/>
      <outline text="Elsewhere" xmlUrl="https://elsewhere.example/feed"/></body></opml>`;
    await page.setInputFiles('#opml_file', { name: 'reader.opml', mimeType: 'text/x-opml',
      buffer: Buffer.from(opml) });
    await Promise.all([page.waitForURL(/\/settings\/opml/), page.click('#opml_file ~ button')]);
    const imported = await page.textContent('main');
    expect(imported.includes('1 of 2 subscribed') && imported.includes('nominate it'),
      'the uploaded OPML file was imported: ' + imported.slice(0, 300));
    await page.click('nav >> text=Digest');
    const digest = await page.textContent('main');
    expect(digest.includes('Mapping the buying committee') && digest.includes("That's all for today."), 'digest ends');
    await page.screenshot({ path: join(screens, 'digest.png'), fullPage: true });
  });
  await step('follow, connect, accept, home, a suggestion and a form message, without JavaScript', async () => {
    // root reads in a browser with JavaScript off: every relationship page is plain forms
    const rootCtx = await browser.newContext({ bypassCSP: true, javaScriptEnabled: false });
    const root = await rootCtx.newPage();
    root.setDefaultTimeout(10000);
    await root.goto(base + '/login');
    await root.fill('#handle', 'root');
    await root.fill('#password', 'root-password-123');
    await Promise.all([root.waitForURL(base + '/'), root.click('main form button')]);
    await page.goto(base + '/u/root');
    await Promise.all([page.waitForURL('**/u/root'), page.click('form[action="/u/root/follow"] button')]);
    expect((await page.textContent('.ties')).includes('Unfollow'), 'casey follows root');
    await Promise.all([page.waitForURL('**/u/root'), page.click('.ties button:has-text("Connect")')]);
    expect((await page.textContent('.ties')).includes('Connection requested'), 'the request is pending');
    await root.goto(base + '/notifications');
    const notes = await root.textContent('main');
    expect(notes.includes('casey asked to connect with you.') && notes.includes('casey followed you.'),
      'root is told: ' + notes.slice(0, 300));
    await root.goto(base + '/u/casey');
    await Promise.all([root.waitForURL('**/u/casey'), root.click('.ties button:has-text("Accept")')]);
    expect((await root.textContent('.ties')).includes('Remove connection'), 'connected');
    await page.click('nav >> text=Home');
    const home = await page.textContent('main');
    expect(home.includes('How buying committees really decide') && home.includes('You are up to date'),
      'casey\'s home shows what root shared, and ends: ' + home.slice(0, 400));
    await page.screenshot({ path: join(screens, 'home.png'), fullPage: true });
    await root.goto(base + '/people');
    const people = await root.textContent('main');
    expect(people.includes('casey') && people.includes('Follows you') && people.includes('You are connected'),
      'casey is suggested to root, with reasons: ' + people.slice(0, 400));
    await Promise.all([root.waitForURL('**/people'), root.click('button:has-text("Follow casey")')]);
    expect(!(await root.textContent('main')).includes('Follow casey'), 'followed from the suggestion');
    await root.screenshot({ path: join(screens, 'people.png'), fullPage: true });
    // a "thanks for the follow" sent at once is delivered as a form message
    await page.goto(base + '/messages/root');
    await page.fill('#body', 'Thanks for the follow! Have a look at our new pricing calculator.');
    await page.click('main form button');
    expect((await page.textContent('main')).includes('shown to root as a form message'), 'casey is told');
    await root.goto(base + '/messages/casey');
    const inbox = await root.textContent('main');
    expect(inbox.includes('form message') && inbox.includes('Mute this sender'), 'root sees the mark');
    await root.screenshot({ path: join(screens, 'messages.png'), fullPage: true });
    await rootCtx.close();
  });
  let groupPaths = [];
  await step('groups: create, ask, answer, accept; an idea vetted, voted within the budget, planned, the voter told; a competition\'s results', async () => {
    const rootCtx = await browser.newContext({ bypassCSP: true });
    const root = await rootCtx.newPage();
    root.setDefaultTimeout(10000);
    await root.goto(base + '/login');
    await root.fill('#handle', 'root');
    await root.fill('#password', 'root-password-123');
    await Promise.all([root.waitForURL(base + '/'), root.click('main form button')]);
    await root.click('nav >> text=Groups');
    await Promise.all([root.waitForURL('**/g/new'), root.click('text=Start a group')]);
    await root.fill('#slug', 'abm-practice');
    await root.fill('#name', 'ABM practice');
    await root.fill('#description', 'Account-based marketing, from target lists to pipeline.');
    await Promise.all([root.waitForURL('**/g/abm-practice'), root.click('main form button')]);
    // casey joins and asks
    await page.goto(base + '/g/abm-practice');
    await Promise.all([page.waitForURL('**/g/abm-practice'), page.click('button:has-text("Join")')]);
    await page.selectOption('#kind', 'question');
    // a long unbreakable word in the title: the journeys below check nothing scrolls sideways
    await page.fill('#title', 'How many accounts can one SDR really work? See averyveryverylongaccountlistnamewithoutanyplacetobreakitatall');
    await page.fill('#text', 'We have 400 target accounts and two SDRs.');
    await Promise.all([page.waitForURL(/\/i\/\d+$/), page.click('.post-form button')]);
    const question = new URL(page.url()).pathname;
    await root.goto(base + question);
    await root.fill('#answer-body', 'About 50 in a quarter if the list is tiered; the rest get ads only.');
    await Promise.all([root.waitForURL(/#a\d+$/), root.click('.answer-form button')]);
    await page.goto(base + question);
    await Promise.all([page.waitForURL(/#answers$/), page.click('button:has-text("Accept this answer")')]);
    expect((await page.textContent('.answers')).includes('Accepted by the asker'), 'the answer is accepted');
    await page.screenshot({ path: join(screens, 'question.png'), fullPage: true });
    // an idea from root, vetted by root (the group's moderator); casey votes, root plans it
    await root.goto(base + '/g/abm-practice');
    await root.selectOption('#kind', 'idea');
    await root.fill('#title', 'Shared target-account lists between sales and marketing');
    await Promise.all([root.waitForURL(/\/i\/\d+$/), root.click('.post-form button')]);
    const idea = new URL(root.url()).pathname;
    await root.selectOption('#new-status', 'approved');
    await root.fill('#reason', 'Clear, and many members asked for it.');
    await Promise.all([root.waitForURL(/#status$/), root.click('.idea-status button')]);
    await page.goto(base + idea);
    await Promise.all([page.waitForURL(/\/i\/\d+#/), page.click('.votes button.up')]);
    expect((await page.textContent('#status')).includes('You have 9 of your 10 votes left'), 'the budget');
    await root.goto(base + idea);
    await root.selectOption('#new-status', 'planned');
    await root.fill('#reason', 'Planned for the spring release.');
    await Promise.all([root.waitForURL(/#status$/), root.click('.idea-status button')]);
    await page.goto(base + '/notifications');
    expect((await page.textContent('main')).includes('is now planned. Reason: Planned for the spring release.'),
      'the voter is told why');
    await page.goto(base + '/g/abm-practice/ideas?status=planned');
    expect((await page.textContent('main')).includes('Shared target-account lists'), 'the portal filter');
    await page.screenshot({ path: join(screens, 'ideas.png'), fullPage: true });
    // a competition with root as its judge
    const at = (h) => new Date(Date.now() + h * 3600e3).toISOString().slice(0, 16);
    await root.goto(base + '/g/abm-practice');
    await root.click('summary:has-text("Open a competition")');
    await root.fill('#ctitle', 'Best ABM launch of the year');
    await root.fill('#entry_start', at(-1));
    await root.fill('#entry_end', at(24));
    await root.fill('#vote_start', at(-1));
    await root.fill('#vote_end', at(48));
    await root.fill('#judges', 'root');
    await root.fill('#judge_weight', '0.3');
    await Promise.all([root.waitForURL(/\/competitions\/\d+$/), root.click('button:has-text("Open the competition")')]);
    const contest = new URL(root.url()).pathname;
    await page.goto(base + contest);
    await page.fill('#title', 'Our tiered launch');
    await page.fill('#url', `${articleBase}/launch`);
    await Promise.all([page.waitForURL('**' + contest), page.click('button:has-text("Submit the entry")')]);
    await root.goto(base + contest);
    await root.fill('input[name="score"] >> nth=0', '7');
    await Promise.all([root.waitForURL(/#e\d+$/), root.click('button:has-text("Score")')]);
    const results = await page.goto(base + contest).then(() => page.textContent('.results'));
    expect(results.includes('Our tiered launch') && results.includes('7.0 out of 10') &&
      results.includes('Place 1 of 1'), 'the results explain the place: ' + results.slice(0, 300));
    await page.screenshot({ path: join(screens, 'competition.png'), fullPage: true });
    groupPaths = ['/g', '/g/abm-practice', '/g/abm-practice/ideas', question, idea, contest];
    await rootCtx.close();
  });
  await step('reader signals: save, statistics after five readers, one-field subscription and one-click unsubscribe, consent and its export log, a signed webhook, export and deletion', async () => {
    await page.setViewportSize({ width: 1200, height: 900 });
    // a member saves the admin's post (they opened it earlier)
    await page.goto(`${base}/i/${adminItem}`);
    await Promise.all([page.waitForURL(`**/i/${adminItem}`), page.click('button:has-text("Save for later")')]);
    expect(await page.isVisible('button:has-text("Saved: unsave")'), 'the button says it is saved');
    await page.goto(base + '/saved');
    expect((await page.textContent('main')).includes('How buying committees really decide'), 'the saved list');
    // the author sees nothing countable until five distinct readers opened it
    const root = await (await browser.newContext({ bypassCSP: true })).newPage();
    root.setDefaultTimeout(10000);
    await root.goto(base + '/login');
    await root.fill('#handle', 'root');
    await root.fill('#password', 'root-password-123');
    await Promise.all([root.waitForURL(base + '/'), root.click('main form button')]);
    const readers = async () => (await root.goto(`${base}/stats/i/${adminItem}`).then(() =>
      root.innerText('table.stats tbody tr:nth-child(2)'))).replace(/\s+/g, ' ');
    expect((await readers()).includes('Distinct readers fewer than 5'), 'one reader: ' + await readers());
    // members read it (visitors alone could be anyone, even the author padding the count)
    const memberOpens = async (handle) => {
      cli('user', 'add', '--db', db, '--handle', handle, '--name', handle, '--email', `${handle}@readers.example`,
        '--password-file', join(dir, 'pw'));
      const login = await fetch(`${base}/login`);
      const jar = (login.headers.getSetCookie() || []).map((c) => c.split(';')[0]);
      const csrf = /name="csrf" value="([0-9a-f]+)"/.exec(await login.text())[1];
      const r = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: jar.join('; ') },
        body: new URLSearchParams({ handle, password: 'root-password-123', csrf }) });
      const session = (r.headers.getSetCookie() || []).map((c) => c.split(';')[0]);
      await fetch(`${base}/go/${adminItem}`, { redirect: 'manual', headers: { Cookie: [...jar, ...session].join('; ') } });
    };
    for (const who of ['reader-a', 'reader-b', 'reader-c']) await memberOpens(who);
    expect((await readers()).includes('fewer than 5'), 'four readers: still fewer than 5');
    await memberOpens('reader-d');
    expect(/Distinct readers 5 /.test(await readers() + ' '), 'five readers: ' + await readers());
    await root.screenshot({ path: join(screens, 'stats.png'), fullPage: true });
    // sign-up in one field, confirmed by mail, ended with one click from the mail
    const visitor = await (await browser.newContext({ bypassCSP: true })).newPage();
    visitor.setDefaultTimeout(10000);
    await visitor.goto(base + '/subscribe');
    expect(await visitor.locator('main form input:not([type="hidden"])').count() === 2, 'email and name only');
    await visitor.fill('#email', 'dana@buyer.example');
    await Promise.all([visitor.waitForURL(base + '/subscribe'), visitor.click('main form button')]);
    expect((await visitor.textContent('main')).includes('Check your mail'), 'told to check the mail');
    await monitorCycle();
    const confirm = mails.find((m) => m.rcpt.includes('dana@buyer.example'));
    expect(confirm, 'the confirmation mail arrived');
    const link = /(http:\S+\/subscribe\/confirm\/[0-9a-f]+)/.exec(confirm.text)[1];
    await visitor.goto(link);
    await Promise.all([visitor.waitForURL(link), visitor.click('main form button')]);
    expect((await visitor.textContent('main')).includes('Confirmed'), 'subscribed');
    await monitorCycle();
    const digest = mails.filter((m) => m.rcpt.includes('dana@buyer.example'))[1];
    expect(digest && /List-Unsubscribe-Post: List-Unsubscribe=One-Click/.test(digest.text), 'the digest, with RFC 8058 headers');
    const unsub = /List-Unsubscribe: <([^>]+)>/.exec(digest.text)[1];
    const one = await fetch(unsub, { method: 'POST', body: 'List-Unsubscribe=One-Click',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(one.status === 200, 'one click, no login: ' + one.status);
    await visitor.goto(unsub);
    expect((await visitor.textContent('main')).includes('You are unsubscribed'), 'the page agrees');
    // consent to one organisation; its org-admin exports it; the member sees the export
    cli('user', 'add', '--db', db, '--handle', 'acme', '--name', 'Acme Admin', '--email', 'ops@acme.example',
      '--password-file', join(dir, 'pw'), '--affiliation', 'Acme', '--domain', 'acme.example', '--role', 'org-admin');
    const acme = cli('token', 'create', '--db', db, '--user', 'acme');
    const leads = async () => (await fetch(`${base}/api/v1/leads.csv`, { headers: { Authorization: `Bearer ${acme}` } })).text();
    expect(!(await leads()).includes('casey@brightside.io'), 'no consent, no row');
    await page.goto(base + '/settings/privacy');
    await page.fill('#org', 'acme.example');
    await Promise.all([page.waitForURL('**/settings/privacy?saved=1'), page.click('button:has-text("Allow it to contact me")')]);
    expect((await leads()).includes('"casey@brightside.io"'), 'the consenting member is exported');
    await page.goto(base + '/settings/privacy');
    expect((await page.textContent('.export-log')).includes('acme.example exported your contact on'), 'the export log');
    // a webhook to a loopback receiver, signed with its secret
    const hook = await fetch(`${base}/api/v1/webhooks`, { method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ url: `${articleBase}/hook`, events: ['item.created'], secret: 'receiver-secret-123' }) });
    expect(hook.status === 201, 'webhook created: ' + hook.status);
    await fetch(`${base}/api/v1/items`, { method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ url: `${articleBase}/hooked`, title: 'A post the webhook hears of' }) });
    await monitorCycle();
    expect(hooks.length === 1, `one delivery (${hooks.length})`);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(hooks[0].headers['x-guild-signature']);
    const want = createHmac('sha256', 'receiver-secret-123').update(`${t}.${hooks[0].body}`).digest();
    expect(timingSafeEqual(want, Buffer.from(v1, 'hex')) && Math.abs(Date.now() / 1000 - t) < 300, 'a valid, fresh signature');
    expect(JSON.parse(hooks[0].body).data.title === 'A post the webhook hears of', 'the event names the post');
    // a member exports everything, then deletes the account
    cli('user', 'add', '--db', db, '--handle', 'leaver', '--name', 'Lee Leaver', '--email', 'lee@leaver.example',
      '--password-file', join(dir, 'pw'));
    const leaver = await (await browser.newContext({ bypassCSP: true, acceptDownloads: true })).newPage();
    leaver.setDefaultTimeout(10000);
    await leaver.goto(base + '/login');
    await leaver.fill('#handle', 'leaver');
    await leaver.fill('#password', 'root-password-123');
    await Promise.all([leaver.waitForURL(base + '/'), leaver.click('main form button')]);
    await leaver.goto(base + '/settings/export');
    const [download] = await Promise.all([leaver.waitForEvent('download'), leaver.click('a:has-text("Download my data")')]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(exported.profile.email === 'lee@leaver.example', 'the export holds the profile');
    await leaver.goto(base + '/settings/delete');
    await leaver.fill('#password', 'root-password-123');
    await Promise.all([leaver.waitForURL(base + '/settings/delete'), leaver.click('button:has-text("Delete my account")')]);
    expect((await leaver.textContent('main')).includes('Your account is deleted'), 'deleted');
    await leaver.goto(base + '/settings');
    expect(leaver.url().includes('/login'), 'signed out for good');
    await Promise.all([root.context().close(), visitor.context().close(), leaver.context().close()]);
  });
  await step('axe-core and a 360 px screen: a logged-out visitor, a new member, an admin', async () => {
    const visitor = await (await browser.newContext({ bypassCSP: true })).newPage();
    visitor.setDefaultTimeout(10000);
    await journey(visitor, 'visitor', ['/', '/new', '/directory', `/i/${adminItem}`, `/why/${adminItem}`,
      '/u/root', '/login', '/forgot', '/moderations', '/river', '/search?q=buying', '/digest',
      cli('invite', '--db', db, '--by', 'root'), '/subscribe', ...groupPaths]);
    await journey(page, 'member', ['/', `/i/${adminItem}`, '/submit', '/settings', '/columns', '/u/casey',
      '/u/root', '/home', '/people', '/notifications', '/messages', '/messages/root', '/saved', '/stats',
      `/stats/i/${caseyItem}`, '/settings/privacy', '/settings/export', '/settings/delete', ...groupPaths]);
    const admin = await (await browser.newContext({ bypassCSP: true,
      permissions: ['clipboard-read', 'clipboard-write'] })).newPage();
    admin.setDefaultTimeout(10000);
    await admin.goto(base + '/login');
    await admin.fill('#handle', 'root');
    await admin.fill('#password', 'root-password-123');
    await Promise.all([admin.waitForURL(base + '/'), admin.click('main form button')]);
    await journey(admin, 'admin', ['/', '/mod', '/admin', '/settings', `/i/${caseyItem}`, '/home',
      '/people', '/notifications', '/messages', '/messages/casey', '/u/casey', '/stats', `/stats/i/${adminItem}`,
      ...groupPaths,
      '/g/new']);
    // an invitation: the whole link, and a button that copies it
    await admin.setViewportSize({ width: 360, height: 800 });
    await admin.goto(base + '/settings');
    await Promise.all([admin.waitForURL(/invite=/), admin.click('form[action="/settings/invite"] button')]);
    const link = await admin.inputValue('input.invite >> nth=0');
    expect(link.startsWith(base + '/join/'), 'the invitation is a whole link: ' + link);
    await admin.click('button.copy >> nth=0');
    await admin.waitForSelector('span.copied:has-text("Copied")');
    const copied = await admin.evaluate(() => navigator.clipboard.readText());
    expect(copied === link, `the copy button copied the link (${copied})`);
    await axeCheck(admin, 'admin /settings with copy buttons @360px');
  });
} finally {
  await browser.close();
  await stopServer(proc);
  articles.close();
  smtp.close();
}
// the guild's database and log stay for a look only when something failed
if (failed === 0) rmSync(dir, { recursive: true, force: true });
else console.log(`the guild's files are kept in ${dir}`);
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
