import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { MANAGER } from '../playwright.config';
import { SurveyPage } from './survey-page';

async function signIn(page: Page) {
  await page.goto('/reports');
  await expect(page).toHaveURL(/\/login\?next=%2Freports$/);
  await page.getByLabel('Email').fill(MANAGER.email);
  await page.getByLabel('Mật khẩu').fill(MANAGER.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page).toHaveURL(/\/reports$/);
}

test('a manager reads the demo report, cuts it by segment and language, and downloads it', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page);
  // Only the manager's brand is listed.
  await expect(page.getByRole('link', { name: /terra-bond/ })).toBeVisible();
  await expect(page.getByRole('link', { name: /moto-freedom/ })).toHaveCount(0);
  await page.getByRole('link', { name: /terra-bond/ }).click();

  const headline = page.locator('#sec-headline').locator('..');
  const sentence = headline.locator('.sentence');
  await expect(sentence).toContainText('người trả lời được chấm điểm có chung giá trị');
  // Every share in the headline table carries an interval.
  const firstFigure = headline.locator('table .figure').first();
  await expect(firstFigure).toHaveText(/^\d+%$/);
  await expect(headline.locator('table .ci').first()).toHaveText(/^\[\d+–\d+%\]$/);
  const pageValues = Number((await firstFigure.textContent())!.replace('%', ''));

  // The JSON download agrees with the page.
  const json = await (await page.request.get('/reports/terra-bond/report.json')).json();
  const h = json.report.headline;
  expect(Math.round((100 * h.values_bonded.x) / h.values_bonded.n)).toBe(pageValues);
  expect(h.scored).toBeGreaterThanOrEqual(100);
  // The CSV download has one row per complete response, with the documented columns.
  const csv = await (await page.request.get('/reports/terra-bond/responses.csv')).text();
  // Every cell is quoted (no spreadsheet splits a text answer on another separator).
  expect(csv.startsWith('"respondent","version","completed_at","locale",')).toBe(true);
  const rows = parseCsv(csv);
  expect(rows[0]).toContain('score_bond_class');
  // Every response is in the file with its flags; the report leaves the flagged ones out.
  expect(rows.length - 1).toBe(json.report.responses + json.report.quality.flagged.responses);
  const classColumn = rows[0].indexOf('score_bond_class');
  const flagsColumn = rows[0].indexOf('score_quality_flags');
  const counted = rows.slice(1).filter((r) => r[flagsColumn] === '');
  expect(counted.length).toBe(json.report.responses);
  const valuesOnly = counted.filter((r) => r[classColumn] === 'values_only').length;
  expect(valuesOnly).toBe(h.classes.find((c: any) => c.class === 'values_only').share.x);

  // Cut to one tenure group and compare activity groups: small groups are suppressed.
  await page.getByLabel('Chỉ xem nhóm').selectOption({ label: 'Dưới 1 năm' });
  await page.getByLabel('So sánh theo nhóm').selectOption('activity');
  await page.getByRole('button', { name: 'Áp dụng' }).click();
  await expect(page).toHaveURL(/segment=activity/);
  await expect(page).toHaveURL(/cut=tenure%3Aunder_1y/);
  const segments = page.locator('#sec-segments').locator('..');
  await expect(segments.locator('.suppressed').first()).toBeVisible();
  await expect(segments.locator('.sr-only').first()).toContainText('Quá ít phản hồi để hiển thị');
  await expect(headline.locator('.low-base').first()).toBeVisible();

  // Switch language: the same filtered report, in English, sentences rebuilt from numbers.
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(/lang=en/);
  await expect(page.locator('#sec-segments')).toHaveText('Segments');
  await expect(page.getByLabel('Compare by segment')).toHaveValue('activity');

  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);
});

