import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { componentClosure, requiredSpecifiers, usingComponentPath, wxmlClosure } from './mp-output.js';

let out: string;

function write(files: Record<string, string>): void {
  out = mkdtempSync(join(tmpdir(), 'kefu-mp-output-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), content);
  }
}

const component = {
  'kefu/chat/index.json': '{"component":true,"usingComponents":{"bubble":"./bubble"}}',
  'kefu/chat/index.wxml': '<wxs src="./fmt.wxs" module="fmt"/><bubble/>',
  'kefu/chat/index.wxss': '@import "../theme.wxss";',
  'kefu/chat/index.js': 'var s=require("../sdk.js");Component({})',
  'kefu/chat/fmt.wxs': 'module.exports={}',
  'kefu/chat/bubble.js': 'Component({})',
  'kefu/chat/bubble.json': '{"component":true}',
  'kefu/chat/bubble.wxml': '<view/>',
  'kefu/chat/bubble.wxss': '',
  'kefu/theme.wxss': '',
  'kefu/sdk.js': 'exports.x=require("./sdk-core")',
  'kefu/sdk-core.js': 'exports.y=1',
};

afterEach(() => {
  rmSync(out, { recursive: true, force: true });
});

describe('mini-program output checks', () => {
  it('finds everything a component needs, through requires, imports and child components', () => {
    write(component);
    expect(componentClosure(out, join(out, 'kefu/chat/index'))).toEqual({
      files: [
        'kefu/chat/bubble.js',
        'kefu/chat/bubble.json',
        'kefu/chat/bubble.wxml',
        'kefu/chat/bubble.wxss',
        'kefu/chat/fmt.wxs',
        'kefu/chat/index.js',
        'kefu/chat/index.json',
        'kefu/chat/index.wxml',
        'kefu/chat/index.wxss',
        'kefu/sdk-core.js',
        'kefu/sdk.js',
        'kefu/theme.wxss',
      ],
      missing: [],
    });
  });

  it('reports what is missing, and bare requires a mini-program cannot resolve', () => {
    const { 'kefu/sdk-core.js': _core, 'kefu/chat/index.wxss': _style, ...rest } = component;
    write({ ...rest, 'kefu/chat/index.js': 'require("../sdk.js");require("mqtt");Component({})' });
    expect(componentClosure(out, join(out, 'kefu/chat/index')).missing).toEqual([
      './sdk-core (required by kefu/sdk.js)',
      'kefu/chat/index.wxss',
      'mqtt (bare require in kefu/chat/index.js)',
    ]);
  });

  it('resolves usingComponents from the output root or the referring file', () => {
    write({
      'pages/a/index.json': '{"usingComponents":{"x":"/kefu/chat/index","y":"../../kefu/chat/index"}}',
    });
    const json = join(out, 'pages/a/index.json');
    expect(usingComponentPath(out, json, 'x')).toBe(join(out, 'kefu/chat/index'));
    expect(usingComponentPath(out, json, 'y')).toBe(join(out, 'kefu/chat/index'));
    expect(usingComponentPath(out, json, 'z')).toBeUndefined();
  });

  it('follows WXML imports (Taro draws pages from base.wxml) and reads minified requires', () => {
    write({
      'pages/a/index.wxml': '<import src="../../base.wxml"/>',
      'base.wxml': '<kefu-chat server="{{i.s}}">',
    });
    expect(wxmlClosure(join(out, 'pages/a/index.wxml'))).toEqual([
      join(out, 'pages/a/index.wxml'),
      join(out, 'base.wxml'),
    ]);
    expect(
      requiredSpecifiers('var e=require("../a.js"),t=o.require("x");n.inquire("y");require(\'./b\')'),
    ).toEqual(['../a.js', './b']);
  });
});
