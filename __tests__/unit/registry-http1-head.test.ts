/**
 * The text side of the raw HTTP/1.1 blob path: response heads however they
 * are split across reads, the limits and refusals, body framing
 * (Content-Length present, missing, repeated, conflicting; chunked), the
 * chunked decoder, and the request head we write.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkedDecoder } from '../../src/registry/http1-chunked.js';
import {
  bodyFraming,
  headerValue,
  Http1ProtocolError,
  MAX_RESPONSE_HEAD_BYTES,
  parseResponseHead,
  ResponseHeadReader,
  serializeRequestHead,
  type ResponseHead,
} from '../../src/registry/http1-head.js';

const HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 5\r\nDocker-Content-Digest: sha256:abc\r\n\r\n';

/** Feeds `pieces` one by one; returns the head, what followed it, and after which piece it completed. */
function feed(pieces: Buffer[]): { head: ResponseHead; rest: Buffer; completedAt: number } {
  const reader = new ResponseHeadReader();
  for (const [i, piece] of pieces.entries()) {
    const result = reader.push(piece);
    if (result !== undefined) return { ...result, completedAt: i };
  }
  return assert.fail('the head never completed');
}

const head = (text: string): ResponseHead => parseResponseHead(text);

describe('ResponseHeadReader', () => {
  it('parses a head split at every byte position, the body bytes that came with it kept', () => {
    const bytes = Buffer.from(`${HEAD}hello`, 'latin1');
    for (let split = 1; split < bytes.length; split++) {
      const { head: parsed, rest, completedAt } = feed([bytes.subarray(0, split), bytes.subarray(split)]);
      assert.equal(parsed.status, 200, `split at ${split}`);
      assert.equal(headerValue(parsed, 'content-length'), '5');
      // What came after the head in the read that completed it.
      const expectedRest = completedAt === 0 ? bytes.subarray(HEAD.length, split) : bytes.subarray(Math.max(split, HEAD.length));
      assert.equal(completedAt, split >= HEAD.length ? 0 : 1, `split at ${split}`);
      assert.equal(rest.toString('latin1'), expectedRest.toString('latin1'), `split at ${split}`);
    }
  });

  it('parses a head that arrives one byte at a time', () => {
    const bytes = Buffer.from(HEAD, 'latin1');
    const pieces = [...bytes].map((byte) => Buffer.from([byte]));
    const { head: parsed, rest, completedAt } = feed(pieces);
    assert.equal(completedAt, bytes.length - 1, 'complete exactly at the last byte of the blank line');
    assert.equal(rest.length, 0);
    assert.deepEqual(parsed.fields, [
      ['content-type', 'application/octet-stream'],
      ['content-length', '5'],
      ['docker-content-digest', 'sha256:abc'],
    ]);
    assert.equal(parsed.reason, 'OK');
  });

  it('refuses a head larger than the limit, with or without its blank line in sight', () => {
    const big = `HTTP/1.1 200 OK\r\nX-Filler: ${'a'.repeat(MAX_RESPONSE_HEAD_BYTES)}\r\n`;
    const reader = new ResponseHeadReader();
    assert.throws(() => {
      for (let at = 0; at < big.length; at += 4096) reader.push(Buffer.from(big.slice(at, at + 4096), 'latin1'));
    }, Http1ProtocolError);
    assert.throws(() => new ResponseHeadReader().push(Buffer.from(`${big}\r\n`, 'latin1')), /larger than 65536 bytes/);
  });

  it('accepts a head just under the limit', () => {
    const filler = 'a'.repeat(MAX_RESPONSE_HEAD_BYTES - 100);
    const text = `HTTP/1.1 204 No Content\r\nX-Filler: ${filler}\r\n\r\n`;
    assert.ok(text.length <= MAX_RESPONSE_HEAD_BYTES);
    assert.equal(new ResponseHeadReader().push(Buffer.from(text, 'latin1'))?.head.status, 204);
  });
});

describe('parseResponseHead', () => {
  it('reads the status, an empty or missing reason, and repeated fields', () => {
    assert.equal(head('HTTP/1.1 404 Not Found').reason, 'Not Found');
    assert.equal(head('HTTP/1.1 201 ').reason, '');
    assert.equal(head('HTTP/1.0 201').status, 201);
    const repeated = head('HTTP/1.1 200 OK\r\nLink: <a>\r\nlink:  <b> \r\nX-Empty:');
    assert.equal(headerValue(repeated, 'link'), '<a>, <b>');
    assert.equal(headerValue(repeated, 'x-empty'), '');
    assert.equal(headerValue(repeated, 'missing'), undefined);
  });

  for (const line of ['HTTP/2 200 OK', 'HTTP/1.1 20 OK', 'HTTP/1.1 2000 OK', 'HTTP/1.1 099 Low', 'ICY 200 OK', 'HTTP/1.1 200OK', 'http/1.1 200 OK', '']) {
    it(`refuses the status line ${JSON.stringify(line)}`, () => {
      assert.throws(() => head(`${line}\r\nContent-Length: 0`), Http1ProtocolError);
    });
  }

  for (const line of ['NoColon', ' folded: continuation', 'Bad Name: x', ': no name', 'Name : space before colon']) {
    it(`refuses the header line ${JSON.stringify(line)}`, () => {
      assert.throws(() => head(`HTTP/1.1 200 OK\r\n${line}`), /malformed header line/);
    });
  }
});

