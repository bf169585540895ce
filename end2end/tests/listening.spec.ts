import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { MANAGER } from '../playwright.config';

// "What customers said" on the demo survey (one synthetic respondent in three leaves a
// comment): a manager reads the answers on a phone, filters them by bond class, searches
// without accents and codes an answer to one of the brand's values, with the keyboard
// where a person would use it.

async function signIn(page: Page) {
  await page.goto('/reports');
  await page.getByLabel('Email').fill(MANAGER.email);
  await page.getByLabel('Mật khẩu').fill(MANAGER.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page).toHaveURL(/\/reports$/);
}

const CLASS_NAMES: Record<string, string> = {
  values_only: 'Chỉ giá trị',
  contact_only: 'Chỉ liên lạc',
  both: 'Cả hai',
  neither: 'Không gắn kết',
};

async function expectAccessible(page: Page) {
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
  // Nothing is wider than the phone's screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test('a manager reads and codes what customers said, by bond class and searched without accents', async ({ page }) => {
  await signIn(page);
  await page.goto('/reports/terra-bond');
  await page.getByRole('link', { name: 'Khách hàng nói gì' }).click();
  await expect(page).toHaveURL(/\/reports\/terra-bond\/listening$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Khách hàng nói gì');
  const answers = page.locator('.heard-answer');
  await expect(answers).toHaveCount(25);
  await expect(page.getByText('Địa chỉ e-mail và số điện thoại được che.')).toBeVisible();
  await expectAccessible(page);

  // The largest bond class of the report: every answer shown is from it.
  const json = await (await page.request.get('/reports/terra-bond/report.json')).json();
  const largest = json.report.headline.classes.reduce((a: any, b: any) => (b.share.x > a.share.x ? b : a));
  expect(largest.share.x).toBeGreaterThanOrEqual(30);
  await page.getByLabel('Nhóm gắn kết', { exact: true }).selectOption(largest.class);
  await page.getByRole('button', { name: 'Xem' }).click();
  await expect(page).toHaveURL(new RegExp(`class=${largest.class}`));
  await expect(page.getByText(`${largest.share.x} người trả lời khớp với bộ lọc.`)).toBeVisible();
  const classes = await page.locator('.heard-answer .meta dd:nth-of-type(2)').allTextContents();
  expect(classes.length).toBeGreaterThan(0);
  for (const c of classes) expect(c).toBe(CLASS_NAMES[largest.class]);

  // Every class again, and a search without accents, submitted with Enter.
  await page.getByLabel('Nhóm gắn kết', { exact: true }).selectOption('');
  const search = page.getByLabel('Tìm trong câu trả lời', { exact: true });
  await search.fill('MOI TRUONG');
  await search.press('Enter');
  await expect(page).toHaveURL(/q=MOI\+TRUONG/);
  const found = page.locator('.heard-answer blockquote');
  await expect(found.first()).toBeVisible();
  for (const text of await found.allTextContents()) expect(text).toContain('môi trường');
  await expectAccessible(page);

  // Code the first answer to the brand's value; the page comes back to it, coded.
  const first = answers.first();
  const id = await first.getAttribute('id');
  await first.getByLabel('Gắn mã', { exact: true }).selectOption({ label: 'Bảo vệ môi trường' });
  await first.getByRole('button', { name: 'Gắn', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`q=MOI\\+TRUONG#${id}$`));
  const coded = page.locator(`#${id}`);
  await expect(coded.locator('.code')).toHaveText('Bảo vệ môi trường');
  // The code's row in the table by bond class (one coded answer: too few to show).
  const row = page.getByRole('row', { name: /Bảo vệ môi trường/ });
  await expect(row).toBeVisible();
  await expect(row.locator('td').first()).toContainText(/quá ít|—/);

  // Removing it is one keyboard press on its labelled button.
  await coded.getByRole('button', { name: 'Gỡ mã Bảo vệ môi trường' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator(`#${id} .code`)).toHaveCount(0);
});
