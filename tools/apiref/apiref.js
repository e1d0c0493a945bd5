#!/usr/bin/env node
// apiref.js: the API reference, generated from the public headers.
//
//   node tools/apiref/apiref.js [--out DIR] [header.h ...]
//       writes DIR/index.html (headers, and every public symbol A-Z) and
//       one page per header (default DIR: build/docs/api)
//   node tools/apiref/apiref.js --check [header.h ...]
//       lists every public function without a comment of its own or of
//       its group, and fails if there is one
//
// With no headers given: include/eventide.h and include/eventide/*.h.
//
// The headers use plain /* */ comments, so this reads them itself. A
// comment documents the declarations right below it, up to the next blank
// line or comment (one comment for a group of related calls); a comment
// after a declaration's ';' on the same line documents that declaration.
// "/* ---- title ---- */" comments open sections. Macros that declare
// functions (EVT__LOOP_WATCHER(idle)) are expanded to find what they
// declare. Names starting evt__ / EVT__ are internal: not listed, not
// checked, but kept where they are part of a public struct's body.
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const isInternal = (n) => /^(evt__|EVT__)/.test(n);
const isPublicFn = (s) => s.kind === 'function' && /^evt_[a-z0-9]/.test(s.name);

// ---- reading C text ----

// Code with comments blanked out (kept the same length, newlines kept).
function stripComments(s) {
  return s.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/"(\\.|[^"\\])*"/g, (c) => '"' + ' '.repeat(c.length - 2) + '"');
}

// The text of a comment block, without the comment markers and the
// leading " * " of each line.
function commentText(lines) {
  const body = lines.join('\n').replace(/^\s*\/\*+ ?/, '').replace(/\*+\/\s*$/, '');
  const out = body.split('\n').map((l) => l.replace(/^\s*\* ?/, '').replace(/\s+$/, ''));
  while (out.length && out[0].trim() === '') out.shift();
  while (out.length && out[out.length - 1].trim() === '') out.pop();
  const ind = Math.min(...out.filter((l) => l.trim()).map((l) => /^ */.exec(l)[0].length));
  return out.map((l) => l.slice(Math.min(ind, l.length))).join('\n');
}

// One declaration starting at lines[i]: up to the ';' at depth 0, or the
// '}' closing a function body. A comment that follows the ';' on the same
// line belongs to it (its "trailing" comment, which documents it).
function takeDecl(lines, i, bareLines) {
  let depth = 0, isFnDef = false, code = '';
  for (let j = i; j < lines.length; j++) {
    const line = lines[j], bare = bareLines[j];
    code += (j > i ? '\n' : '') + line;
    if (bare.trim().startsWith('#')) continue; // inside a body
    for (let k = 0; k < bare.length; k++) {
      const c = bare[k];
      if (c === '{' || c === '(') {
        if (c === '{' && depth === 0) isFnDef = /\)\s*$/.test(stripComments(code.slice(0, code.length - line.length + k)).replace(/__attribute__\s*\(\(.*?\)\)/g, ''));
        depth++;
      } else if (c === '}' || c === ')') {
        depth--;
        if (c === '}' && depth === 0 && isFnDef) return { end: j + 1, code };
      } else if (c === ';' && depth === 0) {
        const rest = line.slice(k + 1);
        if (!rest.includes('/*')) return { end: j + 1, code };
        let e = j; // a trailing comment, possibly over several lines
        while (!lines[e].slice(e === j ? k : 0).includes('*/')) { e++; code += '\n' + lines[e]; }
        return { end: e + 1, code, trailing: commentText([rest.trim(), ...lines.slice(j + 1, e + 1)]) };
      }
    }
  }
  return { end: lines.length, code };
}

// ---- macros ----

// Every #define of the headers: name -> {params (null if object-like), body lines}.
function collectMacros(files) {
  const macros = new Map();
  for (const f of files) {
    const lines = f.text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /^\s*#\s*define\s+(\w+)(\(([^)]*)\))?\s?(.*)$/.exec(lines[i]);
      if (!m) continue;
      const body = [m[4]];
      while (/\\\s*$/.test(lines[i])) body.push(lines[++i]);
      macros.set(m[1], {
        params: m[2] ? m[3].split(',').map((p) => p.trim()).filter(Boolean) : null,
        body: body.map((l) => l.replace(/\s*\\\s*$/, '')),
      });
    }
  }
  return macros;
}

