import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { createServer, type Server } from 'node:net';
import { MANAGER, SMTP_PORT } from '../playwright.config';

/**
 * Invitations by e-mail, in the browser: a brand manager uploads a contact list, sees the
 * invitation previewed in both languages and how many will go, sends, and watches the
 * queue drain into a tiny SMTP sink (below) that the server is configured to send to.
 */

type Mail = { to: string[]; data: string };
const inbox: Mail[] = [];
let sink: Server;

/** Enough SMTP for lettre: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT. */
function startSink(port: number): Promise<Server> {
  const server = createServer((socket) => {
    let buffer = '';
    let inData = false;
    let to: string[] = [];
    socket.write('220 e2e-sink ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          inbox.push({ to, data: buffer.slice(0, end) });
          to = [];
          buffer = buffer.slice(end + 5);
          inData = false;
          socket.write('250 queued\r\n');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.toUpperCase();
        if (verb.startsWith('EHLO')) socket.write('250-e2e-sink\r\n250 8BITMIME\r\n');
        else if (verb.startsWith('RCPT TO:')) {
          to.push(line.slice(8).trim().replace(/[<>]/g, ''));
          socket.write('250 ok\r\n');
        } else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
    socket.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

test.beforeAll(async () => {
  sink = await startSink(SMTP_PORT);
});

test.afterAll(async () => {
  await new Promise((resolve) => sink.close(resolve));
});

test('a manager uploads a list, previews, sends and sees the queue drain', async ({ page }) => {
  await page.goto('/login?next=/invitations/terra-bond');
  await page.getByLabel('Email').fill(MANAGER.email);
  await page.getByLabel('Mật khẩu').fill(MANAGER.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page).toHaveURL(/\/invitations\/terra-bond$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Mời qua e-mail');

  // A bad row: nothing saved, the row named.
  await page.getByLabel('Tệp CSV').setInputFiles({
    name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('email\nnot-an-address\n'),
  });
  await page.getByRole('button', { name: 'Tải lên' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Dòng 2' })).toBeVisible();

  const csv = '\ufeffemail,name,language\r\nlan@e2e.example,Lan,vi\r\nmark@e2e.example,Mark,en\r\n';
  await page.getByLabel('Tệp CSV').setInputFiles({
    name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8'),
  });
  await page.getByRole('button', { name: 'Tải lên' }).click();
  await expect(page.getByRole('status').filter({ hasText: '2 liên hệ mới' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'lan@e2e.example', exact: true })).toBeVisible();

  // Previewed in both languages with the brand's name, and the plan said before sending.
  await expect(page.locator('#preview-vi')).toContainText('Terra Outdoor mời bạn');
  await expect(page.locator('#preview-en')).toContainText('Terra Outdoor invites you');
  await expect(page.locator('#send-plan')).toContainText('Sẽ gửi 2.');
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);
  // Nothing is wider than the phone's screen (the file input once was).
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  await page.getByRole('button', { name: 'Gửi lời mời' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Đã xếp hàng 2 thư' })).toBeVisible();
  await expect(async () => {
    await page.getByRole('link', { name: 'Làm mới' }).click();
    await expect(page.locator('#queue-status')).toContainText('Đã gửi: 2', { timeout: 1000 });
  }).toPass({ timeout: 20_000 });

  expect(inbox.map((m) => m.to[0]).sort()).toEqual(['lan@e2e.example', 'mark@e2e.example']);
  for (const mail of inbox) {
    expect(mail.data).toMatch(/^List-Unsubscribe: <http:\/\/127\.0\.0\.1:\d+\/u\/[\w-]+>/m);
    expect(mail.data).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
  }
});
