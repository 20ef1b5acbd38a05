import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GoTemplate, renderTemplate } from './template-exec.js';
import { inspectNullHint } from '../commands/inspect.js';

const DATA = {
  Id: 'abc123',
  Name: '/web',
  State: { Status: 'running', Running: true, ExitCode: 0, Pid: 42 },
  Config: {
    Env: ['A=1', 'B=two'],
    Cmd: null,
    Labels: { 'com.x': 'y', a: '1' },
    ExposedPorts: { '80/tcp': {}, '8080/tcp': {} },
    Volumes: null,
  },
  HostConfig: {
    Links: null,
    Binds: ['/h:/c:ro'],
    PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '28080' }] },
    PublishAllPorts: false,
  },
  NetworkSettings: {
    Ports: {
      '80/tcp': [
        { HostIp: '0.0.0.0', HostPort: '28080' },
        { HostIp: '::', HostPort: '28080' },
      ],
      '81/tcp': null,
    },
  },
  Mounts: [
    { Type: 'volume', Name: 'v1', Destination: '/data', RW: true },
    { Type: 'bind', Name: '', Destination: '/c', RW: false },
  ],
};

const r = (tmpl: string, data: unknown = DATA) => renderTemplate(tmpl, data, { nullHint: inspectNullHint });

test('fields, nested fields and dot', () => {
  assert.equal(r('{{.Name}}'), '/web');
  assert.equal(r('{{.State.Status}} {{.State.Running}} {{.State.Pid}}'), 'running true 42');
  assert.equal(r('{{.}}', 'x'), 'x');
  assert.equal(r('{{ .Name }}'), '/web');
});

test('Go printing: maps sorted as map[k:v], structs as {..}, slices as [a b], typed nils', () => {
  assert.equal(r('{{.Config.ExposedPorts}}'), 'map[80/tcp:{} 8080/tcp:{}]');
  assert.equal(r('{{.HostConfig.PortBindings}}'), 'map[80/tcp:[{ 28080}]]');
  assert.equal(r('{{.Config.Env}}'), '[A=1 B=two]');
  assert.equal(r('{{.HostConfig.Links}}'), '[]');
  assert.equal(r('{{.Config.Volumes}}'), 'map[]');
  assert.equal(r('{{.Config.Cmd}}'), '[]');
  assert.equal(renderTemplate('{{.X}}', { X: null }), '<nil>');
  assert.equal(renderTemplate('{{.X}}', { X: 1.5 }), '1.5');
  assert.equal(renderTemplate('{{.X}}', { X: 1795332435 }), '1795332435');
});

test('json keeps struct order, sorts map keys, prints typed nils as null', () => {
  assert.equal(r('{{json .HostConfig.Links}}'), 'null');
  assert.equal(r('{{json .HostConfig.PortBindings}}'), '{"80/tcp":[{"HostIp":"","HostPort":"28080"}]}');
  assert.equal(r('{{json .Config.Labels}}'), '{"a":"1","com.x":"y"}');
  assert.equal(r('{{json .Config.Env}}'), '["A=1","B=two"]');
  assert.equal(r('{{json .State.Running}}'), 'true');
  assert.equal(renderTemplate('{{json .}}', { s: '<&>' }), '{"s":"<&>"}');
});

test('range over slices and maps, with variables', () => {
  assert.equal(r('{{range .Config.Env}}{{println .}}{{end}}'), 'A=1\nB=two\n');
  assert.equal(r('{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}'), 'a=1;com.x=y;');
  assert.equal(r('{{range $i, $e := .Config.Env}}{{$i}}:{{$e}} {{end}}'), '0:A=1 1:B=two ');
  assert.equal(r('{{range .Mounts}}{{.Name}} {{.Destination}} {{.RW}};{{end}}'), 'v1 /data true; /c false;');
  assert.equal(r('{{range .HostConfig.Links}}x{{else}}none{{end}}'), 'none');
  assert.equal(
    r('{{range $p, $b := .NetworkSettings.Ports}}{{$p}}{{range $b}}{{if ne .HostIp "::"}} {{.HostIp}}:{{.HostPort}}{{end}}{{end}}{{println}}{{end}}'),
    '80/tcp 0.0.0.0:28080\n81/tcp\n',
  );
  assert.equal(r('{{range $v := .Config.Env}}{{$v}},{{end}}{{$.Name}}'), 'A=1,B=two,/web');
});

test('index, join, printf, len, lower/upper/title, split', () => {
  assert.equal(r('{{index .Config.Labels "com.x"}}'), 'y');
  assert.equal(r('{{index .Config.Env 1}}'), 'B=two');
  assert.equal(r('{{index .Config.Labels "missing"}}'), '<nil>');
  assert.equal(r('{{join .Config.Env ","}}'), 'A=1,B=two');
  assert.equal(r('{{printf "%s=%d" .Name .State.Pid}}'), '/web=42');
  assert.equal(r('{{printf "%q %v %5s|%-4s|" .Name .State.Running "ab" "c"}}'), '"/web" true    ab|c   |');
  assert.equal(r('{{len .Config.Env}} {{len .Config.Labels}} {{len .Name}}'), '2 2 4');
  assert.equal(r('{{upper .State.Status}} {{lower "AbC"}} {{title "hello world"}}'), 'RUNNING abc Hello World');
  assert.equal(r('{{split "a:b:c" ":"}}'), '[a b c]');
  assert.equal(r('{{.Name | upper}}'), '/WEB');
  // Like Go, the piped value becomes the last argument, so join gets (";", list) and fails.
  assert.throws(() => r('{{.Config.Env | join ";"}}'), /error calling join/);
  assert.equal(r('{{.Config.Env | len}}'), '2');
});

test('if / else if / else, comparisons, and/or/not', () => {
  assert.equal(r('{{if .State.Running}}up{{else}}down{{end}}'), 'up');
  assert.equal(r('{{if eq .State.Status "exited"}}e{{else if eq .State.Status "running"}}r{{else}}?{{end}}'), 'r');
  assert.equal(r('{{if and .State.Running (eq .State.ExitCode 0)}}ok{{end}}'), 'ok');
  assert.equal(r('{{if or .HostConfig.PublishAllPorts .HostConfig.Links}}y{{else}}n{{end}}'), 'n');
  assert.equal(r('{{if not .Config.Env}}empty{{else}}full{{end}}'), 'full');
  assert.equal(r('{{if eq .State.ExitCode 1 2 0}}in{{end}}'), 'in');
  assert.equal(r('{{if gt .State.Pid 10}}big{{end}}'), 'big');
  assert.equal(r('{{with .State}}{{.Status}}{{end}}'), 'running');
});

test('whitespace trim markers and comments', () => {
  assert.equal(r('a  {{- .State.Status -}}  b'), 'arunningb');
  assert.equal(r('{{- /* comment */ -}} x'), 'x');
  assert.equal(r('{{range .Config.Env -}}\n  {{.}}\n{{- end}}'), 'A=1B=two');
});

test('errors are worded like Go', () => {
  assert.throws(() => r('{{.Nope}}'), /map has no entry for key "Nope"/);
  assert.throws(() => r('{{.Name}'), /template: :1: /);
  assert.throws(() => r('{{nosuchfunc .Name}}'), /function "nosuchfunc" not defined/);
  assert.throws(() => r('{{if .Name}}x'), /unexpected EOF/);
});

test('a compiled template runs many times', () => {
  const t = new GoTemplate('{{.A}}-{{.B}}');
  assert.equal(t.execute({ A: 1, B: 2 }), '1-2');
  assert.equal(t.execute({ A: 'x', B: [1, 2] }), 'x-[1 2]');
});
