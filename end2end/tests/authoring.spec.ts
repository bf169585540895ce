import { test, expect, type Browser, type Page } from '@playwright/test';
import { ADMIN, MANAGER } from '../playwright.config';
import AxeBuilder from '@axe-core/playwright';
import { SurveyPage } from './survey-page';

/**
 * The admin's whole authoring loop, in the browser: a new brand with its stated values and
 * a placebo, a survey written by the "Brand Bond Check" block, one question reworded and
 * previewed in English, publishing, a respondent on a phone answering version 1, a second
 * edit published as version 2 (the response stays on v1), and a manager of another brand
 * who sees none of it.
 */

const BRAND = { slug: 'e2e-tea', name: 'Trà Sen E2E' };
const SURVEY = 'e2e-tea-check';
const BUILDER = `/admin/surveys/${SURVEY}`;
const VALUES = [
  { key: 'craft', vi: 'Tay nghề thủ công', en: 'Craftsmanship', weight: '3' },
  { key: 'farmers', vi: 'Đồng hành cùng nông dân', en: 'Standing with farmers', weight: '2' },
  { key: 'calm', vi: 'Sự tĩnh lặng', en: 'Calm', weight: '1' },
];
// A value the brand never claimed: the report's baseline for guessing.
const PLACEBO = { key: 'innovation', vi: 'Đổi mới công nghệ', en: 'Technological innovation' };

// The first value-congruence question the Bond Check block writes (src/domain/bond_check.rs);
// it is on page 3, after relationship and tenure (page 1) and the reason (page 2).
const QUESTION = 'vc_connected';
// Neither text contains the other, so "shows v1 and not v2" cannot pass by accident.
const V1 = {
  vi: 'Trà Sen E2E sống đúng với điều tôi tin tưởng.',
  en: 'Trà Sen E2E lives by what I believe in.',
};
const V2 = {
  vi: 'v2 Tôi và Trà Sen E2E coi trọng cùng một điều.',
  en: 'v2 Trà Sen E2E and I care about the same thing.',
};

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/** Signs in on the staff login form and waits for the page `next` points to. */
async function signIn(page: Page, account: { email: string; password: string }, next: string) {
  await page.goto(`/login?next=${next}`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Mật khẩu').fill(account.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page).toHaveURL(new RegExp(`${next}$`));
}

async function newStaffPage(browser: Browser, account: { email: string; password: string }, next: string) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'vi-VN' });
  const page = await context.newPage();
  await signIn(page, account, next);
  return page;
}

/** Fills one "Giá trị n" row of the brand form (the fieldset's legend names the row). */
async function fillValueRow(page: Page, n: number, v: { key: string; vi: string; en: string; weight?: string }) {
  const row = page.getByRole('group', { name: `Giá trị ${n}`, exact: true });
  await row.getByLabel('Mã giá trị').fill(v.key);
  await row.getByLabel('Tên (tiếng Việt)', { exact: true }).fill(v.vi);
  await row.getByLabel('Tên (tiếng Anh)', { exact: true }).fill(v.en);
  if (v.weight) await row.getByLabel('Trọng số').fill(v.weight);
}

function placeboBox(page: Page, n: number) {
  return page
    .getByRole('group', { name: `Giá trị ${n}`, exact: true })
    .getByRole('checkbox', { name: /Giá trị đối chứng/ });
}

/** The "Kiểm tra khảo sát" card of the builder: the checker's verdict and the publish button. */
function checkCard(page: Page) {
  return page.getByRole('region', { name: 'Kiểm tra khảo sát', exact: true });
}

