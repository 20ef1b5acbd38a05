import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration } from './container-views.js';

test('humanDuration follows Docker wording', () => {
  assert.equal(humanDuration(0.2), 'Less than a second');
  assert.equal(humanDuration(1), '1 second');
  assert.equal(humanDuration(26), '26 seconds');
  assert.equal(humanDuration(70), 'About a minute');
  assert.equal(humanDuration(600), '10 minutes');
  assert.equal(humanDuration(3700), 'About an hour');
  assert.equal(humanDuration(3 * 86400), '3 days');
});
