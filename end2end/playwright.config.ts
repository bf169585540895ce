import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The app under test: the release binary `make test` built, on its own port and a fresh
// SQLite database seeded with the demo surveys.
const port = Number(process.env.VB_E2E_PORT ?? 3107);
const binary = process.env.VB_BINARY ?? '../target/release/valuebond';
const siteRoot = process.env.VB_SITE_ROOT ?? '../target/site';
const dataDir = mkdtempSync(join(tmpdir(), 'valuebond-e2e-'));
export const MANAGER = { email: 'manager@e2e.valuebond.vn', password: 'e2e manager password' };
// The SMTP sink the invitations spec listens on; the server sends invitations to it.
export const SMTP_PORT = Number(process.env.VB_E2E_SMTP_PORT ?? 2526);
export const ADMIN = { email: 'admin@e2e.valuebond.vn', password: 'e2e admin password' };

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 390, height: 844 },
    locale: 'vi-VN',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  webServer: {
    // Demo content plus a manager of the outdoor brand and an admin whose passwords the
    // tests know (the demo accounts' passwords are random and only printed).
    command:
      `${binary} seed-demo && ` +
      `echo "${MANAGER.password}" | ${binary} create-manager --email ${MANAGER.email} --brand terra-outdoor && ` +
      `echo "${ADMIN.password}" | ${binary} create-admin --email ${ADMIN.email} && ` +
      `${binary} serve --demo`,
    env: {
      BIND: `127.0.0.1:${port}`, DATA_DIR: dataDir, SITE_ROOT: siteRoot, RUST_LOG: 'warn',
      // Few enough synthetic responses that some segment groups fall under the base of 30.
      DEMO_RESPONSES: '200',
      SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`, MAIL_FROM: 'Terra surveys <surveys@terra.example>',
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, MAIL_RETRY: '1',
    },
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