/** From the builder, rewords `QUESTION` in both languages and comes back to the builder. */
async function rewordQuestion(page: Page, text: { vi: string; en: string }) {
  await page.getByRole('link', { name: `Sửa ${QUESTION}`, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${BUILDER}/q/${QUESTION}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Câu hỏi ${QUESTION}`);
  await page.getByLabel('Câu hỏi (tiếng Việt)', { exact: true }).fill(text.vi);
  await page.getByLabel('Câu hỏi (tiếng Anh)', { exact: true }).fill(text.en);
  await page.getByRole('button', { name: 'Lưu câu hỏi' }).click();
  // Post/redirect/get back to the builder, scrolled to the question.
  await expect(page).toHaveURL(new RegExp(`${BUILDER}\\?done=saved(#q-${QUESTION})?$`));
  await expect(page.getByRole('status').filter({ hasText: 'Đã lưu bản nháp.' })).toBeVisible();
  const row = page.locator(`#q-${QUESTION}`);
  await expect(row).toContainText(text.vi);
  await expect(row).toContainText(text.en);
}

async function publish(page: Page) {
  await checkCard(page).getByRole('button', { name: 'Xuất bản bản nháp' }).click();
  await expect(page).toHaveURL(new RegExp(`${BUILDER}\\?done=published$`));
  // Two status lines are on the page now (the notice and the checker's): pick the notice.
  await expect(page.getByRole('status').filter({ hasText: /^Đã xuất bản/ })).toBeVisible();
}

/**
 * Answers whatever each page asks (every choice group, every text field; "yes" to the
 * relationship so the reason question appears) and moves on until the thank-you page.
 * Returns the ids and texts of the questions seen, for assertions on what was shown.
 */
async function answerUntilThanks(page: Page) {
  const survey = new SurveyPage(page);
  const thanks = page.getByRole('heading', { name: 'Cảm ơn bạn!' });
  const seen = { ids: [] as string[], texts: [] as string[] };
  for (let pages = 0; !(await thanks.isVisible()); pages++) {
    expect(pages, 'the survey ends within 12 pages').toBeLessThan(12);
    const where = (await survey.progress().textContent()) ?? '';
    const questions = page.locator('.page-form .question');
    seen.ids.push(...(await questions.evaluateAll((els) => els.map((e) => e.id))));
    seen.texts.push(...(await questions.locator('.q-text').allTextContents()));
    await survey.answerVisibleQuestions({ relationship: 'yes' });
    await survey.next();
    // With JavaScript the next page replaces this one in place: wait for it before answering
    // again. If the progress does not move, a required question was left unanswered.
    await expect(survey.progress().or(thanks), `leaving "${where}"`).not.toHaveText(where);
  }
  return seen;
}

test('an admin builds a brand and a Bond Check survey, edits and versions it; respondents and managers see the right parts', async ({ browser }) => {
  test.setTimeout(180_000);

  const admin = await test.step('the admin signs in and sees the brands and surveys', async () => {
    const page = await newStaffPage(browser, ADMIN, '/admin');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thương hiệu và khảo sát');
    return page;
  });

  await test.step('a new brand with three values and a placebo', async () => {
    await admin.getByRole('link', { name: 'Thương hiệu mới', exact: true }).click();
    await expect(admin).toHaveURL(/\/admin\/brands\/new$/);
    await admin.getByLabel('Mã (dùng trong đường dẫn)').fill(BRAND.slug);
    await admin.getByLabel('Tên thương hiệu').fill(BRAND.name);
    await admin.getByLabel('Sứ mệnh (tiếng Việt)').fill('Trà ngon từ đồi chè của những người trồng chè.');
    await admin.getByLabel('Sứ mệnh (tiếng Anh)').fill('Good tea from the hills of the people who grow it.');
    // A new form offers three value rows and a fourth already marked as placebo.
    for (let n = 1; n <= 3; n++) await expect(placeboBox(admin, n)).not.toBeChecked();
    await expect(placeboBox(admin, 4)).toBeChecked();
    for (const [i, v] of VALUES.entries()) await fillValueRow(admin, i + 1, v);
    await fillValueRow(admin, 4, PLACEBO);
    await admin.getByRole('button', { name: 'Lưu thương hiệu' }).click();

    await expect(admin).toHaveURL(new RegExp(`/admin/brands/${BRAND.slug}\\?saved=1$`));
    await expect(admin.getByRole('status').filter({ hasText: 'Đã lưu thương hiệu.' })).toBeVisible();
    // Stored as typed: the placebo stays a placebo, and an empty row is offered for more.
    await expect(placeboBox(admin, 4)).toBeChecked();
    await expect(admin.getByRole('group', { name: 'Giá trị 5', exact: true }).getByLabel('Mã giá trị')).toHaveValue('');
  });

  await test.step('a survey from the Brand Bond Check block passes the checker', async () => {
    const form = admin.getByRole('region', { name: 'Khảo sát mới', exact: true });
    await form.getByLabel('Mã khảo sát').fill(SURVEY);
    await form.getByLabel('Tiêu đề (tiếng Việt)', { exact: true }).fill(`${BRAND.name}: kiểm tra gắn kết`);
    await form.getByLabel('Tiêu đề (tiếng Anh)', { exact: true }).fill(`${BRAND.name}: bond check`);
    // The block is the default starting point.
    await expect(
      form.getByRole('group', { name: 'Bắt đầu từ' }).getByRole('radio', { name: /Kiểm tra gắn kết thương hiệu/ }),
    ).toBeChecked();
    await form.getByRole('button', { name: 'Tạo khảo sát' }).click();

    await expect(admin).toHaveURL(new RegExp(`${BUILDER}$`));
    await expect(admin.getByRole('heading', { level: 1 })).toHaveText(`${BRAND.name}: kiểm tra gắn kết`);
    await expect(checkCard(admin).getByRole('status')).toContainText('Kiểm tra: không thấy vấn đề nào');
    // The builder is usable with a keyboard and a screen reader: no serious axe findings.
    const results = await new AxeBuilder({ page: admin }).analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `builder: ${v.id} ${v.help}`)).toEqual([]);
  });

  await test.step('the admin rewords a value-congruence question', async () => {
    await rewordQuestion(admin, V1);
    // Rewording keeps the survey complete.
    await expect(checkCard(admin).getByRole('status')).toContainText('Kiểm tra: không thấy vấn đề nào');
  });

  await test.step('with JavaScript, a question is reordered by drag and drop', async () => {
    // The keyboard way is the ↑/↓ buttons; dragging posts the same kind of edit.
    await expect(admin.locator('html')).toHaveAttribute('data-enhanced', '');
    const order = () =>
      admin.locator('#q-vc_connected').locator('xpath=..').locator('li').evaluateAll((items) => items.map((li) => li.id));
    const before = await order();
    expect(before.indexOf('q-vc_close')).toBe(before.indexOf('q-vc_connected') + 1);
    await admin.locator('#q-vc_close').dragTo(admin.locator('#q-vc_connected'));
    await expect(admin).toHaveURL(/done=saved#q-vc_close$/);
    const after = await order();
    expect(after.indexOf('q-vc_close')).toBe(after.indexOf('q-vc_connected') - 1);
    expect([...after].sort()).toEqual([...before].sort());
  });

  await test.step('the English preview shows the new wording on its page', async () => {
    await admin.getByRole('link', { name: 'Xem trước (tiếng Anh)' }).click();
    await expect(admin).toHaveURL(new RegExp(`${BUILDER}/preview\\?lang=en$`));
    const preview = new SurveyPage(admin);
    const banner = admin.getByRole('status').filter({ hasText: 'Preview: the page exactly as respondents see it' });
    await expect(banner).toBeVisible();
    // The question is on page 2 for someone who answers "no" (the reason page is skipped).
    await expect(preview.progress()).toHaveText(/^Page 1 of \d+$/);
    await preview.answerVisibleQuestions({ relationship: 'no' });
    await preview.next();
    await expect(preview.progress()).toHaveText(/^Page 2 of \d+$/);
    await expect(admin.getByRole('group', { name: V1.en })).toBeVisible();
    await expect(banner).toBeVisible();

    // `?lang=en` was remembered in the language cookie: come back in Vietnamese explicitly.
    await admin.goto(`${BUILDER}?lang=vi`);
    await expect(admin.getByRole('heading', { level: 1 })).toHaveText(`${BRAND.name}: kiểm tra gắn kết`);
  });

  await test.step('the admin publishes version 1', async () => {
    await publish(admin);
  });

  await test.step('a respondent on a phone completes version 1', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'vi-VN' });
    const page = await context.newPage();
    const survey = new SurveyPage(page);
    await survey.open(SURVEY, 'vi');
    await survey.start();
    const seen = await answerUntilThanks(page);
    await expect(page).toHaveURL(new RegExp(`/s/${SURVEY}/thanks$`));
    // "Yes" to the relationship brought up the reason question; the edited wording was live.
    expect(seen.ids).toContain('question-relationship_reason');
    expect(seen.texts).toContain(V1.vi);
    await context.close();
  });

  await test.step('a second edit makes a draft version 2, then published', async () => {
    await admin.goto(BUILDER);
    await rewordQuestion(admin, V2);
    await expect(admin.getByText('Đang sửa bản nháp phiên bản 2')).toBeVisible();
    await publish(admin);
  });

  await test.step('the response keeps the questions of version 1', async () => {
    await admin.getByRole('link', { name: 'Xem các câu trả lời' }).click();
    await expect(admin).toHaveURL(new RegExp(`${BUILDER}/responses$`));
    const responses = admin.getByRole('row').filter({ has: admin.getByRole('link', { name: /^#\d+$/ }) });
    await expect(responses).toHaveCount(1);
    await expect(responses.getByRole('cell', { name: 'v1', exact: true })).toBeVisible();
    await responses.getByRole('link').click();

    await expect(admin.getByRole('heading', { level: 1 })).toHaveText(/^Câu trả lời #\d+ · v1$/);
    const answered = admin.getByRole('row', { name: new RegExp(QUESTION) });
    await expect(answered).toContainText(V1.vi);
    // The respondent picked 6 on the 1–7 scale (SurveyPage.answerVisibleQuestions).
    await expect(answered.getByRole('cell')).toHaveText('6');
    await expect(admin.locator('main')).not.toContainText(V2.vi);
    await admin.context().close();
  });

  await test.step('a manager of another brand sees neither the survey nor the admin pages', async () => {
    const manager = await newStaffPage(browser, MANAGER, '/reports');
    await expect(manager.getByRole('link', { name: /terra-bond/ })).toBeVisible();
    await expect(manager.getByRole('link', { name: new RegExp(SURVEY) })).toHaveCount(0);
    await expect(manager.getByRole('link', { name: /moto-freedom/ })).toHaveCount(0);
    // Admin pages answer "not found" to anyone but an admin (not "forbidden": no hint they exist).
    expect((await manager.request.get('/admin')).status()).toBe(404);
    expect((await manager.request.get(BUILDER)).status()).toBe(404);
    await manager.context().close();
  });
});
