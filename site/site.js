// The villager site's verifier (vledger site; docs/SPEC.md, "Site").
//
// Every page carries its data in <script type="application/json" id="vdata">:
// the signed checkpoint, the county's public key and the checkpoint's last
// event. A village's resident page (r.html?id=<RESIDENT>) also names the
// data file of each resident, which holds each of the resident's events as
// its canonical bytes C(e), the previous record hash h[n-1], the record
// hash h[n] and an RFC 9162 inclusion proof to the checkpoint's root. This
// script trusts none of it: it checks the checkpoint's Ed25519 signature
// (C2SP signed note), recomputes each h[n] (docs/FORMAT.md section 2),
// checks each inclusion proof, decodes the points from the verified bytes
// (Cap'n Proto canonical, schemas/event.capnp) and checks that they are
// what the page shows. Only then does it say 已核验.
import * as ed from './vendor/noble-ed25519/index.js';
import { sha256, sha512 } from './vendor/noble-hashes/sha2.js';

ed.hashes.sha512 = sha512;

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

// A failed check: `check` names it for the person reading the page.
class CheckFailed extends Error {
  constructor(check, detail) {
    super(check + (detail ? '：' + detail : ''));
    this.check = check;
  }
}

function b64(text) {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
function fromHex(text) {
  if (!/^([0-9a-f]{2})*$/.test(text)) throw new Error('bad hex');
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.substr(2 * i, 2), 16);
  return out;
}
function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
function concat(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
function equal(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
function u64be(n) {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), false);
  return out;
}

// ------------------------------------------------ checkpoint (signed note)

// The checkpoint's origin, size and root, once a signature by the county's
// key over its first three lines verifies (c2sp.org/signed-note).
function verifyCheckpoint(text, keyHex, keyIdHex) {
  const check = '检查点签名';
  const key = fromHex(keyHex);
  if (key.length !== 32) throw new CheckFailed(check, '县级公钥无效');
  if (toHex(sha256(key).subarray(0, 8)) !== keyIdHex) throw new CheckFailed(check, '公钥与其编号不符');
  const blank = text.indexOf('\n\n');
  if (blank < 0) throw new CheckFailed(check, '检查点格式不对');
  const body = text.slice(0, blank + 1);
  const lines = body.split('\n');
  if (lines.length !== 4 || lines[3] !== '') throw new CheckFailed(check, '检查点格式不对');
  const origin = lines[0];
  if (!/^[1-9][0-9]*$/.test(lines[1])) throw new CheckFailed(check, '检查点格式不对');
  const size = Number(lines[1]);
  const root = b64(lines[2]);
  if (root.length !== 32) throw new CheckFailed(check, '检查点格式不对');
  const keyHash = sha256(concat(enc.encode(origin), new Uint8Array([0x0a, 0x01]), key)).subarray(0, 4);
  const msg = enc.encode(body);
  for (const line of text.slice(blank + 2).split('\n')) {
    const prefix = '\u2014 ' + origin + ' ';
    if (!line.startsWith(prefix)) continue;
    let sig;
    try {
      sig = b64(line.slice(prefix.length));
    } catch (e) {
      continue;
    }
    if (sig.length !== 68 || !equal(sig.subarray(0, 4), keyHash)) continue;
    if (ed.verify(sig.subarray(4), msg, key)) return { origin, size, root };
    throw new CheckFailed(check, '签名不是县级公钥所签');
  }
  throw new CheckFailed(check, '没有县级公钥（编号 ' + keyIdHex + '）的签名');
}

// --------------------------------------------------- hashes and the tree

const kEventDomain = enc.encode('VLEDGER-EVENT-V1\0');

function recordHash(seq, prev, bytes) {
  return sha256(concat(kEventDomain, u64be(seq), prev, bytes));
}
function nodeHash(left, right) {
  return sha256(concat(new Uint8Array([1]), left, right));
}
function leafHash(h) {
  return sha256(concat(new Uint8Array([0]), h));
}

