import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import {
  acrWebhookPayload,
  callDeployTrigger,
  DeployTriggerError,
  formatAcrTime,
  redactUrl,
  urlSecrets,
} from '../../src/deploy/trigger.js';
import { parseTriggerUrls } from '../../src/domain/targets/trigger-urls.js';
import type { DeployedImage } from '../../src/domain/targets/deploy-result.js';
import { startTriggerReceiver, type TriggerReceiver } from '../standins/trigger-receiver.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJ0cmlnZ2VyIjoid2ViIn0.S3cr3t_Sig-0123456789';
const PATH_TOKEN = 'Xk9_qL2-vT7wRz4mNp0bQ8sY';

const DIGEST = `sha256:${'3e7fb43913dd8f4eaa86275158cc4bbc5fb26db6bbf10dbe92f0f3b80e8642c4'}`;
const IMAGE: DeployedImage = {
  registry: 'registry.cn-hangzhou.aliyuncs.com',
  repository: 'my-team/web-app',
  tag: 'v1.2.3',
  digest: DIGEST,
  reference: 'registry.cn-hangzhou.aliyuncs.com/my-team/web-app:v1.2.3',
  pinned: `registry.cn-hangzhou.aliyuncs.com/my-team/web-app:v1.2.3@${DIGEST}`,
};
const PUSHED_AT = new Date('2024-03-05T04:07:09.250Z');
const CREATED_AT = new Date('2023-12-31T18:30:00Z');
const PAYLOAD = acrWebhookPayload(IMAGE, { region: 'cn-hangzhou', pushedAt: PUSHED_AT, createdAt: CREATED_AT });

/** No secret, raw or percent-encoded, in `text`. */
function assertNoSecret(text: string, ...secrets: string[]): void {
  for (const secret of secrets) {
    assert.ok(!text.includes(secret), `leaked a secret: ${text}`);
    assert.ok(!text.includes(encodeURIComponent(secret)), `leaked an encoded secret: ${text}`);
  }
}

/** Runs `call`, expects a DeployTriggerError, checks it is one line without the tokens, and returns it. */
async function expectFailure(call: Promise<unknown>, ...secrets: string[]): Promise<DeployTriggerError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof DeployTriggerError, `not a DeployTriggerError: ${String(error)}`);
    assert.ok(!error.message.includes('\n'), 'the message is one line');
    assert.match(error.message, /^deploy-trigger: /);
    assertNoSecret(error.message, TOKEN, PATH_TOKEN, ...secrets);
    return error;
  }
  assert.fail('expected the call to fail');
}