test('a manager sees the flagged responses left out, and counts them on request', async ({ page, browser }) => {
  // A response posted at machine speed, 6 on every scale (reverse-keyed items too): a bot
  // and a straight-liner.
  const respondent = await browser.newContext();
  const survey = new SurveyPage(await respondent.newPage());
  await survey.open('terra-bond');
  await survey.start();
  await survey.completeFrom(1, 8);
  await respondent.close();

  await signIn(page);
  await page.goto('/reports/terra-bond');
  const note = page.locator('#quality-note');
  const flagged = (await (await page.request.get('/reports/terra-bond/report.json')).json()).report.quality.flagged;
  expect(flagged.responses).toBeGreaterThan(0);
  expect(flagged.bot).toBeGreaterThan(0);
  expect(flagged.straight_liner).toBeGreaterThan(0);
  await expect(note).toContainText(`${flagged.responses} câu trả lời bị đánh dấu không được tính vào các chỉ số`);
  const leftOut = (await (await page.request.get('/reports/terra-bond/report.json')).json()).report.responses;
  await note.getByRole('link', { name: 'Tính cả các câu này' }).click();
  await expect(page).toHaveURL(/flagged=include/);
  await expect(note).toContainText('vẫn được tính vào các chỉ số');
  // Filters applied afterwards keep the choice.
  await page.getByLabel('So sánh theo nhóm').selectOption('activity');
  await page.getByRole('button', { name: 'Áp dụng' }).click();
  await expect(page).toHaveURL(/flagged=include/);
  const counted = (await (await page.request.get('/reports/terra-bond/report.json?flagged=include')).json()).report.responses;
  expect(counted).toBe(leftOut + flagged.responses);
  await note.getByRole('link', { name: 'Bỏ các câu này ra' }).click();
  await expect(page).not.toHaveURL(/flagged=include/);
  await expect(page).toHaveURL(/segment=activity/);
});

test('a report page renders on a phone and survives printing styles', async ({ page }) => {
  await signIn(page);
  await page.goto('/reports/terra-bond');
  await expect(page.locator('h1')).toContainText('Báo cáo');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('form', { name: 'Bộ lọc' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Tạo đường dẫn chia sẻ' })).toBeHidden();
  await expect(page.locator('#sec-values')).toBeVisible();
});

test('a manager compares two periods, shares the URL, and is stopped from overlapping waves', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page);
  await page.goto('/reports/terra-bond');
  await page.getByRole('link', { name: 'So sánh hai đợt' }).click();
  await expect(page).toHaveURL(/\/reports\/terra-bond\/compare$/);
  // Nothing chosen yet: a suggestion in the form, no figures.
  await expect(page.getByRole('status')).toContainText('tháng trước so với tháng này');
  await expect(page.locator('#sec-waves')).toHaveCount(0);

  // The demo's responses span the last 90 days: two halves, every response in one of them.
  const day = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 10);
  const first = page.getByRole('group', { name: 'Đợt đầu' });
  const second = page.getByRole('group', { name: 'Đợt sau' });
  await first.getByLabel('Từ ngày').fill(day(95));
  await first.getByLabel('Đến ngày').fill(day(46));
  await second.getByLabel('Từ ngày').fill(day(45));
  await second.getByLabel('Đến ngày').fill(day(-1));
  await page.getByRole('button', { name: 'So sánh' }).click();
  await expect(page).toHaveURL(new RegExp(`first_from=${day(95)}.*second_to=${day(-1)}`));
  const section = page.locator('#sec-waves').locator('..');
  await expect(section.locator('.sentence')).toContainText('chỉ số');
  await expect(section.getByRole('img')).toBeVisible();
  await expect(section.getByRole('row', { name: /NPS/ })).toBeVisible();
  // Every response of the report is in exactly one wave, and the download agrees.
  const query = new URL(page.url()).search;
  const comparison = await (await page.request.get(`/reports/terra-bond/compare.json${query}`)).json();
  const report = await (await page.request.get('/reports/terra-bond/report.json')).json();
  const c = comparison.comparison;
  expect(c.first_responses + c.second_responses).toBe(report.report.responses);
  const values = c.rows.find((r: any) => r.measure.measure === 'values_bonded');
  const figure = await section.getByRole('row', { name: /Gắn kết qua giá trị/ }).locator('.figure').first().textContent();
  expect(figure).toBe(`${Math.round((100 * values.first.x) / values.first.n)}%`);

  // The URL is the comparison: in English it is the same one.
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(/lang=en/);
  await expect(page.getByRole('group', { name: 'Second wave' }).getByLabel('From')).toHaveValue(day(45));
  await expect(page.locator('#sec-waves')).toHaveText('Change from the first wave to the second');
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);

  // Overlapping waves could count a respondent twice: refused, with the form kept.
  await page.getByRole('group', { name: 'Second wave' }).getByLabel('From').fill(day(60));
  await page.getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByRole('alert')).toContainText('The two waves overlap');
  await expect(page.locator('#sec-waves')).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'Second wave' }).getByLabel('From')).toHaveValue(day(60));
});

