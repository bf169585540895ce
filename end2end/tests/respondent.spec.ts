import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { SurveyPage } from './survey-page';

const SLUG = 'terra-bond';

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
    // The answers given before closing the tab are still selected.
    await expect(again.locator('#f-vc_connected-6')).toBeChecked();
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
