import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateName, generateName } from './names.js';

test('validateName accepts Docker names and adds the slash', () => {
  assert.equal(validateName('cf-web'), '/cf-web');
  assert.equal(validateName('/a.b_c-1'), '/a.b_c-1');
});

test('validateName rejects bad names with Docker wording', () => {
  assert.throws(() => validateName('-bad'), { message: 'Invalid container name (-bad), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed' });
  assert.throws(() => validateName('a'), /Invalid container name/);
  assert.throws(() => validateName('-'.repeat(300)), /Invalid container name \(-{64}…\)/);
});

test('validateName takes a name of any length, as Docker does', () => {
  const long = 'n' + 'x'.repeat(299);
  assert.equal(validateName(long), '/' + long);
});

test('generateName gives adjective_surname and skips names in use', () => {
  const seq = [0, 0, 0, 0, 0.5, 0.5];
  let i = 0;
  const random = () => seq[i++ % seq.length]!;
  const first = generateName(() => false, random);
  assert.match(first, /^[a-z]+_[a-z]+$/);
  const second = generateName((n) => n === '/' + first, random);
  assert.notEqual(second, first);
});
