// The JavaScript half of src/wasm/encode.rs: builds plain objects from the tagged byte stream
// the module wrote and the one string holding every string in it, in order. The format is
// documented in encode.rs.
//
// The reader's state is module-level, so a call makes no closures. The stream is copied out of
// the module's memory first: assigning a property can run a setter a page put on
// Object.prototype, that setter can call formseal again, and a call that grows the memory
// detaches every view of it. Such a nested call saves and restores the outer call's state.

const EMPTY = new Uint8Array(0);
const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);
/** @type {Uint8Array} */
let bytes = EMPTY;
let text = "";
let at = 0;
let cursor = 0;
let depth = 0;
let scratch = EMPTY;

function u32() {
  const n = (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
  at += 4;
  return n;
}

function str() {
  const n = u32();
  const s = text.slice(cursor, cursor + n);
  cursor += n;
  return s;
}

/**
 * Property names seen before, each kept as one string: a name V8 has already made a property
 * key (internalised) is a fast store, a new string with the same characters is a slow one. The
 * names are the result types' and the forms' field names; the cache stops growing at its cap.
 * @type {Map<string, string>}
 */
const names = new Map();
const NAMES_AT_MOST = 4096;

function name() {
  const s = str();
  const known = names.get(s);
  if (known !== undefined) return known;
  if (names.size < NAMES_AT_MOST) names.set(s, s);
  return s;
}

/** @returns {unknown} */
function value() {
  switch (bytes[at++]) {
    case 0:
      return null;
    case 1:
      return false;
    case 2:
      return true;
    case 3:
      F64_BYTES.set(bytes.subarray(at, at + 8));
      at += 8;
      return F64[0];
    case 4:
      return str();
    case 5: {
      const n = u32();
      const array = new Array(n);
      for (let i = 0; i < n; i++) array[i] = value();
      return array;
    }
    case 6: {
      const n = u32();
      /** @type {Record<string, unknown>} */
      const object = {};
      for (let i = 0; i < n; i++) {
        const key = name();
        const v = value();
        // An own property named "__proto__", never the object's prototype.
        if (key === "__proto__") Object.defineProperty(object, key, { value: v, writable: true, enumerable: true, configurable: true });
        else object[key] = v;
      }
      return object;
    }
    default:
      throw new Error("formseal: a result could not be decoded");
  }
}

/**
 * @param {Uint8Array} tags the stream, a view of the module's memory
 * @param {string} strings every string of the value, in order
 * @returns {unknown}
 */
export function decode(tags, strings) {
  const outer = depth > 0 ? { bytes, text, at, cursor } : null;
  depth++;
  if (outer) {
    bytes = tags.slice();
  } else {
    // One buffer kept between calls: a copy per call (a new ArrayBuffer) costs the garbage
    // collector more than the copying.
    if (scratch.length < tags.length) scratch = new Uint8Array(Math.max(tags.length, 2 * scratch.length, 4096));
    scratch.set(tags);
    bytes = scratch;
  }
  text = strings;
  at = 0;
  cursor = 0;
  try {
    return value();
  } finally {
    depth--;
    if (outer) ({ bytes, text, at, cursor } = outer);
    else {
      bytes = EMPTY;
      text = "";
      // A very large result does not keep its memory for the calls after it.
      if (scratch.length > 1 << 20) scratch = EMPTY;
    }
  }
}
