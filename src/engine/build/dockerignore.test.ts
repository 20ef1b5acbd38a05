import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanPath, IgnoreMatcher, readIgnorePatterns } from './dockerignore.js';

test('readIgnorePatterns drops comments and blanks and cleans paths', () => {
  assert.deepEqual(readIgnorePatterns('# c\n\n  /secret/  \n!keep.md\n./a/../b\n*.md\n'), ['secret', '!keep.md', 'b', '*.md']);
});

test('last matching pattern wins; exceptions re-include', () => {
  const m = new IgnoreMatcher(readIgnorePatterns('*.md\n!README.md\nsecret\n**/*.log\ndocs/**/tmp'));
  const results = ['a.md', 'README.md', 'sub/a.md', 'secret', 'secret/key', 'x.log', 'deep/er/x.log', 'docs/a/b/tmp', 'docs/tmp', 'main.go']
    .map((f) => [f, m.matches(f)]);
  assert.deepEqual(results, [
    ['a.md', true], ['README.md', false], ['sub/a.md', false], ['secret', true], ['secret/key', true],
    ['x.log', true], ['deep/er/x.log', true], ['docs/a/b/tmp', true], ['docs/tmp', true], ['main.go', false],
  ]);
});

test('cleanPath works like filepath.Clean', () => {
  assert.deepEqual(['a//b/./c/..', '/../x', '../../y', '.', ''].map(cleanPath), ['a/b', '/x', '../../y', '.', '.']);
});
