import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupFromEnvList, processWord, processWords } from './shell-lex.js';

const env = lookupFromEnvList(['A=one', 'EMPTY=', 'SP=x y', 'A=shadowed']);

test('plain, braced and modified variables', () => {
  assert.equal(processWord('$A/${A}/$NOPE/${NOPE}', env), 'one/one//');
  assert.equal(processWord('${NOPE:-def}|${EMPTY:-def}|${A:-def}', env), 'def|def|one');
  assert.equal(processWord('${NOPE:+alt}|${EMPTY:+alt}|${A:+alt}', env), '||alt');
  assert.equal(processWord('${NOPE:-${A}x}', env), 'onex');
  assert.equal(processWord('cost $', env), 'cost $');
});

test('quotes are removed; single quotes are literal; escapes protect', () => {
  assert.equal(processWord('"Learning Docker"', env), 'Learning Docker');
  assert.equal(processWord("'$A' \"$A\" \\$A", env), '$A one $A');
  assert.equal(processWord('"a\\"b\\\\c\\d"', env), 'a"b\\c\\d');
  assert.equal(processWord('a\\ b', env), 'a b');
  assert.equal(processWord('`$A', env, '`'), '$A');
});

test('errors for unterminated quotes and bad modifiers', () => {
  assert.throws(() => processWord('"abc', env), { message: 'unexpected end of statement while looking for matching double-quote' });
  assert.throws(() => processWord("'abc", env), { message: 'unexpected end of statement while looking for matching single-quote' });
  assert.throws(() => processWord('${A%x}', env), { message: 'unsupported modifier (%) in substitution: ${A%x}' });
  assert.throws(() => processWord('${NOPE:?must be set}', env), { message: 'NOPE: must be set' });
});

test('processWords splits at unquoted blanks, also inside variable values', () => {
  assert.deepEqual(processWords('80 $SP "a b" \'\'', env), ['80', 'x', 'y', 'a b', '']);
  assert.deepEqual(processWords('  lead  trail ', env), ['lead', 'trail']);
});
