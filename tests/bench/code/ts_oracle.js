// The TypeScript language service as an oracle, one JSON request per line on stdin, one JSON answer per line on
// stdout. Positions are 0-based lines and UTF-16 columns (as TypeScript and LSP count them).
//   {"op":"init","tsconfig":ABS_PATH}                 -> {"files":[every source file of the program]}
//   {"op":"def","file":F,"line":L,"col":C}             -> {"text":identifier under the cursor,
//                                                          "defs":[{file,line,col,kind,name,container,local}]}
//   {"op":"refs","file":F,"line":L,"col":C}            -> {"refs":[{file,line,col,isDefinition}]}
//   {"op":"complete","file":F,"line":L,"col":C}        -> {"names":[...]} (not used by the benchmark's numbers)
// TYPESCRIPT=/path/to/node_modules/typescript selects the package (the benchmark pins typescript@5.9.3).
'use strict';
const ts = require(process.env.TYPESCRIPT || 'typescript');
const fs = require('fs');
const path = require('path');
const readline = require('readline');

let service = null;
let fileNames = [];
const texts = new Map();

function text(file) {
  if (!texts.has(file)) texts.set(file, fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);
  return texts.get(file);
}

function init(tsconfig) {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, {
    ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {}
  });
  fileNames = parsed.fileNames;
  const options = parsed.options;
  const host = {
    getScriptFileNames: () => fileNames,
    getScriptVersion: () => '1',
    getScriptSnapshot: (f) => { const t = text(f); return t === undefined ? undefined : ts.ScriptSnapshot.fromString(t); },
    getCurrentDirectory: () => path.dirname(tsconfig),
    getCompilationSettings: () => options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: ts.sys.fileExists, readFile: ts.sys.readFile, readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists, getDirectories: ts.sys.getDirectories,
  };
  service = ts.createLanguageService(host, ts.createDocumentRegistry());
  const program = service.getProgram();
  return { files: program.getSourceFiles().map((s) => s.fileName), options: { jsx: options.jsx } };
}

function offsetOf(file, line, col) {
  const sf = service.getProgram().getSourceFile(file);
  return ts.getPositionOfLineAndCharacter(sf, line, col);
}

function lineCol(file, pos) {
  const sf = service.getProgram().getSourceFile(file);
  if (sf) return sf.getLineAndCharacterOfPosition(pos);
  const t = text(file) || '';
  const before = t.slice(0, pos).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

// Whether the declaration whose name starts at pos lives inside a function (a parameter or a local).
function isLocal(file, pos) {
  const sf = service.getProgram().getSourceFile(file);
  if (!sf) return false;
  let node = sf;
  for (;;) {
    let next = null;
    ts.forEachChild(node, (c) => { if (!next && c.getStart(sf) <= pos && pos < c.getEnd()) next = c; });
    if (!next) break;
    node = next;
  }
  // node: the name; its parent: the declaration; any function-like above the declaration makes it local.
  let decl = node.parent;
  for (let p = decl && decl.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p) || ts.isClassStaticBlockDeclaration(p)) return true;
    if (ts.isSourceFile(p)) return false;
  }
  return false;
}

function def(file, line, col) {
  const pos = offsetOf(file, line, col);
  const r = service.getDefinitionAndBoundSpan(file, pos);
  if (!r) return { text: null, defs: [] };
  const t = text(file).substr(r.textSpan.start, r.textSpan.length);
  const defs = (r.definitions || []).map((d) => {
    const lc = lineCol(d.fileName, d.textSpan.start);
    return { file: d.fileName, line: lc.line, col: lc.character, kind: d.kind, name: d.name,
             container: d.containerName, local: isLocal(d.fileName, d.textSpan.start) };
  });
  return { text: t, defs };
}

function refs(file, line, col) {
  const pos = offsetOf(file, line, col);
  const groups = service.findReferences(file, pos) || [];
  const out = [];
  for (const g of groups)
    for (const r of g.references) {
      const lc = lineCol(r.fileName, r.textSpan.start);
      out.push({ file: r.fileName, line: lc.line, col: lc.character, isDefinition: !!r.isDefinition });
    }
  return { refs: out };
}

function complete(file, line, col) {
  const pos = offsetOf(file, line, col);
  const r = service.getCompletionsAtPosition(file, pos, {});
  return { names: r ? r.entries.map((e) => e.name) : [] };
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let answer;
  try {
    const q = JSON.parse(line);
    if (q.op === 'init') answer = init(q.tsconfig);
    else if (q.op === 'def') answer = def(q.file, q.line, q.col);
    else if (q.op === 'refs') answer = refs(q.file, q.line, q.col);
    else if (q.op === 'complete') answer = complete(q.file, q.line, q.col);
    else answer = { error: 'unknown op ' + q.op };
  } catch (e) {
    answer = { error: String(e && e.stack || e) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
});