function recordingSleep(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const receivers: TriggerReceiver[] = [];
async function receiver(style: 'ack' | 'plain' = 'ack', token = TOKEN, port?: number): Promise<TriggerReceiver> {
  const started = await startTriggerReceiver({ token, style, ...(port === undefined ? {} : { port }) });
  receivers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

const FAST = { baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 5_000 };

describe('parseTriggerUrls', () => {
  it('accepts http(s) URLs one a line, trimmed, skipping blank lines; plain http is a warning', () => {
    const cs = `https://cs.console.aliyun.com/hook/trigger?token=${TOKEN}&secret=365a4a664b45615438716a487a75695a`;
    const internal = `http://10.0.0.5:8080/redeploy/${PATH_TOKEN}`;
    const result = parseTriggerUrls(`  ${cs}  \r\n\n${internal}\n\n`);
    assert.deepEqual(result.urls, [cs, internal]);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings, [
      'deploy-trigger: line 3 uses plain http (http://10.0.0.5:8080/redeploy/***): the trigger token travels unencrypted; use https unless the receiver is on a private network',
    ]);
  });

  it('reads an empty input as no triggers', () => {
    assert.deepEqual(parseTriggerUrls(''), { urls: [], errors: [], warnings: [] });
    assert.deepEqual(parseTriggerUrls('\n  \n'), { urls: [], errors: [], warnings: [] });
  });

  it('rejects each malformed line with a one-line message that names the line and hides the token', () => {
    const cases: [line: string, problem: RegExp][] = [
      [`ftp://example.com/hook?token=${TOKEN}`, /its scheme is "ftp:", only http: and https: are supported/],
      [`https:///hook?token=${TOKEN}`, /it has no host/],
      ['https://', /there is nothing after "https:\/\/"/],
      [`/api/v1/triggers/abc?token=${TOKEN}`, /it is relative \(no http:\/\/ or https:\/\/\)/],
      [`javascript:alert(document.cookie)//?token=${TOKEN}`, /its scheme is "javascript:"/],
      [`https://example.com/hook?token=${TOKEN} now`, /it contains a space/],
      [`https://example.com/a?token=${TOKEN} https://example.com/b?token=${TOKEN}`, /it holds more than one URL; put one URL a line/],
      [`"https://example.com/hook?token=${TOKEN}"`, /it is quoted; remove the quotes/],
      [`https:example.com/hook?token=${TOKEN}`, /"https:" is not followed by "\/\/host"/],
      [`https://deploy:${PATH_TOKEN}@/hook`, /it has no host/],
      [`https://example.com:99999/hook?token=${TOKEN}`, /it cannot be parsed/],
    ];
    const input = ['https://ok.example.com/hook?token=fine-token', ...cases.map(([line]) => line)].join('\n');
    const { urls, errors } = parseTriggerUrls(input);
    assert.deepEqual(urls, ['https://ok.example.com/hook?token=fine-token']);
    assert.equal(errors.length, cases.length);
    cases.forEach(([, problem], i) => {
      const error = errors[i] ?? '';
      assert.ok(error.startsWith(`deploy-trigger: line ${i + 2} is not an http(s) URL: `), error);
      assert.match(error, problem);
      assert.ok(!error.includes('\n'));
      assertNoSecret(error, TOKEN, PATH_TOKEN);
    });
    assert.equal(errors[0], 'deploy-trigger: line 2 is not an http(s) URL: ftp://example.com/hook?token=*** — its scheme is "ftp:", only http: and https: are supported; paste the trigger link exactly as the console shows it (https://…)');
  });

  it('rejects a repeated URL: each call redeploys', () => {
    const url = `https://example.com/hook?token=${TOKEN}`;
    const { urls, errors } = parseTriggerUrls(`${url}\n${url}`);
    assert.deepEqual(urls, [url]);
    assert.deepEqual(errors, ['deploy-trigger: line 2 repeats line 1 (https://example.com/hook?token=***) — list each trigger once; every call redeploys']);
  });
});

describe('urlSecrets / redactUrl', () => {
  it('finds every query value of a Container Service trigger URL', () => {
    const triggerUrl = 'YzRmMWE5YzM2ZjMzYzQ0NmFiMGYzNWJlMmM2MjM2NzIyfGV4cHJlc3N8cmVkZXBsb3l8MThlMmllY2drdXYyZXw=';
    const secret = '365a4a664b45615438716a487a75695a7ac48329224b35b073c2197374e7d62a';
    const url = `https://cs.console.aliyun.com/hook/trigger?token=${TOKEN}&triggerUrl=${triggerUrl}&secret=${secret}`;
    assert.deepEqual(urlSecrets(url), [TOKEN, triggerUrl, secret]);
    assert.equal(redactUrl(url), 'https://cs.console.aliyun.com/hook/trigger?token=***&triggerUrl=***&secret=***');
  });

  it('masks the trigger id path segment and the token of an ACK trigger URL', () => {
    const id = 'c5cdf7e3938bc4f8eb0e44b21a80f1a2b';
    const url = `https://cs.console.aliyun.com/api/v1/triggers/${id}?token=${TOKEN}`;
    assert.deepEqual(urlSecrets(url), [id, TOKEN]);
    assert.equal(redactUrl(url), 'https://cs.console.aliyun.com/api/v1/triggers/***?token=***');
  });

  it('masks a userinfo password (as written and decoded) but keeps the user name, host, port and short values', () => {
    const url = 'https://deploy:p%40ss-w0rd@hooks.internal:8443/redeploy?v=1&sig=abc%2Bdef+x';
    assert.deepEqual(urlSecrets(url), ['p%40ss-w0rd', 'p@ss-w0rd', 'abc%2Bdef+x', 'abc+def x']);
    assert.equal(redactUrl(url), 'https://deploy:***@hooks.internal:8443/redeploy?v=1&sig=***');
  });

  it('masks a lone userinfo name (https://<token>@host), token-like and JWT path segments, a bare ?token and a fragment token', () => {
    assert.equal(redactUrl('https://ghp_abcdefghij0123456789@hooks.example.com/x'), 'https://***@hooks.example.com/x');
    assert.deepEqual(urlSecrets('https://ghp_abcdefghij0123456789@hooks.example.com/x'), ['ghp_abcdefghij0123456789']);
    assert.equal(
      redactUrl(`https://hooks.example.com/redeploy-production-frontend/${PATH_TOKEN}/${TOKEN}`),
      'https://hooks.example.com/redeploy-production-frontend/***/***',
    );
    assert.equal(redactUrl(`https://hooks.example.com/hook?${PATH_TOKEN}`), 'https://hooks.example.com/hook?***');
    assert.equal(redactUrl('https://hooks.example.com/x#access_token=abcdefgh&x=1'), 'https://hooks.example.com/x#access_token=***&x=1');
    assert.deepEqual(urlSecrets('https://hooks.example.com/api/v1/triggers'), []);
  });

  it('never leaves a reported secret in the redacted text, for URLs and for junk alike', () => {
    const samples = [
      `https://cs.console.aliyun.com/api/v1/triggers/c5cdf7e3938bc4f8eb0e44b21a80f1a2b?token=${TOKEN}&x=${PATH_TOKEN}`,
      `https://u:${PATH_TOKEN}@h.example/${PATH_TOKEN}?a=${TOKEN}#b=${TOKEN}`,
      `javascript:alert(1)//?token=${TOKEN}`,
      `deploy:${PATH_TOKEN}@example.com/x?t=${TOKEN}`,
      `https://a.example/x https://u:${PATH_TOKEN}@b.example/y?t=${TOKEN}`,
    ];
    for (const sample of samples) {
      const redacted = redactUrl(sample);
      assert.ok(urlSecrets(sample).length > 0, sample);
      for (const secret of urlSecrets(sample)) assert.ok(!redacted.includes(secret), `${sample} → ${redacted}`);
      assertNoSecret(redacted, TOKEN, PATH_TOKEN);
    }
    assert.equal(redactUrl('not a url at all'), 'not a url at all');
  });
});

describe('acrWebhookPayload', () => {
  it('builds exactly the ACR push webhook body, keys in the documented order, times in China Standard Time', () => {
    assert.deepEqual(PAYLOAD, {
      push_data: { digest: DIGEST, pushed_at: '2024-03-05 12:07:09', tag: 'v1.2.3' },
      repository: {
        date_created: '2024-01-01 02:30:00',
        name: 'web-app',
        namespace: 'my-team',
        region: 'cn-hangzhou',
        repo_authentication_type: 'NO_CERTIFIED',
        repo_full_name: 'my-team/web-app',
        repo_origin_type: 'NO_CERTIFIED',
        repo_type: 'PRIVATE',
      },
    });
    assert.equal(
      JSON.stringify(PAYLOAD),
      `{"push_data":{"digest":"${DIGEST}","pushed_at":"2024-03-05 12:07:09","tag":"v1.2.3"},` +
        '"repository":{"date_created":"2024-01-01 02:30:00","name":"web-app","namespace":"my-team","region":"cn-hangzhou",' +
        '"repo_authentication_type":"NO_CERTIFIED","repo_full_name":"my-team/web-app","repo_origin_type":"NO_CERTIFIED","repo_type":"PRIVATE"}}',
    );
  });

  it('matches the documented record: 03:37:36 GMT is written 11:37:36', () => {
    assert.equal(formatAcrTime(new Date('2017-10-16T03:37:36Z')), '2017-10-16 11:37:36');
  });

  it('defaults date_created to the push time, takes first and last path parts, and can say PUBLIC', () => {
    const payload = acrWebhookPayload(
      { ...IMAGE, repository: 'team/sub/app' },
      { region: 'cn-shanghai', pushedAt: new Date('2024-12-31T20:00:00Z'), repoType: 'PUBLIC' },
    );
    assert.equal(payload.push_data.pushed_at, '2025-01-01 04:00:00');
    assert.equal(payload.repository.date_created, '2025-01-01 04:00:00');
    assert.equal(payload.repository.namespace, 'team');
    assert.equal(payload.repository.name, 'app');
    assert.equal(payload.repository.repo_full_name, 'team/app');
    assert.equal(payload.repository.repo_type, 'PUBLIC');
  });

  it('refuses an invalid push time', () => {
    assert.throws(() => acrWebhookPayload(IMAGE, { region: 'cn-hangzhou', pushedAt: new Date('nope') }), /not a valid date/);
  });
});

describe('callDeployTrigger against a trigger receiver', () => {
  it('POSTs the payload as JSON and reports the rollout as accepted', async () => {
    const r = await receiver();
    const result = await callDeployTrigger(fetch, r.url(), PAYLOAD, { image: IMAGE });
    assert.equal(r.attempts, 1);
    assert.equal(r.received.length, 1);
    const [delivery] = r.received;
    assert.deepEqual(delivery?.body, PAYLOAD);
    assert.equal(delivery?.raw, JSON.stringify(PAYLOAD));
    assert.equal(delivery?.headers['content-type'], 'application/json');
    assert.equal(delivery?.headers['user-agent'], 'imageship');
    assert.deepEqual(result, {
      target: 'trigger',
      id: redactUrl(r.url()),
      previous: '',
      current: `${IMAGE.reference}@${DIGEST}`,
      verified: true,
    });
    assert.match(result.id, /^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/triggers\/\*\*\*\?token=\*\*\*$/);
  });

  it('accepts a plain receiver (token in the path, 200 "ok" without a code); current falls back to the payload', async () => {
    const r = await receiver('plain', PATH_TOKEN);
    const result = await callDeployTrigger(fetch, r.url(true), PAYLOAD);
    assert.equal(r.received.length, 1);
    assert.equal(result.verified, true);
    assert.equal(result.current, `my-team/web-app:v1.2.3@${DIGEST}`);
    assertNoSecret(result.id, PATH_TOKEN);
    assert.match(result.id, /\/hook\/\*\*\*$/);
  });

  it('explains a wrong token (403) and a missing one (401): recreate the trigger', async () => {
    const r = await receiver();
    const wrong = r.url().replace(encodeURIComponent(TOKEN), 'wrong-token-0123456789');
    const forbidden = await expectFailure(callDeployTrigger(fetch, wrong, PAYLOAD), 'wrong-token-0123456789');
    assert.match(
      forbidden.message,
      /^deploy-trigger: http:\/\/127\.0\.0\.1:\d+\/api\/v1\/triggers\/\*\*\*\?token=\*\*\*: HTTP 403 code 403: token is invalid or the trigger was deleted — the token was refused: it is wrong or the trigger was deleted; recreate the trigger in the console/,
    );
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.mayHaveRedeployed, false);

    const missing = await expectFailure(callDeployTrigger(fetch, r.url().replace(/\?.*$/, ''), PAYLOAD));
    assert.match(missing.message, /HTTP 401 code 401: token is required — the token was refused/);
    assert.equal(r.received.length, 0);
  });

  it('explains an unknown trigger (404)', async () => {
    const r = await receiver();
    const gone = r.url().replace(/triggers\/[^?]+/, 'triggers/cffffffffffffffffffffffffffffffff');
    const error = await expectFailure(callDeployTrigger(fetch, gone, PAYLOAD));
    assert.match(error.message, /HTTP 404 code 404: trigger not found — trigger not found: it was deleted or the link is incomplete; copy the trigger link again/);
  });

  it('fails on a 200 whose code is not 200, without retrying', async () => {
    const r = await receiver();
    r.setFaults([{ kind: 'code', code: 500, message: 'redeploy failed:\n deployment web not found' }]);
    const { sleep, waits } = recordingSleep();
    const error = await expectFailure(callDeployTrigger(fetch, r.url(), PAYLOAD, { sleep }));
    assert.match(error.message, /: HTTP 200 code 500: redeploy failed: deployment web not found — the receiver answered but did not accept the redeploy/);
    assert.equal(r.attempts, 1);
    assert.deepEqual(waits, []);
  });

  it('retries a 429 after its Retry-After, and the redeploy is delivered once', async () => {
    const r = await receiver();
    r.setFaults([{ kind: '429', retryAfter: '2' }]);
    const { sleep, waits } = recordingSleep();
    const result = await callDeployTrigger(fetch, r.url(), PAYLOAD, { sleep, retry: FAST });
    assert.deepEqual(waits, [2000]);
    assert.equal(r.attempts, 2);
    assert.equal(r.received.length, 1);
    assert.deepEqual(r.received[0]?.body, PAYLOAD);
    assert.equal(result.verified, true);
  });

  it('gives up on a 429 that persists, saying nothing was redeployed', async () => {
    const r = await receiver();
    r.setFaults([{ kind: '429' }, { kind: '429' }, { kind: '429' }]);
    const { sleep, waits } = recordingSleep();
    const error = await expectFailure(callDeployTrigger(fetch, r.url(), PAYLOAD, { sleep, retry: { ...FAST, attempts: 3 } }));
    assert.match(error.message, /HTTP 429 code 429: too many requests, retry later after 3 attempts — .*nothing was redeployed; re-run later$/);
    assert.deepEqual(waits, [1000, 1000]);
    assert.equal(r.attempts, 3);
    assert.equal(error.mayHaveRedeployed, false);
  });

  it('does not retry a 503: the redeploy may or may not have happened', async () => {
    const r = await receiver();
    r.setFaults([{ kind: '503' }]);
    const { sleep, waits } = recordingSleep();
    const error = await expectFailure(callDeployTrigger(fetch, r.url(), PAYLOAD, { sleep, retry: FAST }));
    assert.match(error.message, /: HTTP 503 code 503: service unavailable — the receiver failed and may or may not have redeployed; check the workload before re-running/);
    assert.equal(r.attempts, 1);
    assert.deepEqual(waits, []);
    assert.equal(error.mayHaveRedeployed, true);
    assert.equal(error.attempts, 1);
  });

  it('does not retry a reset connection', async () => {
    const r = await receiver();
    r.setFaults([{ kind: 'reset' }]);
    const { sleep, waits } = recordingSleep();
    const error = await expectFailure(callDeployTrigger(fetch, r.url(), PAYLOAD, { sleep, retry: FAST }));
    assert.match(error.message, /: the connection to 127\.0\.0\.1:\d+ was reset \(\w+\) after 1 attempt — the request may have reached the receiver, so the workload may or may not have been redeployed/);
    assert.equal(r.attempts, 1);
    assert.deepEqual(waits, []);
  });

  it('does not retry a timed-out call, which the receiver did act on', async () => {
    const r = await receiver();
    r.setFaults([{ kind: 'slow', ms: 2_000 }]);
    const error = await expectFailure(callDeployTrigger(fetch, r.url(), PAYLOAD, { retry: { ...FAST, timeoutMs: 150 } }));
    assert.match(error.message, /: timed out after 0\.15 s after 1 attempt — the request may have reached the receiver/);
    assert.equal(r.attempts, 1);
    assert.equal(r.received.length, 1);
  });

  it('retries when nothing listens (nothing was sent), then delivers once the receiver is up', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/api/v1/triggers/x?token=${encodeURIComponent(TOKEN)}`;
    const waits: number[] = [];
    let started: TriggerReceiver | undefined;
    const sleep = async (ms: number): Promise<void> => {
      waits.push(ms);
      if (waits.length === 2) started = await receiver('plain', TOKEN, port);
    };
    const result = await callDeployTrigger(fetch, url.replace('/api/v1/triggers/x', '/hook/trigger'), PAYLOAD, { sleep, retry: FAST });
    assert.equal(waits.length, 2);
    assert.equal(started?.attempts, 1);
    assert.equal(started?.received.length, 1);
    assert.equal(result.verified, true);
  });

  it('gives up when nothing ever listens, saying nothing was redeployed', async () => {
    const port = await closedPort();
    const { sleep, waits } = recordingSleep();
    const error = await expectFailure(
      callDeployTrigger(fetch, `http://127.0.0.1:${port}/hook/trigger?token=${encodeURIComponent(TOKEN)}`, PAYLOAD, { sleep, retry: { ...FAST, attempts: 3 } }),
    );
    assert.match(error.message, /^deploy-trigger: http:\/\/127\.0\.0\.1:\d+\/hook\/trigger\?token=\*\*\*: connection refused by 127\.0\.0\.1:\d+ \(ECONNREFUSED\) — nothing listens there: check the address and port after 3 attempts — nothing reached the receiver, so nothing was redeployed/);
    assert.equal(waits.length, 2);
    assert.equal(error.attempts, 3);
    assert.equal(error.mayHaveRedeployed, false);
  });

  it('is refused by the strict receiver when the payload is not ACR-shaped', async () => {
    const r = await receiver();
    const bad = { ...PAYLOAD, push_data: { ...PAYLOAD.push_data, digest: 'sha256:abc' } };
    const error = await expectFailure(callDeployTrigger(fetch, r.url(), bad));
    assert.match(error.message, /HTTP 400 code 400: invalid ACR webhook payload: push_data\.digest "sha256:abc" is not sha256:<64 hex> — the receiver refused the request/);
    const renamed = { push_data: PAYLOAD.push_data, repository: { ...PAYLOAD.repository, repo_full_name: 'my-team/other' } };
    const mismatch = await expectFailure(callDeployTrigger(fetch, r.url(), renamed));
    assert.match(mismatch.message, /repo_full_name "my-team\/other" is not namespace\/name/);
    assert.equal(r.received.length, 0);
  });

  it('does not follow a redirect, and shows its target redacted', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(302, { Location: `https://elsewhere.example/hook?token=${PATH_TOKEN}`, 'Content-Length': 0 });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const error = await expectFailure(callDeployTrigger(fetch, `http://127.0.0.1:${port}/hook?token=${encodeURIComponent(TOKEN)}`, PAYLOAD));
      assert.match(error.message, /HTTP 302 — the trigger URL redirects to https:\/\/elsewhere\.example\/hook\?token=\*\*\*; put the final URL in deploy-trigger/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('refuses a URL that is not http(s) without sending anything', async () => {
    let calls = 0;
    const counting: typeof fetch = async () => {
      calls++;
      throw new Error('must not be called');
    };
    const error = await expectFailure(callDeployTrigger(counting, `ftp://example.com/hook?token=${TOKEN}`, PAYLOAD));
    assert.match(error.message, /^deploy-trigger: ftp:\/\/example\.com\/hook\?token=\*\*\*: not an http\(s\) URL — its scheme is "ftp:"/);
    assert.equal(calls, 0);
  });
});

describe('urlSecrets: path tokens with every unreserved URL character', () => {
  it('a path token containing "." or "~" is masked whole; dotted words are not', () => {
    for (const token of ['Ab3.xY9~kQ2_mN7-pL4.zz', '~7f3a9c.e1b2d4f6a8c0', 'v2.3~Rk8sQ1wLx9Zt0Pq']) {
      const url = `https://hooks.example.com/redeploy/${token}`;
      assert.deepEqual(urlSecrets(url), [token], token);
      assert.equal(redactUrl(url), 'https://hooks.example.com/redeploy/***');
    }
    assert.deepEqual(urlSecrets('https://hooks.example.com/redeploy/production.frontend.release'), []);
    assert.deepEqual(urlSecrets('https://hooks.example.com/redeploy/team~web~production-app'), []);
  });
});
