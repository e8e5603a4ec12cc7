// The villager site's certificate check (verify.html; docs/FORMAT.md
// sections 13 and 14): a partner pastes a credit certificate (the text its
// QR code holds) and, optionally, the ID-card number shown with it; this
// script checks it as `vledger verify-attestation` does, on the phone:
//   1. the signed note is well formed;
//   2. its signature line's key hash is that of one of the county's
//      attestor keys (attest.json) under the line's name, and the Ed25519
//      signature over the body verifies (else 篡改); no attestor key's:
//      非本县签发 when the name or line 2 is not this county's origin,
//      else 签名密钥不是核验员;
//   3. the key name is line 2 and line 2 is this county's origin;
//   4. the body has its lines in their order, and names the key as attestor;
//   5. today (China Standard Time, the phone's clock) is not after valid-until;
//   6. with a number: the first 4 hex digits of SHA-256(salt ‖ number);
//   7. as of the site's checkpoint: the attestor key not revoked, and the
//      certificate (SHA-256 of its whole text) not among attest.json's
//      "lapsed" (revoked, benefit withdrawn, grade dropped).
// attest.json's checkpoint must be the one the page carries and verify by
// the county's key (site.js, verifyCheckpoint). Nothing is sent anywhere:
// the only requests are the site's own files.
import * as ed from './vendor/noble-ed25519/index.js';
import { sha256 } from './vendor/noble-hashes/sha2.js';
import { CheckFailed, b64, fromHex, toHex, concat, equal, cstDate, verifyCheckpoint } from './site.js';

const enc = new TextEncoder();

// A refusal: `code` for the page and tests, `title` the one clear result.
class Refused extends Error {
  constructor(code, title, detail) {
    super(title);
    this.code = code;
    this.title = title;
    this.detail = detail || '';
  }
}
const malformed = (d) => new Refused('malformed', '格式不对：不是完整的信用证明', d);
const tampered = (d) => new Refused('tampered', '篡改：证明内容与签名不符', d);
const otherCounty = (d) => new Refused('other-county', '非本县签发', d);
const notAttestor = (d) => new Refused('not-attestor', '签名密钥不是核验员', d);

// The text as the certificate file holds it: '\n' line ends, no leading
// or trailing blank space, one final line end (a paste or a QR scanner
// may change these, and nothing else).
function normalize(text) {
  return text.replace(/\r\n?/g, '\n').replace(/^\s+/, '').replace(/\s+$/, '') + '\n';
}

// c2sp.org/signed-note: body (through the '\n' of its last line), a blank
// line, signature lines "— NAME BASE64".
function splitNote(text) {
  const blank = text.indexOf('\n\n');
  if (blank < 0) throw malformed('没有签名行');
  const body = text.slice(0, blank + 1);
  const sigs = [];
  for (const line of text.slice(blank + 2).split('\n').slice(0, -1)) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m) throw malformed('签名行格式不对');
    let sig;
    try {
      sig = b64(m[2]);
    } catch (e) {
      throw malformed('签名行格式不对');
    }
    if (sig.length < 4) throw malformed('签名行格式不对');
    sigs.push({ name: m[1], keyHash: sig.subarray(0, 4), sig: sig.subarray(4) });
  }
  if (sigs.length === 0) throw malformed('没有签名行');
  return { body, sigs };
}

function keyHash(name, key) {
  return sha256(concat(enc.encode(name), new Uint8Array([0x0a, 0x01]), key)).subarray(0, 4);
}

// The county's attestor key that signed the body, and under which name.
function checkSignature(note, data) {
  for (const s of note.sigs) {
    for (const a of data.attestors) {
      const key = fromHex(a.key);
      if (!equal(keyHash(s.name, key), s.keyHash)) continue;
      if (s.sig.length !== 64 || !ed.verify(s.sig, enc.encode(note.body), key)) {
        throw tampered('签名与证明文本不符，文本可能被改动过');
      }
      return { attestor: a, name: s.name };
    }
  }
  const line2 = note.body.split('\n')[1];
  if (line2 !== data.origin || note.sigs.every((s) => s.name !== data.origin)) {
    throw otherCounty('证明签发自 ' + (line2 || note.sigs[0].name) + '，本县为 ' + data.origin);
  }
  throw notAttestor('签名所用的密钥不是本县登记的核验员密钥');
}

