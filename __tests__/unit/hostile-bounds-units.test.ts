/**
 * The pieces that bound hostile input, one by one: the body cap, the shared
 * limiter, the transfer watchdog's limits, the regex safety check and the
 * FunctionGraph configuration shapes. The end-to-end cases with hostile
 * servers are in e2e/hostile-bounds.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkWritableShapes } from '../../src/cloud/huawei/function-config-shapes.js';
import { Limiter, settleAll } from '../../src/registry/limiter.js';
import { blobDeadline, resolveBlobTimeouts, StallWatchdog, TransferTimeoutError } from '../../src/registry/stall-watchdog.js';
import { catastrophicBacktracking } from '../../src/domain/retention/regex-safety.js';
import { BODY_CAPS, BodyCollector, BodyTooLargeError, checkDeclaredLength } from '../../src/util/body-cap.js';
import { bufferedResponse } from '../../src/util/buffered-response.js';
import { parseRetryAfterMs } from '../../src/http/retry.js';
import { readBodyBytes } from '../../src/http/read-body.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('body cap', () => {
  const read = { what: 'the manifest of org/app:1', from: 'registry.example', cap: BODY_CAPS.manifest };

  it('refuses a declared Content-Length over the cap before reading, and accepts one at the cap', () => {
    assert.throws(() => checkDeclaredLength('4194305', read), (error: unknown) => {
      assert.ok(error instanceof BodyTooLargeError);
      assert.equal(error.message, "the manifest of org/app:1 from registry.example is larger than 4 MiB (the distribution spec's limit): it declares Content-Length 4194305; nothing of it was read");
      return true;
    });
    checkDeclaredLength('4194304', read);
    checkDeclaredLength(null, read);
    checkDeclaredLength('garbage', read);
  });

  it('a collector throws the moment the total passes the cap and holds nothing more', () => {
    const collector = new BodyCollector({ what: 'the token answer', cap: { bytes: 10, why: 'test' } });
    collector.push(new Uint8Array(6));
    collector.push(new Uint8Array(4));
    assert.equal(collector.bytes().byteLength, 10);
    assert.throws(() => collector.push(new Uint8Array(1)), /^BodyTooLargeError: the token answer is larger than 10 bytes \(test\): more than 10 bytes arrived/);
  });

  it('readBodyBytes cancels an endless Web stream once past the cap', async () => {
    let pulled = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
      cancel() {
        cancelled = true;
      },
    });
    const response = new Response(body, { status: 200 });
    await assert.rejects(readBodyBytes(response, 'read it', { what: 'the answer', from: 'api.example', cap: { bytes: 1024 * 1024, why: 'test' } }), BodyTooLargeError);
    assert.ok(cancelled, 'the stream was cancelled');
    assert.ok(pulled <= 20, `pulled ${pulled} chunks`);
  });

  it('readBodyBytes bounds an answer already read whole (the raw blob path) the same way', async () => {
    const response = bufferedResponse(500, 'x', [], Buffer.alloc(BODY_CAPS.errorBody.bytes + 1));
    await assert.rejects(readBodyBytes(response, 'op', { what: 'the error answer', cap: BODY_CAPS.errorBody }), /is larger than 64 KiB \(only its first line is shown\)/);
  });
});

describe('limiter shared by a whole copy', () => {
  it('never runs more than max tasks, passes slots on in order, and nests without deadlock', async () => {
    const limiter = new Limiter(3);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (n: number) => async (): Promise<number> => {
      running++;
      peak = Math.max(peak, running);
      await sleep(2);
      order.push(n);
      running--;
      return n;
    };
    // A parent awaits children outside its own slot.
    const parent = async (n: number): Promise<number[]> => [await limiter.run(task(n)), ...(await Promise.all([1, 2, 3].map((i) => limiter.run(task(n * 10 + i)))))];
    const results = await Promise.all([1, 2, 3, 4, 5].map(parent));
    assert.equal(peak, 3);
    assert.equal(results.flat().length, 20);
    assert.equal(order.length, 20);
  });

  it('settleAll waits for every promise, reports the first failure once, and throws it', async () => {
    const settled: string[] = [];
    const failures: unknown[] = [];
    const first = new Error('first');
    await assert.rejects(
      settleAll(
        [
          sleep(5).then(() => void settled.push('slow')),
          Promise.reject(first),
          sleep(1).then(() => {
            settled.push('second');
            throw new Error('second');
          }),
        ],
        (error) => failures.push(error),
      ),
      (error: unknown) => error === first,
    );
    assert.deepEqual(settled.sort(), ['second', 'slow'], 'nothing left running');
    assert.deepEqual(failures, [first]);
  });
});

describe('blob transfer limits', () => {
  it('the overall deadline is 60 s + 1 s per 100 KiB, and says so', () => {
    const deadline = blobDeadline(1024 * 1024, resolveBlobTimeouts(undefined));
    assert.equal(deadline.ms, 70_240);
    assert.equal(deadline.description, 'the overall deadline of 70.2 s (60 s + 1 s per 100 KiB of its 1048576 bytes)');
    assert.equal(resolveBlobTimeouts({ deadlineBaseMs: -1, deadlineBytesPerSecond: 0 }).deadlineBaseMs, 60_000, 'nonsense falls back to the default');
  });

  it('a watchdog kept busy still aborts at its deadline, naming the deadline; an idle one names the stall', async () => {
    const busy = new StallWatchdog(200, undefined);
    busy.limitTotal({ ms: 150, description: 'the overall deadline of 0.15 s' });
    const toucher = setInterval(() => busy.touch(), 10);
    await sleep(250);
    clearInterval(toucher);
    assert.ok(busy.signal.reason instanceof TransferTimeoutError);
    assert.equal((busy.signal.reason as TransferTimeoutError).limit, 'deadline');
    assert.match((busy.signal.reason as Error).message, /^not done within the overall deadline of 0\.15 s/);

    const idle = new StallWatchdog(80, undefined);
    idle.limitTotal({ ms: 10_000, description: 'x' });
    await sleep(200);
    assert.equal((idle.signal.reason as TransferTimeoutError).limit, 'stall');
    assert.match((idle.signal.reason as Error).message, /^stalled: no byte moved for 0\.08 s \(the stall limit\)$/);
    idle.stop();

    const waiting = new StallWatchdog(10_000, undefined);
    waiting.awaitAnswer(50, 1234);
    await sleep(120);
    assert.equal((waiting.signal.reason as Error).message, 'all 1234 bytes were sent and the registry gave no answer within 0.05 s (the answer wait)');
  });

  it('Retry-After: only delta-seconds and HTTP-dates count; both are capped at a minute', () => {
    assert.equal(parseRetryAfterMs(503, '2'), 2_000);
    assert.equal(parseRetryAfterMs(429, '99999999999999999999999'), 60_000);
    for (const garbage of ['-1', '1.5', '9999-12-31', '12/31/9999', 'soon', '']) assert.equal(parseRetryAfterMs(503, garbage), undefined, garbage);
    assert.equal(parseRetryAfterMs(503, 'Fri, 31 Dec 9999 23:59:59 GMT'), 60_000);
    assert.equal(parseRetryAfterMs(503, 'Sunday, 06-Nov-94 08:49:37 GMT'), 0);
    assert.equal(parseRetryAfterMs(500, '5'), undefined, 'only 429 and 503 carry one');
  });
});

describe('tag-pattern safety', () => {
  const refused: [string, RegExp][] = [
    ['(a+)+', /nested quantifiers/],
    ['(a*)*', /nested quantifiers/],
    ['(\\w+\\s?)*$', /nested quantifiers/],
    ['([a-z0-9]+-?)+', /nested quantifiers/],
    ['(?:a|b?)+', /nested quantifiers/],
    ['(a?){30}', /nested quantifiers/],
    ['(\\1a)+', /nested quantifiers/],
    ['(a|a)*', /alternatives "a" and "a" can match the same text/],
    ['(a|ab)+', /alternatives "a" and "ab"/],
    ['(\\d|[0-5])*', /alternatives "\\\\d" and "\[0-5\]"/],
    ['(.|x)*y', /alternatives "\." and "x"/],
    ['.*.*.*.*.*', /5 repeats in a row/],
    ['x\\d*\\d+\\d*\\d?\\d+\\d*', /5 repeats in a row/],
  ];
  for (const [pattern, why] of refused) {
    it(`refuses ${pattern}`, () => {
      assert.match(catastrophicBacktracking(pattern) ?? 'accepted', why);
    });
  }
  const accepted = [
    '^sha-.*',
    '^sha-[0-9a-f]{7,40}$',
    '^v\\d+\\.\\d+\\.\\d+$',
    '^v\\d+\\.\\d+\\.\\d+(-rc\\d+)?$',
    '^(dev|staging|prod)-.*',
    '(\\d{1,3}\\.){3}\\d{1,3}',
    '(a|b)*',
    '(ab|cd)+',
    '[^]*',
    '.*-.*-.*',
    '\\d*\\d*\\d*\\d*',
    '(a{2})+',
    '(?<n>a)\\k<n>+',
    '[\\d-z]+',
    '(main|release-\\d+)',
  ];
  for (const pattern of accepted) {
    it(`accepts ${pattern}`, () => {
      assert.equal(catastrophicBacktracking(pattern), undefined);
    });
  }

  it('the refused patterns really are slow, the check is not guessing (a 23-character attack takes far longer than the accepted ones)', () => {
    const attack = `${'a'.repeat(22)}!`;
    const started = performance.now();
    new RegExp('^(?:(a+)+)$').test(attack);
    const slow = performance.now() - started;
    const quick = performance.now();
    new RegExp('^(?:a+)$').test(attack);
    assert.ok(slow > 20 * (performance.now() - quick + 0.01), `${slow} ms`);
  });
});

describe('FunctionGraph configuration shapes', () => {
  const good = {
    func_name: 'fn',
    runtime: 'Custom Image',
    timeout: 30,
    memory_size: 512,
    handler: '-',
    user_data: '{"A":"1"}',
    func_vpc: { vpc_id: 'v' },
    strategy_config: { concurrency: -1 },
    custom_image: { enabled: true, image: 'swr.cn-north-4.myhuaweicloud.com/t/app:1', uid: '1003' },
    is_stateful_function: false,
    description: null,
  };

  it('passes a configuration of the documented shape', () => {
    checkWritableShapes(good, 'update');
  });

  for (const [field, value, message] of [
    ['custom_image', 'nginx', /"custom_image" as a string \("nginx"\), not an object/],
    ['custom_image', ['nginx'], /"custom_image" as an array of 1, not an object/],
    ['custom_image', { enabled: true }, /"custom_image.image" as missing, not an image reference/],
    ['func_vpc', 'vpc-1', /"func_vpc" as a string \("vpc-1"\), not an object/],
    ['timeout', '30', /"timeout" as a string \("30"\), not an integer/],
    ['is_stateful_function', 'false', /"is_stateful_function" as a string \("false"\), not a boolean/],
    ['user_data', { A: '1' }, /"user_data" as an object, not a string/],
  ] as const) {
    it(`refuses ${field} as ${JSON.stringify(value)}, naming what was expected and what came`, () => {
      assert.throws(() => checkWritableShapes({ ...good, [field]: value }, 'update FunctionGraph function fn'), (error: unknown) => {
        assert.match((error as Error).message, /^update FunctionGraph function fn: the function configuration the API returned has /);
        assert.match((error as Error).message, message);
        assert.match((error as Error).message, /nothing was written/);
        return true;
      });
    });
  }
});