/** RFC 4180 records (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
    else if (c !== '\r') cell += c;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

test('a manager weights the report to known shares, reads n_eff, and switches back', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page);
  await page.goto('/reports/terra-bond');
  const card = page.locator('#weighting');
  await expect(card).toContainText('Chưa đặt tỷ lệ mục tiêu');
  const tenure = card.getByRole('group', { name: /Terra Outdoor cách đây bao lâu/ });
  await tenure.getByLabel('Gia quyền theo câu này').check();
  const shares = tenure.locator('input[type=number]');
  await expect(shares).toHaveCount(4);
  // Shares that add up to 90%: refused, with what was typed kept.
  for (const [i, share] of ['10', '30', '30', '20'].entries()) await shares.nth(i).fill(share);
  await card.getByRole('button', { name: 'Lưu tỷ lệ mục tiêu' }).click();
  await expect(page.getByRole('alert')).toContainText('cộng lại bằng 90.00%, không phải 100%');
  await expect(shares.nth(3)).toHaveValue('20');
  await expect(tenure.getByLabel('Gia quyền theo câu này')).toBeChecked();

  await shares.nth(3).fill('30');
  await card.getByRole('button', { name: 'Lưu tỷ lệ mục tiêu' }).click();
  await expect(page).toHaveURL(/weighting=saved/);
  const status = page.locator('#weighting-note');
  await expect(status).toContainText('Đã gia quyền');
  await expect(status).toContainText('cỡ mẫu hiệu dụng n_eff =');
  await expect(page.locator('#weighting')).toContainText(`Tỷ lệ mục tiêu do ${MANAGER.email} đặt ngày`);
  // Every figure carries its effective size; the download agrees with the page.
  const report = (await (await page.request.get('/reports/terra-bond/report.json')).json()).report;
  expect(report.weighting.outcome.status).toBe('weighted');
  const share = report.headline.values_bonded;
  expect(share.n_eff).toBeLessThan(share.n);
  await expect(page.locator('#sec-headline').locator('..').locator('.n-eff').first()).toContainText(
    `= ${Math.round(share.n_eff)}`,
  );
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);

  // One switch back to the unweighted figures.
  await status.getByRole('link', { name: 'Xem số liệu không gia quyền' }).click();
  await expect(page).toHaveURL(/weights=off/);
  await expect(page.locator('#weighting-note')).toContainText('Không gia quyền');
  await expect(page.locator('.n-eff')).toHaveCount(0);
  const plain = (await (await page.request.get('/reports/terra-bond/report.json?weights=off')).json()).report;
  expect(plain.weighting).toBeNull();
  expect(plain.responses).toBe(report.responses);

  // Removing the targets leaves the report as it was (the other tests read it unweighted).
  await page.goto('/reports/terra-bond');
  await page.locator('#weighting').getByRole('button', { name: 'Bỏ gia quyền' }).click();
  await expect(page).toHaveURL(/weighting=removed/);
  await expect(page.locator('#weighting')).toContainText('Chưa đặt tỷ lệ mục tiêu');
  await expect(page.locator('#weighting-note')).toHaveCount(0);
});
