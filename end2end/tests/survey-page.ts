import { expect, type Locator, type Page } from '@playwright/test';

/** The respondent's survey page, as a person on a phone uses it. */
export class SurveyPage {
  constructor(readonly page: Page) {}

  async open(slug: string, lang: 'vi' | 'en' = 'vi') {
    await this.page.goto(`/s/${slug}?lang=${lang}`);
  }

  progress(): Locator {
    return this.page.locator('#progress-label');
  }

  async start() {
    await this.page.getByRole('button', { name: /Bắt đầu|Start/ }).click();
    await expect(this.progress()).toBeVisible();
  }

  /**
   * Answers every question on the current page the way a values-bonded customer would:
   * 6 on every 1–7 scale, or with `varied` 6 and 5 in turn (one answer to every bond item,
   * a reverse-keyed one too, is straight-lining: the report sets such a response aside).
   */
  async answerVisibleQuestions(options: { relationship?: 'yes' | 'no'; varied?: boolean } = {}) {
    const questions = this.page.locator('.page-form .question');
    const count = await questions.count();
    for (let i = 0; i < count; i++) {
      const q = questions.nth(i);
      const id = (await q.getAttribute('id')) ?? '';
      const key = id.replace('question-', '');
      if (await q.locator('textarea, input[type="text"]').count()) {
        await q.locator('textarea, input[type="text"]').fill('Bảo vệ thiên nhiên, sửa chữa đồ dùng');
      } else if (key === 'relationship') {
        await q.locator(`label[for="f-relationship-${options.relationship ?? 'yes'}"]`).click();
      } else if (await q.locator('.scale').count()) {
        // Pick 6 on 1–7 scales and 9 on the 0–10 scale.
        const points = q.locator('.scale .choice');
        const n = await points.count();
        await points.nth(n === 7 ? (options.varied && i % 2 ? 4 : 5) : 9).click();
      } else {
        await q.locator('label.choice').first().click();
      }
    }
  }

  /** Which bond block the current page asks: the respondent's drawn order decides. */
  async bondBlock(): Promise<'values' | 'contact' | 'other'> {
    const ids = await this.page.locator('.page-form .question').evaluateAll((els) => els.map((e) => e.id));
    if (ids.length && ids.every((id) => id.startsWith('question-vc_'))) return 'values';
    if (ids.length && ids.every((id) => id.startsWith('question-cb_'))) return 'contact';
    return 'other';
  }

  async next() {
    await this.page.getByRole('button', { name: /^(Tiếp theo|Next|Gửi câu trả lời|Submit answers)$/ }).click();
  }

  async saveForLater() {
    await this.page.getByRole('button', { name: /Lưu và tiếp tục sau|Save and continue later/ }).click();
  }

  /**
   * Answers pages until the thank-you page, checking "page k of n" on the way. The first
   * page may count one page fewer: the reason page is shown only after "yes".
   */
  async completeFrom(position: number, total: number, person: { secondsPerPage?: number } = {}) {
    for (let k = position; k <= total; k++) {
      const of = k === 1 ? `(${total}|${total - 1})` : `${total}`;
      await expect(this.progress()).toHaveText(new RegExp(`^Trang ${k}/${of}$`));
      await this.answerVisibleQuestions({ varied: person.secondsPerPage !== undefined });
      if (person.secondsPerPage) await this.page.waitForTimeout(1000 * person.secondsPerPage);
      await this.next();
    }
    await expect(this.page.getByRole('heading', { name: 'Cảm ơn bạn!' })).toBeVisible();
  }
}
