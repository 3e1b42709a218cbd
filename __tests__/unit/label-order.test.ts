import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareNames } from '../../src/domain/labels.js';

// Labels and annotations are sorted as metadata-action sorts them (localeCompare, en-US). compareNames answers
// the common names without ICU; these tests hold it to localeCompare's answer.
describe('label names sort as localeCompare(en-US) sorts them', () => {
  const sign = (n: number): number => Math.sign(n);

  test('random names of lowercase letters, digits, ".", "_" and "-": the same answer as localeCompare', () => {
    const alphabet = 'ab09._-';
    let seed = 12345;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const name = (): string => Array.from({ length: 1 + Math.floor(next() * 6) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    for (let i = 0; i < 20_000; i++) {
      const a = name();
      const b = name();
      assert.equal(sign(compareNames(a, b)), sign(a.localeCompare(b, 'en-US')), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  });

  test('real label names come out in localeCompare order', () => {
    const names = ['org.opencontainers.image.version', 'org.opencontainers.image.created', 'io.imageship.package-name', 'io.imageship.package_name', 'io.imageship.package.name', 'com.example.9', 'com.example.10', 'a', 'a-b', 'a.b', 'a_b'];
    assert.deepEqual([...names].sort(compareNames), [...names].sort((a, b) => a.localeCompare(b, 'en-US')));
  });

  test('other characters (capitals, "/", spaces) are left to localeCompare', () => {
    for (const [a, b] of [['Version', 'version'], ['a/b', 'a.b'], ['A', 'b'], ['a b', 'a-b'], ['é', 'f']] as const) {
      assert.equal(sign(compareNames(a, b)), sign(a.localeCompare(b, 'en-US')), `${a} vs ${b}`);
    }
  });
});
