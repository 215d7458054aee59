// Tests the Audit page's checkpoint verifier (src/console/assets/audit.js) against
// vectors made here: Ed25519 keys from node:crypto, an RFC 9162 tree and its
// consistency proofs built by the simple recursive definitions of the RFC, and the
// signed-note example of golang.org/x/mod/sumdb/note (also used by src/audit/note/tests.rs).
// Run with `node --test tests/console/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';

const SOURCE = readFileSync(new URL('../../src/console/assets/audit.js', import.meta.url), 'utf8');

// Runs the script with its own `globalThis`; `document`, `fetch` and `localStorage`
// shadow the real globals (undefined by default, as in a document-less environment).
function load({ document, fetch, localStorage } = {}) {
  const global = {};
  new Function('globalThis', 'document', 'fetch', 'localStorage', SOURCE)(global, document, fetch, localStorage);
  return global.SinergiAudit;
}

const audit = load();
const b64 = (bytes) => Buffer.from(bytes).toString('base64');
const sha = (...parts) => createHash('sha256').update(Buffer.concat(parts.map((p) => Buffer.from(p)))).digest();

// ---- keys and notes ------------------------------------------------------------------

function makeSigner(name) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url');
  const hash = sha(name, [0x0a, 0x01], raw).subarray(0, 4);
  const verifier = `${name}+${hash.toString('hex')}+${b64(Buffer.concat([Buffer.from([1]), raw]))}`;
  const signature = (text) => sign(null, Buffer.from(text), privateKey);
  const signatureLine = (text) => `\u2014 ${name} ${b64(Buffer.concat([hash, signature(text)]))}\n`;
  return { name, raw, hash, verifier, signature, signatureLine };
}

const checkpointText = (origin, size, root) => `${origin}\n${size}\n${b64(root)}\n`;
const signNote = (text, ...signers) => `${text}\n${signers.map((s) => s.signatureLine(text)).join('')}`;

async function rejects(promise, code) {
  await assert.rejects(promise, (e) => e.code === code, `expected ${code}`);
}

// ---- RFC 9162 Merkle tree (§2.1.1) and PROOF(m, D[n]) (§2.1.4.1) ----------------------

const leafData = (i, salt = '') => Buffer.from(`entry ${i}${salt}`);
const largestPowerOfTwoBelow = (n) => { let k = 1; while (k * 2 < n) k *= 2; return k; };

function mth(d) {
  if (d.length === 0) return sha([]);
  if (d.length === 1) return sha([0], d[0]);
  const k = largestPowerOfTwoBelow(d.length);
  return sha([1], mth(d.slice(0, k)), mth(d.slice(k)));
}

