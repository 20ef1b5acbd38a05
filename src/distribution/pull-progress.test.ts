import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanSize, layerProgress, layerStatus, progressBar } from './pull-progress.js';

test('progress messages have dockerd shape', () => {
  const d = 'sha256:0123456789abcdef' + '0'.repeat(48);
  assert.deepEqual(layerStatus(d, 'Pull complete'), { status: 'Pull complete', progressDetail: {}, id: '0123456789ab' });
  assert.deepEqual(layerProgress(d, 'Downloading', 500, 1000).progressDetail, { current: 500, total: 1000 });
  assert.equal(progressBar(500, 1000), `[${'='.repeat(25)}>${' '.repeat(25)}]     500B/1kB`);
  assert.equal(humanSize(1234567), '1.235MB');
  assert.equal(humanSize(999), '999B');
});