const kKeys = ['resident', 'name', 'village', 'grade', 'checkpoint', 'issued', 'valid-until'];
const kBenefitKeys = ['benefit', 'benefit-name', 'partner'];

// The body's fields, in the order of docs/FORMAT.md section 13.
function parseBody(body) {
  const lines = body.split('\n').slice(0, -1);
  if (lines.length !== 11 && lines.length !== 14) throw malformed('证明应有 11 行或 14 行');
  if (lines[0] !== 'vledger-attestation/v1') throw malformed('第一行不是 vledger-attestation/v1');
  const keys = kKeys.concat(lines.length === 14 ? kBenefitKeys : [], ['attestor', 'id-check']);
  const c = { origin: lines[1] };
  keys.forEach((k, i) => {
    const line = lines[i + 2];
    if (!line.startsWith(k + ' ') || line.length === k.length + 1) {
      throw malformed('第 ' + (i + 3) + ' 行不是 ' + k);
    }
    c[k] = line.slice(k.length + 1);
  });
  const date = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
  if (!date.test(c.issued) || !date.test(c['valid-until']) || c['valid-until'] < c.issued) {
    throw malformed('日期格式不对');
  }
  if (!/^[0-9a-f]{16}$/.test(c.attestor)) throw malformed('attestor 不是密钥编号');
  const m = /^([0-9a-f]{32}) ([0-9a-f]{4})$/.exec(c['id-check']);
  if (!m) throw malformed('id-check 格式不对');
  c.salt = fromHex(m[1]);
  c.check = m[2];
  return c;
}

// An 18-character ID-card number (GB 11643: 17 digits and a check
// character), its X upper-case; null when it is not one.
function idCardNumber(text) {
  const id = text.trim().toUpperCase();
  if (!/^[0-9]{17}[0-9X]$/.test(id)) return null;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * weights[i];
  return '10X98765432'[sum % 11] === id[17] ? id : null;
}

function lapsedTitle(from) {
  return '已失效（自第 ' + from + ' 条起）';
}

// The whole check; returns the certificate's fields when it is valid.
function checkCertificate(text, idCard, data, today) {
  const note = splitNote(normalize(text));
  const { attestor, name } = checkSignature(note, data);
  const c = parseBody(note.body);
  if (name !== c.origin) throw tampered('签名所用的名称 ' + name + ' 不是证明第二行 ' + c.origin);
  if (c.origin !== data.origin) throw otherCounty('证明签发自 ' + c.origin + '，本县为 ' + data.origin);
  if (c.attestor !== attestor.keyId) throw malformed('证明写的签发密钥 ' + c.attestor + ' 不是签名的密钥 ' + attestor.keyId);
  if (today > c['valid-until']) {
    throw new Refused('expired', '已过期', '有效期至 ' + c['valid-until'] + '，今天是 ' + today + '（北京时间）');
  }
  if (idCard.trim() !== '') {
    const id = idCardNumber(idCard);
    if (id === null) throw new Refused('id-card-bad', '身份证号码格式不对', '请核对 18 位号码');
    const check = toHex(sha256(concat(c.salt, enc.encode(id)))).slice(0, 4);
    if (check !== c.check) {
      throw new Refused('id-card', '身份证不符', '出示的身份证不是证明上的本人的');
    }
  }
  if (attestor.revokedSeq !== undefined) {
    throw new Refused('lapsed', lapsedTitle(attestor.revokedSeq), '签发证明的核验员密钥 ' + attestor.keyId + ' 已被吊销');
  }
  const hash = toHex(sha256(enc.encode(normalize(text))));
  const lapse = data.lapsed.find((l) => l.hash === hash);
  if (lapse) {
    const why = lapse.why === 'revoked' ? '证明已被签发单位吊销'
      : lapse.why === 'benefit' ? '礼遇 ' + c['benefit-name'] + '（' + c.benefit + '）已停止提供'
        : '本人信用等级已降为 ' + (lapse.grade || '无等级') + '，需 ' + lapse.least + ' 或以上';
    throw new Refused('lapsed', lapsedTitle(lapse.from), why);
  }
  c.attestorLabel = attestor.label;
  c.hash = hash;
  c.idChecked = idCard.trim() !== '';
  return c;
}