// Expand every invocation of a function-like macro in text, once (no
// rescan), keeping the macro body's lines. Enough for the declaring
// macros and the X-macro tables of the headers.
function expandOnce(text, macros) {
  let out = '', i = 0;
  const re = /[A-Za-z_]\w*/g;
  for (let m; (m = re.exec(text));) {
    const mac = macros.get(m[0]);
    let k = m.index + m[0].length;
    while (text[k] === ' ') k++;
    if (!mac || !mac.params || text[k] !== '(') continue;
    const args = [];
    let depth = 0, start = k + 1;
    for (; k < text.length; k++) {
      if (text[k] === '(') depth++;
      else if (text[k] === ')' && --depth === 0) break;
      else if (text[k] === ',' && depth === 1) { args.push(text.slice(start, k).trim()); start = k + 1; }
    }
    args.push(text.slice(start, k).trim());
    let body = mac.body.join('\n');
    mac.params.forEach((p, n) => { body = body.replace(new RegExp('\\b' + p + '\\b', 'g'), args[n] || ''); });
    out += text.slice(i, m.index) + body.replace(/\s*##\s*/g, '');
    i = re.lastIndex = k + 1;
  }
  return out + text.slice(i);
}
function expandAll(text, macros) {
  for (let n = 0; n < 8; n++) { const e = expandOnce(text, macros); if (e === text) break; text = e; }
  return text;
}

// ---- what a declaration declares ----

// [{name, kind}] for one declaration's code; kind is function, type,
// struct, constant or macro. alias: the struct tag a typedef names.
function declNames(code, macros) {
  const s = stripComments(code).replace(/__attribute__\s*\(\(.*?\)\)/g, '').replace(/\s+/g, ' ').trim();
  const def = /^#\s*define (\w+)(\()?/.exec(s);
  if (def) return [{ name: def[1], kind: def[2] && /^evt_/.test(def[1]) ? 'function' : 'macro' }];
  const enumerators = () => { // the names between the braces, X-macro tables expanded
    const body = expandAll(stripComments(code.slice(code.indexOf('{') + 1, code.lastIndexOf('}')))
      .split('\n').filter((l) => !l.trim().startsWith('#')).join('\n'), macros);
    return body.split(',').map((p) => /^\s*([A-Za-z_]\w*)/.exec(p)).filter(Boolean)
      .map((m) => ({ name: m[1], kind: 'constant' }));
  };
  const isEnum = /^(typedef )?enum\b/.test(s);
  if (/^typedef (struct|union|enum)\b[^;{]*\{/.test(s)) {
    return [{ name: /(\w+) ?(\[[^\]]*\])? ?;$/.exec(s)[1], kind: 'type' }, ...(isEnum ? enumerators() : [])];
  }
  if (/^typedef\b/.test(s)) {
    const fp = /\( ?\* ?(\w+) ?\) ?\(/.exec(s);
    const alias = /^typedef (?:const )?(?:struct|union) (\w+)/.exec(s);
    return [{ name: fp ? fp[1] : /(\w+) ?(\[[^\]]*\])? ?;$/.exec(s)[1], kind: 'type', alias: alias && alias[1] }];
  }
  const tagged = /^(struct|union|enum) ?(\w+)? ?\{/.exec(s);
  if (tagged) return [...(tagged[2] ? [{ name: tagged[2], kind: 'struct' }] : []), ...(isEnum ? enumerators() : [])];
  const call = /(\w+) ?\(/.exec(s);
  if (call && !/^[A-Z_]\w*\(/.test(s)) return [{ name: call[1], kind: 'function' }];
  return s.replace(/;$/, '').split(',').map((p) => /(\w+) ?(\[[^\]]*\])? ?(=.*)?$/.exec(p))
    .filter(Boolean).map((m) => ({ name: m[1], kind: 'variable' }));
}

// ---- a header as sections of groups of items ----

function parseHeader(file, macros) {
  const lines = file.text.split('\n'), bare = stripComments(file.text).split('\n');
  const page = { file, intro: '', includes: [], sections: [{ title: '', intro: '', groups: [] }] };
  const sec = () => page.sections[page.sections.length - 1];
  let group = null, seenCode = false;
  const addItem = (item) => {
    if (!group) { group = { comment: '', items: [] }; sec().groups.push(group); }
    item.names = item.decls.flatMap((d) => declNames(d, macros));
    group.items.push(item);
    seenCode = true;
  };
  for (let i = 0; i < lines.length;) {
    const t = lines[i].trim();
    if (t === '') { group = null; i++; continue; }
    if (t.startsWith('/*')) {
      let j = i;
      while (!lines[j].includes('*/')) j++;
      const text = commentText(lines.slice(i, j + 1));
      i = j + 1;
      const title = /^-{3,} *(.*?) *-{3,}$/.exec(text.split('\n')[0]);
      if (!seenCode && !page.intro) { page.intro = text; group = null; continue; }
      if (title) {
        const intro = commentText(text.split('\n').slice(1));
        page.sections.push({ title: title[1], intro, groups: [] });
        group = { comment: intro, items: [], shownAbove: true };
      } else group = { comment: text, items: [] };
      sec().groups.push(group);
      continue;
    }
    if (t.startsWith('#')) {
      let j = i;
      while (/\\\s*$/.test(lines[j])) j++;
      const text = lines.slice(i, j + 1).join('\n');
      i = j + 1;
      const inc = /^#\s*include\s+"(.+)"/.exec(t);
      if (inc) page.includes.push(inc[1]);
      if (/^#\s*ifdef\s+__cplusplus/.test(t)) { // extern "C" { ... }: skipped
        for (let depth = 1; depth > 0; i++) {
          if (/^\s*#\s*if/.test(lines[i])) depth++;
          else if (/^\s*#\s*endif/.test(lines[i])) depth--;
        }
      }
      const def = /^#\s*define\s+(\w+)(.*)/.exec(t);
      if (def && !(/_H$/.test(def[1]) && def[2].trim() === '')) addItem({ code: text, line: i, decls: [text] });
      continue;
    }
    const inv = /^([A-Za-z_]\w*)\s*\(.*\)$/.exec(t);
    if (inv && macros.has(inv[1]) && macros.get(inv[1]).params) {
      const exp = expandOnce(t, macros).split('\n');
      const ind = Math.min(...exp.filter((l) => l.trim()).map((l) => /^ */.exec(l)[0].length));
      const expansion = exp.map((l) => l.slice(ind)).join('\n').trim();
      const decls = [], el = expansion.split('\n');
      for (let k = 0; k < el.length;) {
        if (!el[k].trim()) { k++; continue; }
        const d = takeDecl(el, k, stripComments(expansion).split('\n'));
        decls.push(d.code);
        k = d.end;
      }
      addItem({ code: lines[i], line: i + 1, decls, expansion });
      i++;
      continue;
    }
    const d = takeDecl(lines, i, bare);
    addItem({ code: d.code, line: i + 1, decls: [d.code], trailing: d.trailing });
    i = d.end;
  }
  return page;
}

// ---- symbols ----

function pageName(file) { return path.basename(file.rel, '.h') + '.html'; }

// name -> {name, kind, page, documented, line, file}; first declaration wins
// as the link target; a function counts as documented if any of its
// declarations is.
function collectSymbols(pages) {
  const syms = new Map();
  for (const p of pages) for (const s of p.sections) for (const g of s.groups) for (const it of g.items) {
    for (const n of it.names) {
      const doc = !!(g.comment.trim() || (it.trailing || '').trim());
      const old = syms.get(n.name);
      if (old) { old.documented = old.documented || doc; continue; }
      syms.set(n.name, { ...n, page: pageName(p.file), anchor: n.name, documented: doc, file: p.file.rel, line: it.line });
    }
  }
  for (const s of syms.values()) { // a typedef of a struct links to its body
    const tag = s.alias && syms.get(s.alias);
    if (tag && tag.kind === 'struct') { s.page = tag.page; s.anchor = tag.anchor; }
  }
  return syms;
}

// ---- HTML ----

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// Escape text and link the public symbols (and header names) it mentions.
// ctx.declare: names this piece declares, which get their anchor here.
function linkify(text, ctx) {
  return text.split(/(eventide\/\w+\.h|[A-Za-z_]\w*)/).map((tok, n) => {
    if (n % 2 === 0) return esc(tok);
    const hdr = /^eventide\/(\w+)\.h$/.exec(tok);
    if (hdr && ctx.pages.has(hdr[1] + '.html')) return `<a href="${hdr[1]}.html">${tok}</a>`;
    const s = ctx.syms.get(tok);
    if (ctx.declare && ctx.declare.has(tok) && !ctx.ids.has(tok)) {
      ctx.ids.add(tok);
      return `<a class="decl" id="${tok}" href="#${tok}">${tok}</a>`;
    }
    if (!s || isInternal(tok) || s.kind === 'variable') return tok;
    const href = (s.page === ctx.page ? '' : s.page) + '#' + s.anchor;
    return `<a href="${href}">${tok}</a>`;
  }).join('');
}

function codeHtml(code, ctx) {
  return code.split(/(\/\*[\s\S]*?\*\/)/).map((part, n) =>
    n % 2 ? `<span class="c">${linkify(part, { ...ctx, declare: null })}</span>` : linkify(part, ctx)).join('');
}

// Running text: links, and `quoted` names as code.
const prose = (t, ctx) => linkify(t, ctx).replace(/`([^`]+)`/g, '<code>$1</code>');

// A comment as HTML: paragraphs, "- " lists, headings underlined with
// dashes, and indented lines (tables, code) kept as they are.
function docHtml(text, ctx) {
  const out = [], lines = text.split('\n');
  let para = [], list = null, pre = [];
  const flush = () => {
    if (para.length) out.push(`<p>${prose(para.join(' '), ctx)}</p>`);
    if (list) out.push('<ul>' + list.map((li) => `<li>${prose(li, ctx)}</li>`).join('') + '</ul>');
    if (pre.length) out.push(`<pre>${linkify(pre.join('\n').replace(/\n+$/, ''), ctx)}</pre>`);
    para = []; list = null; pre = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i], ind = /^ */.exec(l)[0].length;
    const item = /^ *- (.*)/.exec(l);
    if (!l.trim()) {
      if (pre.length && i + 1 < lines.length && /^ +\S/.test(lines[i + 1])) pre.push('');
      else flush();
    } else if (/^-{3,}$/.test((lines[i + 1] || '').trim()) && !ind) {
      flush(); out.push(`<h3>${linkify(l, ctx)}</h3>`); i++;
    } else if (item && !pre.length) {
      if (para.length) flush();
      (list = list || []).push(item[1]); list.indent = ind;
    } else if (list && ind > list.indent) list[list.length - 1] += ' ' + l.trim();
    else if (ind > 0 || pre.length) {
      if (para.length || list) flush();
      pre.push(l);
    } else {
      if (list) flush();
      para.push(l.trim());
    }
  }
  flush();
  return out.join('\n');
}

const CSS = `
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;background:#fff}
header{background:#1d2b45;color:#fff;padding:.6em 1.5em}header a{color:#fff;text-decoration:none;font-weight:600}
header span{color:#aab6cc;margin-left:1em;font-size:.9em}
main{max-width:62em;margin:0 auto;padding:1em 1.5em 4em}
h1{font-size:1.7em;margin:.6em 0 .2em}h1 small{display:block;font-size:.55em;font-weight:400;color:#556}
h2{font-size:1.3em;margin:2em 0 .5em;padding-bottom:.2em;border-bottom:2px solid #d8deea}
h3{font-size:1.05em;margin:1.2em 0 .3em}
a{color:#1c5bb8}a:hover{text-decoration:underline}
code,pre{font:13.5px/1.45 ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace}
pre{background:#f5f7fb;border:1px solid #e1e6ef;border-radius:4px;padding:.6em .8em;overflow-x:auto;margin:.5em 0}
.entry{margin:1.4em 0;padding-left:.8em;border-left:3px solid #d8deea}
.entry pre.code{background:#eef2f9;border-color:#d3dbe9}
.entry:target,.entry:has(:target){border-left-color:#1c5bb8}
a.decl{color:#0b3d7a;font-weight:700;text-decoration:none}
:target{background:#fff3b8}[id]{scroll-margin-top:1.5em}
.c{color:#5d6b82}
.doc p{margin:.4em 0}.doc ul{margin:.3em 0 .3em 1.2em;padding:0}
.note{color:#334}
.exp{font-size:.85em;color:#556;margin:.3em 0 0}
.includes,.toc{font-size:.92em;color:#445}
.toc a{margin-right:.9em;white-space:nowrap}
table.headers td{padding:.25em 1em .25em 0;vertical-align:top}
.letters a{display:inline-block;min-width:1.4em;text-align:center;font-weight:600}
.index{columns:3 17em;column-gap:2em}.index div{break-inside:avoid;font-size:.92em}
.index h3{break-after:avoid}.kind{color:#778;font-size:.85em}
`;

function shell(title, body) {
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title>` +
    `<style>${CSS}</style></head><body><header><a href="index.html">eventide API reference</a>` +
    `<span>generated from the headers</span></header><main>\n${body}\n</main></body></html>\n`;
}

// The header's one-line summary: the head comment's first paragraph, after the dash.
function summary(p) {
  return p.intro.split('\n\n')[0].replace(/\s+/g, ' ').replace(/^\S+\s+—\s+/, '').trim();
}

function renderPage(p, ctx) {
  const c = { ...ctx, page: pageName(p.file), ids: new Set() };
  let h = `<h1>${esc(p.file.rel.replace(/^include\//, ''))}<small>${linkify(summary(p), c)}</small></h1>\n`;
  const rest = p.intro.split('\n\n').slice(1).join('\n\n');
  if (p.includes.length) h += `<p class="includes">Includes: ${p.includes.map((x) => linkify('eventide/' + path.basename(x), c)).join(', ')}</p>\n`;
  const shown = (g) => !g.items.length || g.items.some((it) => it.names.some((n) => !isInternal(n.name)));
  const sections = p.sections.filter((s) => s.title && (s.intro.trim() || s.groups.some((g) => g.items.length && shown(g))));
  if (sections.length) h += `<p class="toc">${sections.map((s) => `<a href="#sec-${slug(s.title)}">${esc(s.title)}</a>`).join(' ')}</p>\n`;
  h += `<div class="doc">${docHtml(rest, c)}</div>\n`;
  for (const s of p.sections) {
    const groups = s.groups.filter(shown);
    if (s.title && (s.intro.trim() || groups.some((g) => g.items.length))) h += `<h2 id="sec-${slug(s.title)}">${esc(s.title)}</h2>\n`;
    if (s.intro.trim()) h += `<div class="doc">${docHtml(s.intro, c)}</div>\n`;
    for (const g of groups) {
      if (!g.items.length) { if (!g.shownAbove) h += `<div class="doc note">${docHtml(g.comment, c)}</div>\n`; continue; }
      // The comment comes after a short group's code, before a long one's.
      const doc = !g.shownAbove && g.comment.trim() ? `<div class="doc">${docHtml(g.comment, c)}</div>` : '';
      const long = g.items.reduce((n, it) => n + (it.expansion || it.code).split('\n').length, 0) > 12;
      h += '<div class="entry">' + (long ? doc : '');
      let code = []; // consecutive declarations share one code block
      const flush = () => { if (code.length) h += `<pre class="code">${code.join('\n')}</pre>`; code = []; };
      for (const it of g.items) {
        const declare = new Set(it.names.map((n) => n.name).filter((n) => !isInternal(n)));
        code.push(codeHtml(it.code, { ...c, declare: it.expansion ? null : declare }));
        if (it.expansion) { flush(); h += `<p class="exp">which declares:</p><pre class="code">${codeHtml(it.expansion, { ...c, declare })}</pre>`; }
        // names an X-macro table expands to (EVT_ENOENT ...): listed, with their anchors
        const hidden = [...declare].filter((n) => !new RegExp('\\b' + n + '\\b').test(it.expansion || it.code));
        if (hidden.length) { flush(); h += `<p class="exp">which defines: ${hidden.map((n) => linkify(n, { ...c, declare })).join(', ')}</p>`; }
      }
      flush();
      h += (long ? '' : doc) + '</div>\n';
    }
  }
  return shell(p.file.rel + ' — eventide', h);
}
const slug = (t) => t.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

function renderIndex(pages, syms, ctx) {
  const c = { ...ctx, page: 'index.html', ids: new Set() };
  let h = '<h1>eventide API reference<small>The Node.js event loop model for C: ' +
    'every public header, and every public name A–Z.</small></h1>\n<h2>Headers</h2>\n<table class="headers">';
  for (const p of pages) h += `<tr><td><a href="${pageName(p.file)}">${esc(p.file.rel.replace(/^include\//, ''))}</a></td><td>${linkify(summary(p), c)}</td></tr>`;
  h += '</table>\n';
  const pub = [...syms.values()].filter((s) => !isInternal(s.name) && s.kind !== 'variable' && s.kind !== 'struct' && !/^EVENTIDE_\w+_H$/.test(s.name));
  const key = (s) => s.name.replace(/^(evt_|EVT_|EVENTIDE_)/i, '').toLowerCase();
  pub.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.name < b.name ? -1 : 1));
  const letters = [...new Set(pub.map((s) => key(s)[0].toUpperCase()))];
  h += `<h2>Index</h2>\n<p>${pub.length} names, by the word after their <code>evt_</code> / <code>EVT_</code> prefix.</p>\n`;
  h += `<p class="letters">${letters.map((l) => `<a href="#letter-${l}">${l}</a>`).join(' ')}</p>\n<div class="index">`;
  for (const l of letters) {
    h += `<h3 id="letter-${l}">${l}</h3>`;
    for (const s of pub.filter((x) => key(x)[0].toUpperCase() === l)) {
      h += `<div><a href="${s.page}#${s.anchor}">${esc(s.name)}</a> <span class="kind">${s.kind} · ${esc(path.basename(s.file))}</span></div>`;
    }
  }
  return shell('eventide API reference', h + '</div>');
}

// ---- main ----

function main(argv) {
  const check = argv.includes('--check');
  const outIdx = argv.indexOf('--out');
  const out = outIdx >= 0 ? path.resolve(argv[outIdx + 1]) : path.join(ROOT, 'build', 'docs', 'api');
  let inputs = argv.filter((a, n) => a.endsWith('.h') && argv[n - 1] !== '--out');
  if (!inputs.length) {
    const dir = path.join(ROOT, 'include', 'eventide');
    // The umbrella header first, then the layers in the order it includes them.
    const umbrella = fs.readFileSync(path.join(ROOT, 'include', 'eventide.h'), 'utf8');
    const order = [...umbrella.matchAll(/#include "eventide\/(\w+\.h)"/g)].map((m) => m[1]);
    const all = fs.readdirSync(dir).filter((f) => f.endsWith('.h'))
      .sort((a, b) => ((order.indexOf(a) + 1 || 1e9) - (order.indexOf(b) + 1 || 1e9)) || (a < b ? -1 : 1));
    inputs = [path.join(ROOT, 'include', 'eventide.h'), ...all.map((f) => path.join(dir, f))];
  }
  const files = inputs.map((f) => ({ rel: path.relative(ROOT, path.resolve(f)), text: fs.readFileSync(f, 'utf8') }));
  const macros = collectMacros(files);
  const pages = files.map((f) => parseHeader(f, macros));
  const syms = collectSymbols(pages);
  const fns = [...syms.values()].filter(isPublicFn);
  if (check) {
    const bad = fns.filter((s) => !s.documented);
    for (const s of bad) console.log(`${s.file}:${s.line}: ${s.name} has no comment of its own or of its group`);
    console.log(`${fns.length} public functions checked, ${bad.length} undocumented`);
    return bad.length ? 1 : 0;
  }
  const ctx = { syms, pages: new Set(pages.map((p) => pageName(p.file))) };
  fs.mkdirSync(out, { recursive: true });
  for (const p of pages) fs.writeFileSync(path.join(out, pageName(p.file)), renderPage(p, ctx));
  fs.writeFileSync(path.join(out, 'index.html'), renderIndex(pages, syms, ctx));
  console.log(`API reference: ${path.join(out, 'index.html')} (${pages.length} headers, ${fns.length} public functions)`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