// RFC 9162 section 2.1.3.2: the root an inclusion proof leads to, or null.
function rootFromProof(index, size, leaf, path) {
  if (index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

// One event of the page's data, checked: its record hash recomputed from
// its bytes and h[n-1], then its inclusion in the checkpoint's tree.
function verifyEvent(e, head) {
  const bytes = b64(e.event);
  const prev = b64(e.prev);
  const h = recordHash(e.seq, prev, bytes);
  if (!equal(h, b64(e.hash))) {
    throw new CheckFailed('记录哈希', '第 ' + e.seq + ' 条事件的内容与其哈希不符');
  }
  const root = rootFromProof(e.seq, head.size, leafHash(h), e.proof.map(b64));
  if (root === null || !equal(root, head.root)) {
    throw new CheckFailed('包含证明', '第 ' + e.seq + ' 条事件不在检查点的日志中');
  }
  return bytes;
}

// ------------------------------------- Cap'n Proto canonical, just enough

class Reader {
  constructor(bytes) {
    this.b = bytes;
    this.v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  // The struct the pointer word at byte `at` points to (null when null).
  struct(at) {
    const lo = this.v.getUint32(at, true);
    const hi = this.v.getUint32(at + 4, true);
    if (lo === 0 && hi === 0) return null;
    if ((lo & 3) !== 0) throw new Error('not a struct pointer');
    const start = at + 8 + (lo >> 2) * 8;
    const dataWords = hi & 0xffff;
    const ptrCount = hi >>> 16;
    if (start < 0 || start + (dataWords + ptrCount) * 8 > this.b.length) throw new Error('out of bounds');
    return { data: start, dataWords, ptrs: start + dataWords * 8, ptrCount };
  }
  ptr(s, i) {
    return i < s.ptrCount ? this.struct(s.ptrs + 8 * i) : null;
  }
  text(s, i) {
    if (i >= s.ptrCount) return '';
    const at = s.ptrs + 8 * i;
    const lo = this.v.getUint32(at, true);
    const hi = this.v.getUint32(at + 4, true);
    if (lo === 0 && hi === 0) return '';
    if ((lo & 3) !== 1 || (hi & 7) !== 2) throw new Error('not a text');
    const start = at + 8 + (lo >> 2) * 8;
    const n = hi >>> 3;
    if (start < 0 || n < 1 || start + n > this.b.length) throw new Error('out of bounds');
    return dec.decode(this.b.subarray(start, start + n - 1));
  }
  i64(s, word) {
    return word < s.dataWords ? Number(this.v.getBigInt64(s.data + 8 * word, true)) : 0;
  }
  u16(s, byte) {
    return byte + 2 <= s.dataWords * 8 ? this.v.getUint16(s.data + byte, true) : 0;
  }
}

// Union tags of Event.body (schemas/event.capnp).
const kPointsAwarded = 12;
const kPointsDeducted = 13;
const kPointsRedeemed = 15;
const kEventReversed = 24;

// The fields the page needs, from an event's verified canonical bytes.
function decodeEvent(bytes) {
  const r = new Reader(bytes);
  const root = r.struct(0);
  const out = { recordedAt: r.i64(root, 0), tag: r.u16(root, 8) };
  const body = r.ptr(root, 2);
  if (body === null) return out;
  if (out.tag === kPointsAwarded || out.tag === kPointsDeducted) {
    out.resident = r.text(body, 0);
    out.rule = r.text(body, 1);
    out.points = r.i64(body, 0);
    out.occurredOn = r.text(body, 2);
    out.note = r.text(body, 3);
  } else if (out.tag === kPointsRedeemed) {
    out.resident = r.text(body, 0);
    out.points = r.i64(body, 1);
  } else if (out.tag === kEventReversed) {
    out.target = r.i64(body, 0);
    out.note = r.text(body, 0);
  }
  return out;
}

function cstDate(ms) {
  return new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 10);
}
function signed(n) {
  return (n > 0 ? '+' : '') + String(n);
}

// ------------------------------------------------------------- the page

// SIZE-ROOTHEX of the bulletin's QR code, when the address carries one.
function checkFragment(head) {
  const m = /^#([0-9]+)-([0-9a-f]{64})$/.exec(location.hash);
  if (!m) return;
  if (Number(m[1]) !== head.size || m[2] !== toHex(head.root)) {
    throw new CheckFailed('二维码', '二维码中的日志（' + m[1] + ' 条）与本页的检查点（' + head.size + ' 条）不是同一个');
  }
}

// The resident's page from their data: what it shows is what the checks
// below then compare with the decoded events.
function showResident(id, r) {
  const el = (x) => document.getElementById(x);
  const who = r.name ? r.name : id;
  document.title = (r.name ? r.name + '（' + id + '）' : id) + ' · ' + document.title.replace(/^村民积分 · /, '');
  el('who').textContent = who;
  el('who-sub').textContent = '村民编号 ' + id + ' · ' + el('who-sub').textContent;
  el('score').textContent = String(r.score);
  el('spendable').textContent = String(r.spendable);
  if (r.benefits.length > 0) {
    const ul = document.querySelector('#benefits ul');
    for (const [name, partner] of r.benefits) {
      const li = document.createElement('li');
      li.textContent = name + '（' + partner + '）';
      ul.appendChild(li);
    }
    el('benefits').hidden = false;
  }
  if (r.omitted > 0) {
    el('omitted').textContent = '另有 ' + r.omitted + ' 条较早的记录（计入信用积分 ' + signed(r.carried) +
      ' 分）未列在本页，也未在本页核验。';
    el('omitted').hidden = false;
  }
  const marks = { reversed: '（已撤销）', pending: '（待审核）', rejected: '（未通过审核）' };
  const body = el('history');
  for (const e of r.events) {
    const tr = document.createElement('tr');
    tr.dataset.seq = String(e.seq);
    if (e.why) tr.className = 'off';
    const cells = [e.date, e.what + (marks[e.why] || ''), e.points, e.note];
    const classes = ['', '', 'pts', 'note'];
    cells.forEach((text, i) => {
      const td = document.createElement('td');
      td.textContent = text;
      if (classes[i]) td.className = classes[i];
      tr.appendChild(td);
    });
    body.appendChild(tr);
  }
  el('no-history').hidden = r.events.length > 0 || r.omitted > 0;
  el('resident').hidden = false;
}

function checkResident(id, r, head) {
  const decoded = new Map();
  for (const e of r.events) {
    const bytes = verifyEvent(e, head);
    let ev;
    try {
      ev = decodeEvent(bytes);
    } catch (err) {
      throw new CheckFailed('事件内容', '第 ' + e.seq + ' 条事件无法读取');
    }
    decoded.set(e.seq, { e, ev });
  }
  let score = r.carried;
  for (const [seq, { e, ev }] of decoded) {
    const row = document.querySelector('tr[data-seq="' + seq + '"]');
    const isEntry = ev.tag === kPointsAwarded || ev.tag === kPointsDeducted;
    if (isEntry || ev.tag === kPointsRedeemed) {
      if (ev.resident !== id) {
        throw new CheckFailed('事件内容', '第 ' + seq + ' 条事件不是本人的');
      }
    }
    if (isEntry && e.why === 'reversed') {
      const undo = [...decoded.values()].some((d) => d.ev.tag === kEventReversed && d.ev.target === seq);
      if (!undo) throw new CheckFailed('事件内容', '第 ' + seq + ' 条标为已撤销，却没有撤销它的事件');
    }
    if (isEntry && !e.why) score += ev.points;
    const pts = row.querySelector('.pts');
    const shown = ev.tag === kPointsRedeemed ? signed(-ev.points) : isEntry ? signed(ev.points) : '';
    if (pts.textContent.trim() !== shown) {
      throw new CheckFailed('显示内容', '第 ' + seq + ' 条显示的积分与事件不符');
    }
    const note = row.querySelector('.note');
    if (ev.note !== undefined && note.textContent !== ev.note) {
      throw new CheckFailed('显示内容', '第 ' + seq + ' 条显示的说明与事件不符');
    }
  }
  const shownScore = Number(document.getElementById('score').textContent.trim());
  if (score !== shownScore) {
    throw new CheckFailed('积分合计', '已核验的条目合计 ' + score + ' 分，页面显示 ' + shownScore + ' 分');
  }
}

function show(ok, text) {
  const box = document.getElementById('status');
  box.className = ok ? 'status ok' : 'status bad';
  box.textContent = text;
}

// r.html?id=<RESIDENT>: the resident's data from the village's data file
// (null when the village has no page for that id).
async function residentData(data) {
  const id = new URLSearchParams(location.search).get('id') || '';
  if (!Object.prototype.hasOwnProperty.call(data.files, id)) return { id, r: null };
  const resp = await fetch('d/' + data.files[id] + '.json');
  if (!resp.ok) throw new CheckFailed('页面数据', '取不到本人的数据（' + resp.status + '）');
  const all = await resp.json();
  if (!Object.prototype.hasOwnProperty.call(all, id)) throw new CheckFailed('页面数据', '数据文件中没有本人');
  return { id, r: all[id] };
}

async function run() {
  const started = performance.now();
  let data;
  try {
    data = JSON.parse(document.getElementById('vdata').textContent);
  } catch (e) {
    show(false, '未通过核验：页面数据无法读取');
    return;
  }
  // A resident page fetches its data while the checkpoint is checked.
  let resident = null;
  if (data.files !== undefined) {
    resident = residentData(data);
    resident.catch(() => {}); // awaited below
  }
  try {
    const head = verifyCheckpoint(data.checkpoint, data.key, data.keyId);
    checkFragment(head);
    const lastBytes = verifyEvent(data.last, head);
    if (data.last.seq !== head.size - 1) throw new CheckFailed('检查点日期', '日期所依据的不是检查点的最后一条事件');
    const date = cstDate(decodeEvent(lastBytes).recordedAt);
    if (resident !== null) {
      const { id, r } = await resident;
      if (r === null) {
        show(false, '没有编号为 ' + id + ' 的成年村民页面（请核对积分卡上的编号）。');
        document.body.dataset.verified = 'none';
        return;
      }
      showResident(id, r);
      for (const a of document.querySelectorAll('#back')) a.href += location.hash;
      checkResident(id, r, head);
      show(true, '已核验 ✓ 以上 ' + r.events.length + ' 条记录截至 ' + date +
        ' 都在县级日志（检查点 ' + head.size + ' 条）中，签名、哈希与积分合计全部相符。' +
        '这只说明这些记录确实在日志里，不说明日志里没有别的记录；完整性由审计员用 vledger verify 核查。');
    } else {
      show(true, '已核验 ✓ 检查点（截至 ' + date + '，' + head.size + ' 条）由县级公钥 ' + data.keyId + ' 签名。');
    }
    for (const el of document.querySelectorAll('.cp-date')) el.textContent = date;
    document.body.dataset.verified = 'yes';
    // For bench/run: the checks alone, and navigation start to 已核验 (ms).
    document.body.dataset.checkMs = (performance.now() - started).toFixed(1);
    document.body.dataset.readyMs = performance.now().toFixed(1);
  } catch (e) {
    const what = e instanceof CheckFailed ? e.message : '核验出错：' + e;
    show(false, '⚠ 未通过核验：' + what + '。请勿相信本页显示的积分，并向村务监督委员会反映。');
    document.body.dataset.verified = 'no';
  }
}

// Finding one's page: the resident id box of a village page.
function setUpFinder() {
  const form = document.getElementById('find');
  if (!form) return;
  const ids = new Set(JSON.parse(document.getElementById('ids').textContent));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    let id = document.getElementById('rid').value.trim();
    if (!ids.has(id)) id = id.toUpperCase();
    const msg = document.getElementById('find-msg');
    if (!ids.has(id)) {
      msg.textContent = '没有编号为 ' + id + ' 的成年村民页面（请核对积分卡上的编号）。';
      return;
    }
    location.href = 'r.html?id=' + encodeURIComponent(id) + location.hash;
  });
  for (const a of document.querySelectorAll('a.res')) a.href += location.hash;
}

// A page with data runs the checks; elsewhere (verify.js, a test) the
// functions are imported.
if (typeof document !== 'undefined' && document.getElementById('vdata')) {
  setUpFinder();
  run();
}

export { decodeEvent, recordHash, rootFromProof, leafHash, verifyCheckpoint };
export { CheckFailed, b64, fromHex, toHex, concat, equal, cstDate };