// ------------------------------------------------------------- the page

function showResult(ok, code, title, rows) {
  const box = document.getElementById('result');
  box.hidden = false;
  box.className = ok ? 'status ok' : 'status bad';
  box.dataset.result = code;
  box.textContent = title;
  const dl = document.getElementById('details');
  dl.textContent = '';
  for (const [k, v] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
  dl.hidden = rows.length === 0;
  document.body.dataset.result = code;
  box.scrollIntoView({ block: 'nearest' });
}

// A result shown stays with the text it was for: any change clears it.
function clearResult() {
  document.getElementById('result').hidden = true;
  document.getElementById('details').hidden = true;
  delete document.body.dataset.result;
}

// The site's data: attest.json, its checkpoint the one the page carries
// and signed by the county's key.
async function loadData() {
  const county = JSON.parse(document.getElementById('vcounty').textContent);
  const head = verifyCheckpoint(county.checkpoint, county.key, county.keyId);
  const response = await fetch('attest.json', { cache: 'no-cache' });
  if (!response.ok) throw new CheckFailed('本站数据', '无法读取 attest.json');
  const data = await response.json();
  if (data.checkpoint !== county.checkpoint || data.origin !== head.origin || data.size !== head.size) {
    throw new CheckFailed('本站数据', 'attest.json 与本页的检查点不符');
  }
  return data;
}

// The certificate a link carries: verify.html#c=BASE64URL(UTF-8 text).
// A fragment never reaches the server.
function fromFragment() {
  const m = /^#c=([A-Za-z0-9_-]+={0,2})$/.exec(location.hash);
  if (!m) return null;
  try {
    const bin = atob(m[1].replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0)));
  } catch (e) {
    return null;
  }
}

async function main() {
  let data = null;
  let dataError = null;
  try {
    data = await loadData();
  } catch (e) {
    dataError = e instanceof CheckFailed ? e.message : '本站数据无法读取：' + e;
  }
  const form = document.getElementById('verify');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (data === null) {
      showResult(false, 'site-data', '无法核验：' + dataError, []);
      return;
    }
    const text = document.getElementById('cert').value;
    const idCard = document.getElementById('idcard').value;
    const today = cstDate(Date.now());
    try {
      const c = checkCertificate(text, idCard, data, today);
      const rows = [['姓名', c.name], ['村民编号', c.resident], ['村', c.village], ['信用等级', c.grade]];
      if (c.benefit) rows.push(['礼遇', c['benefit-name'] + '（' + c.partner + '）']);
      rows.push(['有效期', c.issued + ' 至 ' + c['valid-until']]);
      rows.push(['签发', (c.attestorLabel || '核验员') + '（密钥 ' + c.attestor + '）']);
      rows.push(['身份证', c.idChecked ? '已核对，相符' : '未核对（可输入号码核对本人）']);
      rows.push(['吊销信息', '截至 ' + data.date + '（检查点 ' + data.size + ' 条）']);
      showResult(true, 'valid', '有效 ✓', rows);
    } catch (e) {
      if (e instanceof Refused) {
        showResult(false, e.code, '✗ ' + e.title, e.detail ? [['原因', e.detail]] : []);
      } else {
        showResult(false, 'error', '✗ 核验出错：' + e, []);
      }
    }
  });
  for (const id of ['cert', 'idcard']) document.getElementById(id).addEventListener('input', clearResult);
  const prefilled = fromFragment();
  if (prefilled !== null) {
    document.getElementById('cert').value = prefilled;
    form.requestSubmit();
  }
  document.body.dataset.ready = data === null ? 'no' : 'yes';
}

if (typeof document !== 'undefined') main();

export { checkCertificate, idCardNumber, normalize };