describe('bodyFraming', () => {
  it('uses Content-Length, and reads to the end of the connection when it is missing', () => {
    assert.deepEqual(bodyFraming(head('HTTP/1.1 200 OK\r\nContent-Length: 1234')), { kind: 'length', length: 1234 });
    assert.deepEqual(bodyFraming(head('HTTP/1.1 200 OK\r\nContent-Length: 0')), { kind: 'length', length: 0 });
    assert.deepEqual(bodyFraming(head('HTTP/1.1 200 OK\r\nContent-Type: text/plain')), { kind: 'close' });
  });

  it('accepts a duplicated Content-Length that agrees, as a repeated field or a list', () => {
    assert.deepEqual(bodyFraming(head('HTTP/1.1 200 OK\r\nContent-Length: 42\r\nContent-Length: 42')), { kind: 'length', length: 42 });
    assert.deepEqual(bodyFraming(head('HTTP/1.1 200 OK\r\nContent-Length: 42, 42')), { kind: 'length', length: 42 });
  });

  it('refuses conflicting or malformed Content-Length values', () => {
    for (const fields of ['Content-Length: 42\r\nContent-Length: 43', 'Content-Length: 42, 43', 'Content-Length: -1', 'Content-Length: 1e3', 'Content-Length: ', 'Content-Length: 0x10', 'Content-Length: 99999999999999999']) {
      assert.throws(() => bodyFraming(head(`HTTP/1.1 200 OK\r\n${fields}`)), Http1ProtocolError, fields);
    }
  });

  it('prefers chunked over Content-Length and refuses other transfer codings', () => {
    assert.deepEqual(bodyFraming(head('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 10')), { kind: 'chunked' });
    assert.deepEqual(bodyFraming(head('HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked')), { kind: 'chunked' });
    assert.throws(() => bodyFraming(head('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked')), /unsupported Transfer-Encoding/);
    assert.throws(() => bodyFraming(head('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip')), /unsupported Transfer-Encoding/);
  });

  it('has no body for 1xx, 204 and 304, whatever the fields say', () => {
    for (const status of [100, 204, 304]) {
      assert.deepEqual(bodyFraming(head(`HTTP/1.1 ${status} X\r\nContent-Length: 10`)), { kind: 'none' });
    }
  });
});

describe('ChunkedDecoder', () => {
  const encoded = '5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: yes\r\n\r\nNEXT';

  it('decodes a body split at every byte position, with extensions and trailers, stopping at its end', () => {
    const bytes = Buffer.from(encoded, 'latin1');
    for (let split = 0; split <= bytes.length; split++) {
      const decoder = new ChunkedDecoder();
      const out: Buffer[] = [];
      const used = decoder.push(bytes.subarray(0, split), (data) => out.push(data)) + decoder.push(bytes.subarray(split), (data) => out.push(data));
      assert.equal(Buffer.concat(out).toString('latin1'), 'helloabcdefghijklmnopqrstuvwxyz', `split at ${split}`);
      assert.ok(decoder.done, `split at ${split}`);
      assert.equal(used, bytes.length - 'NEXT'.length, `split at ${split}`);
    }
  });

  it('is not done before the last chunk and its trailer section', () => {
    const decoder = new ChunkedDecoder();
    decoder.push(Buffer.from('3\r\nabc\r\n0\r\n'), () => undefined);
    assert.equal(decoder.done, false);
    decoder.push(Buffer.from('\r\n'), () => undefined);
    assert.equal(decoder.done, true);
  });

  it('refuses a bad size, a chunk longer than its size, a line without CRLF, and an endless line', () => {
    const decode = (text: string): void => {
      new ChunkedDecoder().push(Buffer.from(text, 'latin1'), () => undefined);
    };
    assert.throws(() => decode('zz\r\n'), /invalid chunk size/);
    assert.throws(() => decode('-1\r\n'), /invalid chunk size/);
    assert.throws(() => decode('\r\n'), /invalid chunk size/);
    assert.throws(() => decode('3\r\nabcd\r\n'), /longer than its size/);
    assert.throws(() => decode('3\nabc'), /not ended by CRLF/);
    assert.throws(() => decode(`1;${'x'.repeat(9000)}`), /over-long/);
  });
});

describe('serializeRequestHead', () => {
  it('writes the origin-form target, Host with its port, Connection: close and the fields', () => {
    const text = serializeRequestHead('PUT', new URL('http://127.0.0.1:5000/v2/a/blobs/uploads/u?_state=x&digest=sha256%3Aab'), {
      'content-type': 'application/octet-stream',
      'content-length': '10',
      host: 'ignored.example',
    });
    assert.equal(
      text,
      'PUT /v2/a/blobs/uploads/u?_state=x&digest=sha256%3Aab HTTP/1.1\r\nHost: 127.0.0.1:5000\r\nConnection: close\r\n' +
        'content-type: application/octet-stream\r\ncontent-length: 10\r\n\r\n',
    );
    assert.match(serializeRequestHead('GET', new URL('https://[::1]/v2/'), {}), /^GET \/v2\/ HTTP\/1\.1\r\nHost: \[::1\]\r\n/);
    assert.match(serializeRequestHead('GET', new URL('https://registry.example:443/v2/'), {}), /\r\nHost: registry\.example\r\n/);
  });

  it('refuses a field that would break the head', () => {
    assert.throws(() => serializeRequestHead('GET', new URL('http://h/'), { authorization: 'Bearer x\r\nX-Evil: 1' }), /line break/);
    assert.throws(() => serializeRequestHead('GET', new URL('http://h/'), { 'bad name': 'x' }), /invalid HTTP header name/);
  });
});
