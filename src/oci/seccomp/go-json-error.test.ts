import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goJsonSyntaxError } from './go-json-error.js';

test('Go\'s wording for text that does not start like JSON (what dockerd 20.10 printed)', () => {
  assert.equal(goJsonSyntaxError('builtin', 'x'), "invalid character 'b' looking for beginning of value");
  assert.equal(goJsonSyntaxError('nonexist.json', 'x'), "invalid character 'o' in literal null (expecting 'u')");
  assert.equal(goJsonSyntaxError('/p.json', 'x'), "invalid character '/' looking for beginning of value");
  assert.equal(goJsonSyntaxError('tru', 'x'), 'unexpected end of JSON input');
  assert.equal(goJsonSyntaxError('', 'x'), 'unexpected end of JSON input');
  assert.equal(goJsonSyntaxError("'a'", 'x'), "invalid character '\\'' looking for beginning of value");
  assert.equal(goJsonSyntaxError('{bad', 'node says'), 'node says');
});
