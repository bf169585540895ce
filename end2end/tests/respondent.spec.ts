import { test, expect, type Browser } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { SurveyPage } from './survey-page';
import { MANAGER } from '../playwright.config';

const SLUG = 'terra-bond';

/**
 * Respondents in fresh browsers until both orders of the two bond blocks have been shown
 * (each is drawn with probability ½: 16 tries miss one with probability 2⁻¹⁵); each answers
 * "no" (the reason page is skipped), finds one block on page 2 and the other on page 3,
 * and the last one completes the survey.
 */
async function bothBlockOrders(browser: Browser, javaScriptEnabled: boolean) {
  const orders = new Set<string>();
  for (let i = 0; i < 16 && orders.size < 2; i++) {
    const context = await browser.newContext({ javaScriptEnabled });
    const survey = new SurveyPage(await context.newPage());
    await survey.open(SLUG);
    await survey.start();
    await survey.answerVisibleQuestions({ relationship: 'no' });
    await survey.next();
    await expect(survey.progress()).toHaveText('Trang 2/7');
    const first = await survey.bondBlock();
    expect(['values', 'contact']).toContain(first);
    orders.add(first);
    await survey.answerVisibleQuestions();
    await survey.next();
    await expect(survey.progress()).toHaveText('Trang 3/7');
    expect(await survey.bondBlock()).toBe(first === 'values' ? 'contact' : 'values');
    if (orders.size === 2) {
      await survey.completeFrom(3, 7);
    }
    await context.close();
  }
  expect([...orders].sort()).toEqual(['contact', 'values']);
}