function subproof(m, d, b) {
  const n = d.length;
  if (m === n) return b ? [] : [mth(d)];
  const k = largestPowerOfTwoBelow(n);
  if (m <= k) return [...subproof(m, d.slice(0, k), b), mth(d.slice(k))];
  return [...subproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
}

const proof = (m, d) => subproof(m, d.slice(0, m === 0 ? 0 : d.length), true);

// ---- pure functions --------------------------------------------------------------------

test('base64 round-trips and rejects non-canonical spellings', () => {
  for (let n = 0; n < 40; n++) {
    const bytes = new Uint8Array(n).map((_, i) => (i * 37 + n) & 0xff);
    assert.equal(audit.b64encode(bytes), b64(bytes));
    assert.deepEqual([...audit.b64decode(b64(bytes))], [...bytes]);
  }
  for (const bad of ['QQ', 'QQ=', 'QR==', 'Q===', 'QUJD\n', 'QU JD', 'QUJ-', 'QUJ_', '====', 'QUJDR']) {
    assert.throws(() => audit.b64decode(bad), undefined, bad);
  }
});

test('parseVerifierKey checks the format and the key hash', async () => {
  const signer = makeSigner('sinergi/audit');
  const key = await audit.parseVerifierKey(signer.verifier);
  assert.equal(key.name, 'sinergi/audit');
  assert.equal(key.keyHash, signer.hash.readUInt32BE(0));
  assert.deepEqual([...key.publicKey], [...signer.raw]);
  assert.equal(key.text, signer.verifier);

  const [name, hash, data] = [signer.name, signer.hash.toString('hex'), signer.verifier.split('+').slice(2).join('+')];
  const other = makeSigner('sinergi/audit');
  const wrongHash = ((signer.hash.readUInt32BE(0) ^ 1) >>> 0).toString(16).padStart(8, '0');
  await rejects(audit.parseVerifierKey(`${name}+${wrongHash}+${data}`), 'key-hash');
  await rejects(audit.parseVerifierKey(`${name}+${hash}+${other.verifier.split('+').slice(2).join('+')}`), 'key-hash');
  await rejects(audit.parseVerifierKey(`sinergi/other+${hash}+${data}`), 'key-hash');
  const raw = signer.raw;
  for (const bad of [
    `${name}+${hash.toUpperCase()}+${data}`,
    `${name}+${hash.slice(1)}+${data}`,
    `+${hash}+${data}`,
    `sinergi audit+${hash}+${data}`,
    `${name}+${hash}`,
    `${name}+${hash}+${b64(Buffer.concat([Buffer.from([2]), raw]))}`, // another algorithm
    `${name}+${hash}+${b64(Buffer.concat([Buffer.from([1]), raw.subarray(1)]))}`, // 31 bytes
    `${name}+${hash}+${data}\n`, // the caller strips the newline
  ]) {
    await rejects(audit.parseVerifierKey(bad), 'key-malformed');
  }
});

test('verifyNote accepts the Go signed-note example', async () => {
  const key = await audit.parseVerifierKey('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
  const text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
  const sig = '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
  const enoch = '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';
  assert.equal(await audit.verifyNote(`${text}\n${sig}`, key), text);
  assert.equal(await audit.verifyNote(`${text}\n${sig}${enoch}`, key), text);
  await rejects(audit.verifyNote(`${text.replace('cryptography', 'cryptographY')}\n${sig}`, key), 'note-signature');
});

test('verifyNote: signatures, other keys and malformed notes', async () => {
  const signer = makeSigner('sinergi/audit');
  const key = await audit.parseVerifierKey(signer.verifier);
  const text = checkpointText('sinergi/audit', 2, sha('root'));
  const note = signNote(text, signer);
  assert.equal(await audit.verifyNote(note, key), text);

  // Signature lines of other keys are ignored, before or after ours.
  const witness = makeSigner('example.org/witness');
  assert.equal(await audit.verifyNote(signNote(text, witness, signer, makeSigner('x')), key), text);

  // Wrong signature: altered text, altered signature, a signature over other text.
  await rejects(audit.verifyNote(note.replace('\n2\n', '\n3\n'), key), 'note-signature');
  const blob = note.split('\n\n')[1].trim().split(' ')[2];
  const bytes = Buffer.from(blob, 'base64');
  bytes[10] ^= 1;
  await rejects(audit.verifyNote(`${text}\n\u2014 sinergi/audit ${b64(bytes)}\n`, key), 'note-signature');
  await rejects(audit.verifyNote(`${text}\n\u2014 sinergi/audit ${b64(bytes.subarray(0, 67))}\n`, key), 'note-signature');
  const otherText = checkpointText('sinergi/audit', 3, sha('root'));
  await rejects(audit.verifyNote(`${text}\n${signer.signatureLine(otherText)}`, key), 'note-signature');
  // Every line of our key must verify, not just one of them.
  await rejects(audit.verifyNote(`${text}\n${signer.signatureLine(text)}${signer.signatureLine(otherText)}`, key), 'note-signature');

  // A key of the same name but another key hash, or the same key under another name:
  // its lines are not ours, so the note is unsigned.
  const impostor = makeSigner('sinergi/audit');
  await rejects(audit.verifyNote(signNote(text, impostor), key), 'note-unsigned');
  await rejects(audit.verifyNote(signNote(text, witness), key), 'note-unsigned');
  const renamed = note.replace('\u2014 sinergi/audit ', '\u2014 sinergi/other ');
  await rejects(audit.verifyNote(renamed, key), 'note-unsigned');

  for (const bad of [
    text,                                                   // no signatures
    `${text}\n`,                                            // empty signature block
    note.slice(0, -1),                                      // unterminated
    note.replace('\u2014', '-'),                            // ASCII dash
    note.replace('\u2014 ', '\u2014'),                      // no space after the dash
    `${note}\u2014 other AAAA\n`,                           // signature too short
    `${note}\u2014 other !!!!!!!!\n`,                       // not base64
    `${note}\n`,                                            // trailing empty line
    note.replace('sinergi/audit\n', 'sinergi/audit\t\n'),   // control character
  ]) {
    await rejects(audit.verifyNote(bad, key), 'note-malformed');
  }
});

test('parseCheckpoint is strict', () => {
  const root = sha('root');
  const cp = audit.parseCheckpoint(checkpointText('sinergi/audit', 130, root));
  assert.equal(cp.origin, 'sinergi/audit');
  assert.equal(cp.size, 130);
  assert.deepEqual([...cp.root], [...root]);
  assert.equal(cp.rootBase64, b64(root));
  assert.deepEqual(audit.parseCheckpoint(`o\n0\n${b64(root)}\next one\n`).extensions, ['ext one']);
  for (const bad of [
    `o\n01\n${b64(root)}\n`, `o\n-1\n${b64(root)}\n`, `o\n1.0\n${b64(root)}\n`, `o\n\n${b64(root)}\n`,
    `o\n${2 ** 53}\n${b64(root)}\n`, `\n1\n${b64(root)}\n`, `o\n1\n${b64(root.subarray(1))}\n`,
    `o\n1\n${b64(root).replace('=', '')}\n`, `o\n1\n${b64(root)}`, `o\n1\n`, `o\n1\n${b64(root)}\n\n`,
  ]) {
    assert.throws(() => audit.parseCheckpoint(bad), (e) => e.code === 'checkpoint-malformed', JSON.stringify(bad));
  }
});

test('verifyConsistency accepts PROOF(m, D[n]) for all 1 ≤ m ≤ n ≤ 20 and rejects altered ones', async () => {
  const all = Array.from({ length: 20 }, (_, i) => leafData(i));
  const other = Array.from({ length: 20 }, (_, i) => leafData(i, i === 0 ? '!' : ''));
  const fake = sha('not a root');
  let checked = 0;
  for (let n = 1; n <= 20; n++) {
    const d = all.slice(0, n);
    const newRoot = mth(d);
    for (let m = 1; m <= n; m++) {
      const oldRoot = mth(all.slice(0, m));
      const p = proof(m, d);
      const ok = (mm, nn, o, r, pp) => audit.verifyConsistency(mm, nn, o, r, pp);
      assert.equal(await ok(m, n, oldRoot, newRoot, p), true, `PROOF(${m}, D[${n}])`);
      assert.equal(await ok(m, n, fake, newRoot, p), false, `wrong old root ${m},${n}`);
      assert.equal(await ok(m, n, oldRoot, fake, p), false, `wrong new root ${m},${n}`);
      assert.equal(await ok(m, n, mth(other.slice(0, m)), newRoot, p), false, `rewritten history ${m},${n}`);
      assert.equal(await ok(m, n, oldRoot, newRoot, [...p, fake]), false, `extra element ${m},${n}`);
      assert.equal(await ok(m, n, oldRoot, newRoot, [...p, p[0] ?? oldRoot]), false, `extra copy ${m},${n}`);
      if (m < n) {
        assert.equal(await ok(n, m, newRoot, oldRoot, p), false, `m > n ${n},${m}`);
        assert.equal(await ok(m, n, oldRoot, newRoot, p.slice(0, -1)), false, `truncated ${m},${n}`);
        assert.equal(await ok(m, n, oldRoot, newRoot, p.slice(1)), false, `first dropped ${m},${n}`);
        assert.equal(await ok(m, n, oldRoot, newRoot, []), false, `empty ${m},${n}`);
        assert.equal(await ok(m, n, oldRoot, newRoot, [...p].reverse()), p.length < 2, `reversed ${m},${n}`);
        for (let i = 0; i < p.length; i++) {
          const tampered = p.map((h) => Buffer.from(h));
          tampered[i][i % 32] ^= 0x80;
          assert.equal(await ok(m, n, oldRoot, newRoot, tampered), false, `tampered hash ${i} of ${m},${n}`);
        }
        if (n < 20) assert.equal(await ok(m, n + 1, oldRoot, mth(all.slice(0, n + 1)), p), false, `wrong size ${m},${n}`);
      } else {
        assert.equal(p.length, 0);
        assert.equal(await ok(m, n, oldRoot, newRoot, [oldRoot]), false, `non-empty proof at m = n = ${m}`);
      }
      checked++;
    }
  }
  assert.equal(checked, 210);
  // Size 0: an empty proof from the empty tree's root.
  assert.equal(await audit.verifyConsistency(0, 5, sha([]), mth(all.slice(0, 5)), []), true);
  assert.equal(await audit.verifyConsistency(0, 5, fake, mth(all.slice(0, 5)), []), false);
  assert.equal(await audit.verifyConsistency(0, 0, sha([]), sha([]), []), true);
  // Malformed input.
  const p = proof(3, all.slice(0, 7));
  assert.equal(await audit.verifyConsistency(3, 7, mth(all.slice(0, 3)), mth(all.slice(0, 7)), [p[0].subarray(1), ...p.slice(1)]), false);
  assert.equal(await audit.verifyConsistency(3.5, 7, mth(all.slice(0, 3)), mth(all.slice(0, 7)), p), false);
  assert.equal(await audit.verifyConsistency(-1, 7, mth(all.slice(0, 3)), mth(all.slice(0, 7)), p), false);
});

// ---- the page, in a fake document --------------------------------------------------------

// A fake server: a key, a tree of `leaves`, and options to misbehave.
function server({ signer, leaves, origin = 'sinergi/audit', down = false, proofOverride }) {
  const calls = [];
  const body = (status, text) => ({
    ok: status === 200, status,
    text: async () => text,
    json: async () => JSON.parse(text),
  });
  const fetch = async (url, options) => {
    calls.push(url);
    assert.deepEqual(options, { credentials: 'same-origin', cache: 'no-store' });
    if (down) throw new TypeError('Failed to fetch');
    const [path, query] = url.split('?');
    if (path === '/console/audit/public-key') return body(200, `${signer.verifier}\n`);
    if (path === '/console/audit/checkpoint') {
      return body(200, signNote(checkpointText(origin, leaves.length, mth(leaves)), signer));
    }
    if (path === '/console/audit/consistency') {
      const params = new URLSearchParams(query);
      const [from, to] = [Number(params.get('from')), Number(params.get('to'))];
      if (from < 1 || from > to || to > leaves.length) return body(400, '{}');
      const hashes = proof(from, leaves.slice(0, to)).map(b64);
      return body(200, JSON.stringify(proofOverride ? proofOverride({ from, to, hashes }) : { from, to, hashes }));
    }
    return body(404, '');
  };
  return { fetch, calls };
}

function storage(initial) {
  const map = new Map(initial === undefined ? [] : [['sinergi.audit.v1', JSON.stringify(initial)]]);
  return {
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => map.set(k, String(v)),
    get state() { return map.has('sinergi.audit.v1') ? JSON.parse(map.get('sinergi.audit.v1')) : undefined; },
  };
}

// Loads the script into a fake page and resolves when it has set `data-state`.
function visit({ lang = 'id', fetch, localStorage }) {
  return new Promise((resolve) => {
    const elements = {};
    const el = (id) => (elements[id] ??= { id, textContent: '', hidden: false, attributes: {} });
    const section = el('checkpoint');
    section.dataset = {
      lang, checkpointUrl: '/console/audit/checkpoint', keyUrl: '/console/audit/public-key',
      consistencyUrl: '/console/audit/consistency',
    };
    section.setAttribute = (name, value) => {
      section.attributes[name] = value;
      if (name === 'data-state') resolve({ state: value, text: (id) => elements[id].textContent, warning: elements['checkpoint-warning'] });
    };
    for (const id of ['checkpoint-status', 'checkpoint-size', 'checkpoint-root', 'checkpoint-key', 'checkpoint-previous']) el(id);
    el('checkpoint-warning').hidden = true;
    const document = {
      readyState: 'loading',
      getElementById: (id) => elements[id] ?? null,
      addEventListener: (type, listener) => { assert.equal(type, 'DOMContentLoaded'); setTimeout(listener, 0); },
    };
    load({ document, fetch, localStorage });
  });
}

const leaves = (n, salt) => Array.from({ length: n }, (_, i) => leafData(i, salt));

test('page: first visit, growth, no change', async () => {
  const signer = makeSigner('sinergi/audit');
  const store = storage();
  let page = await visit({ fetch: server({ signer, leaves: leaves(120) }).fetch, localStorage: store });
  assert.equal(page.state, 'first-visit');
  assert.equal(page.text('checkpoint-previous'), 'belum ada (kunjungan pertama)');
  assert.equal(page.text('checkpoint-size'), '120');
  assert.equal(page.text('checkpoint-root'), b64(mth(leaves(120))));
  assert.equal(page.text('checkpoint-key'), signer.verifier);
  assert.match(page.text('checkpoint-status'), /^Checkpoint terverifikasi: tanda tangan Ed25519 sah\./);
  assert.equal(page.warning.hidden, true);
  assert.deepEqual(store.state, { key: signer.verifier, size: 120, root: b64(mth(leaves(120))) });

  const srv = server({ signer, leaves: leaves(130) });
  page = await visit({ fetch: srv.fetch, localStorage: store });
  assert.equal(page.state, 'verified');
  assert.equal(page.text('checkpoint-status'),
    'Checkpoint terverifikasi: tanda tangan Ed25519 sah dan log hanya bertambah sejak checkpoint sebelumnya (ukuran 120 → 130).');
  assert.equal(page.text('checkpoint-previous'), '120');
  assert.ok(srv.calls.includes('/console/audit/consistency?from=120&to=130'));
  assert.equal(store.state.size, 130);

  page = await visit({ lang: 'en', fetch: server({ signer, leaves: leaves(130) }).fetch, localStorage: store });
  assert.equal(page.state, 'verified');
  assert.match(page.text('checkpoint-status'), /^Checkpoint verified: .*unchanged.*\(size 130\)\.$/);
  assert.equal(page.warning.hidden, true);
});

test('page: an empty log seen before extends without a proof request', async () => {
  const signer = makeSigner('sinergi/audit');
  const store = storage({ key: signer.verifier, size: 0, root: b64(sha([])) });
  const srv = server({ signer, leaves: leaves(3) });
  const page = await visit({ lang: 'en', fetch: srv.fetch, localStorage: store });
  assert.equal(page.state, 'verified');
  assert.ok(!srv.calls.some((u) => u.includes('consistency')));
  assert.equal(store.state.size, 3);
});

test('page: failures warn and keep what this browser saw', async () => {
  const signer = makeSigner('sinergi/audit');
  const seen = { key: signer.verifier, size: 10, root: b64(mth(leaves(10))) };
  const cases = [
    ['key changed', { signer: makeSigner('sinergi/audit'), leaves: leaves(12) }, /signing key has changed/],
    ['shrank', { signer, leaves: leaves(9) }, /log shrank: its size is now 9, .* size 10\./],
    ['fork', { signer, leaves: leaves(10, '!') }, /log forked: at size 10/],
    ['rewritten history', { signer, leaves: leaves(15, '!') }, /did not extend .* \(size 10 → 15\)/],
    ['tampered proof', { signer, leaves: leaves(15), proofOverride: (p) => ({ ...p, hashes: [b64(sha('x')), ...p.hashes.slice(1)] }) }, /did not extend/],
    ['proof for other sizes', { signer, leaves: leaves(15), proofOverride: (p) => ({ ...p, from: 9 }) }, /did not extend/],
    ['proof not base64', { signer, leaves: leaves(15), proofOverride: (p) => ({ ...p, hashes: ['!'] }) }, /did not extend/],
    ['network down', { signer, leaves: leaves(15), down: true }, /could not be fetched/],
  ];
  for (const [name, options, message] of cases) {
    const store = storage(seen);
    const page = await visit({ lang: 'en', fetch: server(options).fetch, localStorage: store });
    assert.equal(page.state, 'failed', name);
    assert.equal(page.warning.hidden, false, name);
    assert.match(page.warning.textContent, message, name);
    assert.equal(page.text('checkpoint-status'), 'Checkpoint verification failed. See the warning below.', name);
    assert.equal(page.text('checkpoint-previous'), '10', name);
    assert.deepEqual(store.state, seen, name);
  }
});

test('page: a bad signature fails even on a first visit, in Indonesian', async () => {
  const signer = makeSigner('sinergi/audit');
  const impostor = makeSigner('sinergi/audit');
  const srv = server({ signer, leaves: leaves(4) });
  const fetch = async (url, options) => {
    const response = await srv.fetch(url, options);
    if (!url.endsWith('/checkpoint')) return response;
    const text = checkpointText('sinergi/audit', 4, mth(leaves(4)));
    // Our key's name and key hash, but the impostor's signature.
    const line = `\u2014 sinergi/audit ${b64(Buffer.concat([signer.hash, impostor.signature(text)]))}\n`;
    return { ...response, text: async () => `${text}\n${line}` };
  };
  const store = storage();
  const page = await visit({ fetch, localStorage: store });
  assert.equal(page.state, 'failed');
  assert.equal(page.text('checkpoint-size'), '');
  assert.match(page.warning.textContent, /^Tanda tangan Ed25519 pada checkpoint tidak sah/);
  assert.equal(store.state, undefined);
});
