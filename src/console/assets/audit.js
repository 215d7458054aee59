// Sinergi console, Audit page: verifies the audit log's signed checkpoint in the
// browser, so the operator's server is not the only one vouching for the log.
//
// The checkpoint is a C2SP signed note (c2sp.org/signed-note, c2sp.org/tlog-checkpoint)
// over an RFC 9162 Merkle tree. This browser remembers the last checkpoint it verified
// (trust on first use) and on each visit checks that the log only grew since then,
// with an RFC 9162 consistency proof. A key change, a shrink or a fork is shown as a
// warning and never overwrites what was remembered, so the warning persists.
//
// Loaded with `defer` under a strict CSP: no eval, no inline style, text via textContent.
(function () {
  'use strict';

  const SIGNATURE_PREFIX = '\u2014 '; // em dash and space, as the spec requires
  const ALG_ED25519 = 0x01;
  const MAX_SIGNATURES = 100; // bounds the work a hostile note can cause
  const STORAGE_KEY = 'sinergi.audit.v1';

  // Failures carry a code; the page turns codes into sentences in its language.
  class AuditError extends Error {
    constructor(code) { super(code); this.name = 'AuditError'; this.code = code; }
  }

  // ---- bytes and base64 -----------------------------------------------------------

  function b64encode(bytes) {
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    return btoa(binary);
  }

  // Strict: padded standard base64 in its one canonical spelling, like the server's
  // decoder, so two texts of the same checkpoint cannot differ.
  function b64decode(text) {
    if (typeof text !== 'string' ||
        !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) {
      throw new AuditError('base64');
    }
    const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    if (b64encode(bytes) !== text) throw new AuditError('base64'); // non-zero pad bits
    return bytes;
  }

  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return out;
  }

  function equal(a, b) {
    if (a.length !== b.length) return false;
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
    return diff === 0;
  }

  async function sha256(bytes) {
    return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  }

  const utf8 = (text) => new TextEncoder().encode(text);
  const validName = (name) => name.length > 0 && !/[\s+]/.test(name);

  // ---- signed note ----------------------------------------------------------------

  // `<name>+<key hash hex>+<base64(0x01 ‖ Ed25519 key)>`, without the trailing newline.
  // The key hash is recomputed: it is what ties signature lines to this key.
  async function parseVerifierKey(text) {
    const first = text.indexOf('+');
    const second = text.indexOf('+', first + 1);
    if (first < 0 || second < 0) throw new AuditError('key-malformed');
    const name = text.slice(0, first);
    const hashHex = text.slice(first + 1, second);
    let data;
    try { data = b64decode(text.slice(second + 1)); } catch { throw new AuditError('key-malformed'); }
    if (!validName(name) || !/^[0-9a-f]{8}$/.test(hashHex) ||
        data.length !== 33 || data[0] !== ALG_ED25519) {
      throw new AuditError('key-malformed');
    }
    const publicKey = data.slice(1);
    const digest = await sha256(concat(utf8(name), Uint8Array.of(0x0a, ALG_ED25519), publicKey));
    const keyHash = new DataView(digest.buffer).getUint32(0);
    if (keyHash !== parseInt(hashHex, 16)) throw new AuditError('key-hash');
    return { name, keyHash, publicKey, text };
  }

  // Returns the signed text (ending in its newline). Signature lines of other keys are
  // skipped, as the spec says; every line of this key must verify, and one must exist.
  async function verifyNote(note, key) {
    if (/[\x00-\x09\x0b-\x1f]/.test(note)) throw new AuditError('note-malformed');
    const split = note.lastIndexOf('\n\n');
    if (split < 0 || !note.endsWith('\n')) throw new AuditError('note-malformed');
    const text = note.slice(0, split + 1);
    const lines = note.slice(split + 2, -1).split('\n');
    if (lines.length > MAX_SIGNATURES) throw new AuditError('note-malformed');
    let cryptoKey;
    try {
      cryptoKey = await crypto.subtle.importKey('raw', key.publicKey, { name: 'Ed25519' }, false, ['verify']);
    } catch { throw new AuditError('key-malformed'); }
    let verified = false;
    for (const line of lines) {
      const space = line.indexOf(' ', SIGNATURE_PREFIX.length);
      if (!line.startsWith(SIGNATURE_PREFIX) || space < 0) throw new AuditError('note-malformed');
      const name = line.slice(SIGNATURE_PREFIX.length, space);
      let blob;
      try { blob = b64decode(line.slice(space + 1)); } catch { throw new AuditError('note-malformed'); }
      if (!validName(name) || blob.length < 5) throw new AuditError('note-malformed');
      const hash = new DataView(blob.buffer).getUint32(0);
      if (name !== key.name || hash !== key.keyHash) continue;
      const ok = blob.length === 68 &&
        await crypto.subtle.verify({ name: 'Ed25519' }, cryptoKey, blob.slice(4), utf8(text));
      if (!ok) throw new AuditError('note-signature');
      verified = true;
    }
    if (!verified) throw new AuditError('note-unsigned');
    return text;
  }

  // The checkpoint text: origin, tree size, base64 root, then optional extension lines.
  function parseCheckpoint(text) {
    const lines = text.split('\n');
    if (lines.pop() !== '' || lines.length < 3) throw new AuditError('checkpoint-malformed');
    const [origin, sizeText, rootText, ...extensions] = lines;
    // Canonical decimal only, and small enough for exact arithmetic in JavaScript.
    const size = /^(?:0|[1-9][0-9]*)$/.test(sizeText) ? Number(sizeText) : NaN;
    let root;
    try { root = b64decode(rootText); } catch { root = null; }
    if (origin === '' || !Number.isSafeInteger(size) || !root || root.length !== 32 ||
        extensions.some((line) => line === '')) {
      throw new AuditError('checkpoint-malformed');
    }
    return { origin, size, root, rootBase64: rootText, extensions };
  }

  // ---- RFC 9162 consistency -------------------------------------------------------

  // RFC 9162 §2.1.4.2, with the server's conventions for what the RFC leaves out:
  // equal sizes need an empty proof and equal roots; size 0 needs an empty proof and
  // the empty tree's root. Sizes may exceed 2^32, so bit operations are done with
  // arithmetic rather than JavaScript's 32-bit operators.
  async function verifyConsistency(m, n, oldRoot, newRoot, proof) {
    if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 0 || m > n) return false;
    if (proof.some((h) => h.length !== 32) || oldRoot.length !== 32 || newRoot.length !== 32) return false;
    if (m === n) return proof.length === 0 && equal(oldRoot, newRoot);
    if (m === 0) return proof.length === 0 && equal(oldRoot, await sha256(new Uint8Array(0)));
    if (proof.length === 0) return false;
    const odd = (x) => x % 2 === 1;
    const half = (x) => Math.floor(x / 2);
    const node = (l, r) => sha256(concat(Uint8Array.of(0x01), l, r));
    // If m is a power of two the old root is a node of the new tree, so it is omitted.
    let x = m;
    while (x % 2 === 0) x /= 2;
    const path = x === 1 ? [oldRoot, ...proof] : proof;
    let fn = m - 1;
    let sn = n - 1;
    while (odd(fn)) { fn = half(fn); sn = half(sn); }
    let fr = path[0];
    let sr = path[0];
    for (const c of path.slice(1)) {
      if (sn === 0) return false;
      if (odd(fn) || fn === sn) {
        fr = await node(c, fr);
        sr = await node(c, sr);
        while (!odd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); }
      } else {
        sr = await node(sr, c);
      }
      fn = half(fn);
      sn = half(sn);
    }
    return sn === 0 && equal(fr, oldRoot) && equal(sr, newRoot);
  }

  globalThis.SinergiAudit = { parseVerifierKey, verifyNote, parseCheckpoint, verifyConsistency, b64decode, b64encode };

  // ---- the page -------------------------------------------------------------------

  const TEXT = {
    id: {
      none: 'belum ada (kunjungan pertama)',
      first: 'Checkpoint terverifikasi: tanda tangan Ed25519 sah. Ini kunjungan pertama dari peramban ini, jadi belum ada checkpoint sebelumnya untuk dibandingkan; checkpoint ini disimpan untuk kunjungan berikutnya.',
      grew: 'Checkpoint terverifikasi: tanda tangan Ed25519 sah dan log hanya bertambah sejak checkpoint sebelumnya (ukuran {old} → {new}).',
      same: 'Checkpoint terverifikasi: tanda tangan Ed25519 sah dan log tidak berubah sejak checkpoint sebelumnya (ukuran {new}).',
      failed: 'Verifikasi checkpoint gagal. Lihat peringatan di bawah.',
      fetch: 'Checkpoint atau kunci verifikasi log tidak dapat diambil dari server, jadi checkpoint tidak dapat diverifikasi. Coba muat ulang halaman.',
      'proof-fetch': 'Bukti konsistensi dari ukuran {old} ke {new} tidak dapat diambil dari server, jadi tidak dapat dipastikan bahwa log hanya bertambah. Coba muat ulang halaman.',
      'key-malformed': 'Kunci verifikasi log tidak valid: formatnya tidak dapat dibaca.',
      'key-hash': 'Kunci verifikasi log tidak valid: hash kuncinya tidak cocok dengan kunci publiknya.',
      'note-malformed': 'Checkpoint tidak valid: catatan bertanda tangan tidak dapat dibaca.',
      'note-unsigned': 'Checkpoint tidak ditandatangani dengan kunci log.',
      'note-signature': 'Tanda tangan Ed25519 pada checkpoint tidak sah: checkpoint mungkin telah diubah.',
      'checkpoint-malformed': 'Checkpoint tidak valid: ukuran pohon atau hash akarnya tidak dapat dibaca.',
      'key-changed': 'Kunci penandatangan log telah berubah sejak kunjungan sebelumnya dari peramban ini. Checkpoint baru tidak disimpan; tanyakan kepada pengelola log apakah pergantian kunci ini memang disengaja.',
      shrank: 'Log menyusut: ukurannya sekarang {new}, padahal peramban ini sebelumnya melihat ukuran {old}. Log audit seharusnya hanya bertambah.',
      fork: 'Log bercabang: pada ukuran {new}, hash akarnya berbeda dari yang sebelumnya dilihat peramban ini. Isi log telah diubah.',
      inconsistent: 'Log tidak memperpanjang checkpoint yang sebelumnya dilihat peramban ini (ukuran {old} → {new}): bukti konsistensi tidak sah, sehingga entri lama mungkin telah diubah atau dihapus.',
      unexpected: 'Checkpoint tidak dapat diverifikasi di peramban ini.',
    },
    en: {
      none: 'none (first visit)',
      first: 'Checkpoint verified: the Ed25519 signature is valid. This is the first visit from this browser, so there is no earlier checkpoint to compare with; this one is saved for the next visit.',
      grew: 'Checkpoint verified: the Ed25519 signature is valid and the log has only grown since the previous checkpoint (size {old} → {new}).',
      same: 'Checkpoint verified: the Ed25519 signature is valid and the log is unchanged since the previous checkpoint (size {new}).',
      failed: 'Checkpoint verification failed. See the warning below.',
      fetch: 'The checkpoint or the log\'s verifier key could not be fetched from the server, so the checkpoint could not be verified. Try reloading the page.',
      'proof-fetch': 'The consistency proof from size {old} to {new} could not be fetched from the server, so it could not be confirmed that the log only grew. Try reloading the page.',
      'key-malformed': 'The log\'s verifier key is invalid: its format could not be read.',
      'key-hash': 'The log\'s verifier key is invalid: its key hash does not match its public key.',
      'note-malformed': 'The checkpoint is invalid: the signed note could not be read.',
      'note-unsigned': 'The checkpoint is not signed with the log\'s key.',
      'note-signature': 'The Ed25519 signature on the checkpoint is invalid: the checkpoint may have been altered.',
      'checkpoint-malformed': 'The checkpoint is invalid: its tree size or root hash could not be read.',
      'key-changed': 'The log\'s signing key has changed since this browser\'s previous visit. The new checkpoint was not saved; ask the log\'s operator whether this key change was intended.',
      shrank: 'The log shrank: its size is now {new}, but this browser previously saw size {old}. An audit log should only grow.',
      fork: 'The log forked: at size {new}, its root hash differs from the one this browser saw before. The log\'s contents were changed.',
      inconsistent: 'The log did not extend the checkpoint this browser saw before (size {old} → {new}): the consistency proof is invalid, so earlier entries may have been changed or removed.',
      unexpected: 'The checkpoint could not be verified in this browser.',
    },
  };

  // A missing or unreadable record (storage disabled, or written by something else)
  // counts as a first visit: nothing trustworthy to compare with.
  function loadState() {
    try {
      const s = JSON.parse(localStorage.getItem(STORAGE_KEY));
      if (s && typeof s.key === 'string' && Number.isSafeInteger(s.size) && s.size >= 0 &&
          b64decode(s.root).length === 32) return s;
    } catch { /* treated as absent */ }
    return null;
  }

  function saveState(state) {
    try { localStorage.setItem(STORAGE_KEY, JSON.stringify(state)); } catch { /* storage disabled */ }
  }

  async function get(url, parse) {
    let response;
    try {
      response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
    } catch { throw new AuditError('fetch'); }
    if (!response.ok) throw new AuditError('fetch');
    return parse(response);
  }

  async function run(section) {
    const lang = section.dataset.lang === 'en' ? 'en' : 'id';
    const vars = {};
    const say = (code) => (TEXT[lang][code] || TEXT[lang].unexpected)
      .replace(/\{(\w+)\}/g, (_, name) => String(vars[name]));
    const show = (id, text) => { document.getElementById(id).textContent = text; };
    const stored = loadState();
    show('checkpoint-previous', stored ? String(stored.size) : say('none'));
    try {
      const [keyText, note] = await Promise.all([
        get(section.dataset.keyUrl, (r) => r.text()),
        get(section.dataset.checkpointUrl, (r) => r.text()),
      ]);
      const key = await parseVerifierKey(keyText.replace(/\n$/, ''));
      show('checkpoint-key', key.text);
      const checkpoint = parseCheckpoint(await verifyNote(note, key));
      show('checkpoint-size', String(checkpoint.size));
      show('checkpoint-root', checkpoint.rootBase64);
      const current = { key: key.text, size: checkpoint.size, root: checkpoint.rootBase64 };
      vars.new = checkpoint.size;
      if (!stored) {
        saveState(current);
        return finish('first-visit', say('first'));
      }
      vars.old = stored.size;
      if (stored.key !== key.text) throw new AuditError('key-changed');
      if (stored.size > checkpoint.size) throw new AuditError('shrank');
      let proof = [];
      // The server proves only from size 1 up; an empty tree is a prefix of any tree.
      if (stored.size > 0 && stored.size < checkpoint.size) {
        const url = section.dataset.consistencyUrl +
          (section.dataset.consistencyUrl.includes('?') ? '&' : '?') +
          `from=${stored.size}&to=${checkpoint.size}`;
        const body = await get(url, (r) => r.json()).catch((e) => {
          throw new AuditError(e.code === 'fetch' ? 'proof-fetch' : 'inconsistent');
        });
        // A proof for other sizes, or unreadable hashes, proves nothing.
        if (!body || body.from !== stored.size || body.to !== checkpoint.size ||
            !Array.isArray(body.hashes)) throw new AuditError('inconsistent');
        try { proof = body.hashes.map(b64decode); } catch { throw new AuditError('inconsistent'); }
      }
      if (!await verifyConsistency(stored.size, checkpoint.size, b64decode(stored.root), checkpoint.root, proof)) {
        throw new AuditError(stored.size === checkpoint.size ? 'fork' : 'inconsistent');
      }
      saveState(current);
      return finish('verified', say(stored.size === checkpoint.size ? 'same' : 'grew'));
    } catch (error) {
      // Only our own failures have a sentence; anything else (e.g. a browser without
      // Ed25519 in WebCrypto) gets a general one, never a stack trace.
      const warning = document.getElementById('checkpoint-warning');
      warning.textContent = say(error instanceof AuditError ? error.code : 'unexpected');
      warning.hidden = false;
      return finish('failed', say('failed'));
    }

    function finish(state, status) {
      show('checkpoint-status', status);
      section.setAttribute('data-state', state);
    }
  }

  if (typeof document !== 'undefined') {
    const start = () => {
      const section = document.getElementById('checkpoint');
      if (section) run(section);
      // The trail page's print button: a script, since the CSP allows no inline handler.
      const print = document.getElementById('cetak');
      if (print) print.addEventListener('click', () => window.print());
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
    else start();
  }
})();

