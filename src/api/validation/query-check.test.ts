import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildQuery, checkQuery, commonQuery } from './query-check.js';

const refuses = (query: string, message: string) => assert.throws(() => checkQuery(buildQuery, new URLSearchParams(query)), { message });

test('build query: JSON parameters are decoded against their types', () => {
  refuses('buildargs={"a":1}', 'error reading build args: buildargs["a"] must be a string, got number 1');
  refuses('buildargs=[1]', 'error reading build args: buildargs must be an object, got a list');
  refuses('buildargs={', "error reading build args: Expected property name or '}' in JSON at position 1");
  refuses('labels={"a":{"b":1}}', 'error reading labels: labels["a"] must be a string, got an object');
  refuses('cachefrom={}', 'error reading cache from: cachefrom must be a list, got an object');
  refuses('ulimits=[{"Name":"nofile","Soft":"x"}]', 'error reading ulimit settings: ulimits[0].Soft must be an integer, got string "x"');
  refuses(`labels=${'['.repeat(1000)}`, 'error reading labels: nested deeper than 100 levels');
});

test('build query: integers and the builder version', () => {
  refuses('memory=lots', 'invalid value for memory: "lots": must be an integer');
  refuses('shmsize=1.5', 'invalid value for shmsize: "1.5": must be an integer');
  refuses('version=7', 'invalid version "7"');
  assert.doesNotThrow(() =>
    checkQuery(buildQuery, new URLSearchParams('t=a&t=b&memory=-1&buildargs={"a":"1","b":null}&labels={}&cachefrom=["x"]&version=1&nocache=maybe&rm=')),
  );
});

test("filters: both of Docker's forms pass; other shapes and deep nesting are 400s, never a stack overflow", () => {
  const check = (q: string) => checkQuery(commonQuery, new URLSearchParams(q));
  assert.doesNotThrow(() => check('filters={"label":["a=b"],"status":{"exited":true}}&filters='));
  assert.throws(() => check('filters={"a":[1]}'), { message: 'invalid filter: filters["a"][0] must be a string, got number 1' });
  assert.throws(() => check('filters={"a":{"b":"yes"}}'), { message: 'invalid filter: filters["a"]["b"] must be a boolean, got string "yes"' });
  assert.throws(() => check('filters=[1]'), { message: 'invalid filter: filters must be an object, got a list' });
  assert.throws(() => check(`filters={"a":${'['.repeat(20000)}${']'.repeat(20000)}}`), { message: 'error reading filter: nested deeper than 100 levels' });
});