test.describe('with JavaScript', () => {
  test('a respondent completes the Vietnamese demo survey without full page reloads', async ({ page }) => {
    const survey = new SurveyPage(page);
    await survey.open(SLUG, 'vi');
    await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
    await survey.start();
    // Wait until the island is hydrated, then mark the window: a full reload would lose the mark.
    await page.waitForSelector('html[data-enhanced]', { state: 'attached' });
    await page.evaluate(() => ((window as any).__noReload = true));
    await survey.completeFrom(1, 8);
    expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
    await expect(page).toHaveURL(/\/s\/terra-bond\/thanks$/);
    await expect(page.getByRole('link', { name: 'Xóa câu trả lời của tôi' })).toBeVisible();
  });

  test('a respondent closes the tab midway and resumes where they left', async ({ context }) => {
    const first = await context.newPage();
    const survey = new SurveyPage(first);
    await survey.open(SLUG);
    await survey.start();
    // Before "yes" the reason page is not counted: 7 pages, then 8.
    await expect(survey.progress()).toHaveText('Trang 1/7');
    await survey.answerVisibleQuestions();
    await survey.next();
    for (const k of [2, 3]) {
      await expect(survey.progress()).toHaveText(`Trang ${k}/8`);
      await survey.answerVisibleQuestions();
      await survey.next();
    }
    await expect(survey.progress()).toHaveText('Trang 4/8');
    await first.close();

    const again = await context.newPage();
    const resumed = new SurveyPage(again);
    await resumed.open(SLUG);
    await expect(resumed.progress()).toHaveText('Trang 4/8');
    await again.getByRole('button', { name: 'Quay lại' }).click();
    await expect(resumed.progress()).toHaveText('Trang 3/8');
    // The answers given before closing the tab are still selected (6 on the first item of
    // the first bond block, values or contact as drawn for this respondent).
    await expect(again.locator('.page-form .question').first().locator('input[value="6"]')).toBeChecked();
    await resumed.completeFrom(3, 8);
  });

  test('a respondent sees a validation error, in their language, and fixes it', async ({ page }) => {
    const survey = new SurveyPage(page);
    await survey.open(SLUG, 'en');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    const summary = page.getByRole('alert');
    await expect(summary).toContainText('Please check your answers');
    await expect(page.locator('#question-relationship .field-error')).toHaveText('Please answer this question.');
    // Focus moves to the first unanswered question.
    await expect(page.locator('#f-relationship-yes')).toBeFocused();
    await expect(page.locator('#f-relationship-yes')).toHaveAttribute('aria-invalid', 'true');
    await survey.answerVisibleQuestions();
    await survey.next();
    await expect(survey.progress()).toHaveText('Page 2 of 8');
  });

  test('a respondent continues on another device with the continue-later link', async ({ browser }) => {
    const phone = await browser.newContext();
    const page = await phone.newPage();
    const survey = new SurveyPage(page);
    await survey.open(SLUG);
    await survey.start();
    await survey.answerVisibleQuestions();
    await survey.next();
    await expect(survey.progress()).toHaveText('Trang 2/8');
    await survey.saveForLater();
    const link = await page.locator('#resume-link').inputValue();
    expect(link).toMatch(/\/s\/terra-bond\/r\/[A-Za-z0-9_-]{43}$/);

    const laptop = await browser.newContext();
    const other = await laptop.newPage();
    await other.goto(link);
    await expect(other.getByRole('status')).toContainText('Chào mừng bạn quay lại');
    await new SurveyPage(other).completeFrom(2, 8);
    await phone.close();
    await laptop.close();
  });

  test('respondents are shown the two bond blocks in either order', async ({ browser }) => {
    await bothBlockOrders(browser, true);
  });

  test('the survey pages have no serious or critical accessibility violations', async ({ page }) => {
    const survey = new SurveyPage(page);
    const check = async (what: string) => {
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${what}: ${v.id} ${v.help}`)).toEqual([]);
    };
    await survey.open(SLUG);
    await check('intro');
    await survey.start();
    await check('page 1');
    await survey.next();
    await expect(page.getByRole('alert')).toBeVisible();
    await check('page 1 with errors');
    await survey.answerVisibleQuestions({ relationship: 'no' });
    await survey.next();
    await check('page 3 (scales)');
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a respondent completes the Vietnamese demo survey with plain form posts', async ({ page }) => {
    const survey = new SurveyPage(page);
    await survey.open(SLUG, 'vi');
    await survey.start();
    await survey.completeFrom(1, 8);
    await expect(page).toHaveURL(/\/s\/terra-bond\/thanks$/);
  });

  test('respondents are shown the two bond blocks in either order', async ({ browser }) => {
    await bothBlockOrders(browser, false);
  });

  test('a person answering at a person\'s pace is never flagged', async ({ page, browser }) => {
    // The report's count of flagged responses, read by the brand's manager.
    const staff = await (await browser.newContext({ javaScriptEnabled: true })).newPage();
    await staff.goto('/login');
    await staff.getByLabel('Email').fill(MANAGER.email);
    await staff.getByLabel('Mật khẩu').fill(MANAGER.password);
    await staff.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect(staff).toHaveURL(/\/reports$/);
    const quality = async () => {
      const r = (await (await staff.request.get(`/reports/${SLUG}/report.json?flagged=include`)).json()).report;
      return { completed: r.funnel.completed, flagged: r.quality.flagged.responses };
    };
    const before = await quality();

    // The hidden field is there, out of sight and out of the accessibility tree.
    const survey = new SurveyPage(page);
    await survey.open(SLUG, 'vi');
    await survey.start();
    await expect(page.locator('input[name="website"]')).toBeHidden();
    await expect(page.getByRole('textbox', { name: 'Để trống ô này' })).toHaveCount(0);
    await survey.completeFrom(1, 8, { secondsPerPage: 1.2 });

    const after = await quality();
    expect(after.completed).toBe(before.completed + 1);
    expect(after.flagged).toBe(before.flagged);
  });

  test('a validation error is shown and focus starts on the unanswered question', async ({ page }) => {
    const survey = new SurveyPage(page);
    await survey.open(SLUG, 'vi');
    await survey.start();
    await survey.next();
    await expect(page.getByRole('alert')).toContainText('Vui lòng kiểm tra lại câu trả lời');
    await expect(page.locator('#f-relationship-yes')).toBeFocused();
    await survey.answerVisibleQuestions();
    await survey.next();
    await expect(survey.progress()).toHaveText('Trang 2/8');
  });
});
