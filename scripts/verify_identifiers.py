#!/usr/bin/env python3
"""Independent cross-check of formseal's identifier checks (a MANUAL check, not part of `make test`).

What it does
    Generates thousands of values (random valid codes built with an independent re-implementation
    of the algorithms in shared/REFERENCE.md, mutations of them, hand-written edge cases and a few
    values published on real websites), runs them through `formseal check <kind>` in stdin batch
    mode at two clock settings (--now 2005-06-01T10:00:00+08:00 and 2026-11-23T10:00:00+08:00)
    and compares every answer with what REFERENCE.md's policies require.  It also runs the same
    values through other public implementations (python-stdnum, the npm packages id-validator,
    idcard and tr46, Node's URL, Python's ipaddress and the `idna` package) and lists where they
    differ, for information only: REFERENCE.md is the judge, not those libraries.

How to run
    CARGO_TARGET_DIR=/tmp/target-verify cargo build --features cli
    python3 -m venv /tmp/venv-verify && /tmp/venv-verify/bin/pip install python-stdnum idna
    (cd /tmp/npm-verify && npm init -y && npm install id-validator idcard tr46)     # optional
    /tmp/venv-verify/bin/python scripts/verify_identifiers.py \
        [--bin /tmp/target-verify/debug/formseal] [--node-modules /tmp/npm-verify/node_modules] \
        [--seed 1] [--n 2000] [--out /tmp/verify-report.json]

    pip packages: python-stdnum, idna (both optional: comparisons are skipped when missing).
    npm packages: id-validator (also the source of the GB/T 2260 address codes used to build IDs),
    idcard, tr46 (optional; without id-validator a built-in short list of address codes is used).
    No network access is needed at run time.  Exit status 1 when formseal disagrees with the
    policy oracle on any value, else 0.
"""

import argparse
import ipaddress
import json
import os
import random
import re
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict

NOWS = ["2005-06-01T10:00:00+08:00", "2026-11-23T10:00:00+08:00"]
TODAY = {NOWS[0]: (2005, 6, 1), NOWS[1]: (2026, 11, 23)}

# ---------------------------------------------------------------------------------------------
# Normalisation as REFERENCE.md describes it (trim, full-width -> half-width, upper, drop blanks
# and hyphens).
# ---------------------------------------------------------------------------------------------


def fw2hw(s):
    out = []
    for ch in s:
        o = ord(ch)
        if 0xFF01 <= o <= 0xFF5E:
            out.append(chr(o - 0xFEE0))
        elif o == 0x3000:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


# Invisible formatting characters that copying from a web page or a PDF carries into a field
# (zero-width space and joiners, word joiner, BOM, soft hyphen): formseal drops them in codes
# (src/ident/normalize.rs), as the person cannot see them to delete them.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


def norm_code(s):
    s = fw2hw("".join(ch for ch in s if ch not in INVISIBLE).strip()).upper()
    return "".join(ch for ch in s if ch not in " \t-")


# ---------------------------------------------------------------------------------------------
# USCC (GB 32100-2015) and organisation code (GB 11714-1997)
# ---------------------------------------------------------------------------------------------
USCC_ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
# Authority -> categories, GB 32100-2015 table 1 (checked against several public tables).
USCC_PAIRS = {"1": "1239", "2": "19", "3": "123459", "4": "19", "5": "1239", "6": "129",
              "7": "129", "8": "19", "9": "123", "A": "19", "N": "1239", "Y": "1"}
ORG_W = [3, 7, 9, 10, 5, 8, 4, 2]
ORG_ALPHA = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def uscc_check(first17):
    s = sum(USCC_ALPHA.index(c) * w for c, w in zip(first17, USCC_W))
    return USCC_ALPHA[(31 - s % 31) % 31]


def org_check(body):
    s = sum(ORG_ALPHA.index(c) * w for c, w in zip(body, ORG_W))
    c = 11 - s % 11
    return "X" if c == 10 else ("0" if c == 11 else str(c))


def oracle_uscc(raw):
    v = norm_code(raw)
    if len(v) != 18 or any(c not in USCC_ALPHA for c in v):
        return False, None, "length/alphabet"
    if v[0] not in USCC_PAIRS or v[1] not in USCC_PAIRS[v[0]]:
        return False, None, "authority/category"
    if uscc_check(v[:17]) != v[17]:
        return False, None, "check character"
    return True, v, ""


def oracle_org(raw):
    v = norm_code(raw)
    if len(v) != 9 or any(c not in ORG_ALPHA for c in v[:8]) or v[8] not in "0123456789X":
        return False, None, "length/alphabet"
    if org_check(v[:8]) != v[8]:
        return False, None, "check character"
    if v.startswith("PDY") and v[3:8].isdigit() and 1 <= int(v[3:8]) <= 99999:
        return False, None, "reserved PDY"
    return True, v, ""


# ---------------------------------------------------------------------------------------------
# Resident ID (GB 11643-1999)
# ---------------------------------------------------------------------------------------------
RIC_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
RIC_MAP = "10X98765432"
PROVINCES = ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
             "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
             "63", "64", "65", "71", "81", "82", "83"]


def ric_check(first17):
    return RIC_MAP[sum(int(c) * w for c, w in zip(first17, RIC_W)) % 11]


def is_leap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def real_date(y, m, d):
    if not (1 <= m <= 12) or d < 1:
        return False
    days = [31, 29 if is_leap(y) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    return d <= days


def oracle_ric(raw, now):
    v = norm_code(raw)
    legacy = False
    if len(v) == 15 and v.isdigit():
        legacy = True
        v17 = v[:6] + "19" + v[6:]
        v = v17 + ric_check(v17)
    if len(v) != 18 or not v[:17].isdigit() or v[17] not in "0123456789X":
        return False, None, "length/alphabet"
    if v[:2] not in PROVINCES:
        return False, None, "province"
    y, m, d = int(v[6:10]), int(v[10:12]), int(v[12:14])
    if not real_date(y, m, d) or y < 1800 or (y, m, d) > TODAY[now]:
        return False, None, "birth date"
    if not legacy and ric_check(v[:17]) != v[17]:
        return False, None, "check character"
    return True, v, "legacy" if legacy else ""


# ---------------------------------------------------------------------------------------------
# Mobile / landline
# ---------------------------------------------------------------------------------------------


def phone_digits(raw):
    s = fw2hw(raw.strip())
    s = "".join(ch for ch in s if ch not in " -\t")
    return s


def oracle_mobile(raw):
    s = phone_digits(raw)
    if s.startswith("+86"):
        s = s[3:]
    elif s.startswith("0086"):
        s = s[4:]
    if len(s) == 11 and s.isdigit() and s[0] == "1" and s[1] in "3456789":
        return True, s, ""
    return False, None, "not 1[3-9]+9 digits"


TWO_DIGIT_AREAS = ["10"] + [str(20 + i) for i in range(10)]


# National short service numbers (REFERENCE.md, "Forms seen in real filings"): 5 digits.
SHORT_PREFIXES = ("12", "100", "95", "96")


def oracle_phone(raw):
    """A phone number, or (REFERENCE.md, "Forms seen in real filings") a complete landline or
    400/800 line followed by a hyphen and a 1-6 digit extension (`010-12345678-801`)."""
    ok, n, why = oracle_phone_number(raw)
    if ok is False:
        m = re.fullmatch(r"(.*\S)\s*-\s*(\d+)", fw2hw(raw.strip()))
        if m:
            ok2, n2, why2 = oracle_phone_number(m.group(1))
            if ok2 and why2 in ("", "service"):
                if len(m.group(2)) <= 6:
                    return True, n2, "hyphen extension"
                return False, None, "extension longer than 6 digits"
    return ok, n, why


def oracle_phone_number(raw):
    s = phone_digits(raw)
    if len(s) == 5 and s.isdigit() and s.startswith(SHORT_PREFIXES):
        return True, s, "short number (warning)"
    if s.startswith("+86") or s.startswith("(") or ")" in s:
        return None, None, "+86 / parentheses in a landline (policy silent)"
    if not s.isdigit():
        return False, None, "characters"
    if s[:3] in ("400", "800"):
        return (len(s) == 10), s, "service"
    if s[0] != "0":
        return None, None, "not a landline (mobile? policy silent for this kind)"
    rest = s[1:]
    area_len = 2 if rest[:2] in TWO_DIGIT_AREAS else 3
    if rest[:1] in ("1", "2") and rest[:2] not in TWO_DIGIT_AREAS:
        return None, None, "unknown area code"
    local = rest[area_len:]
    if len(local) in (7, 8) and local[0] not in "01":
        return True, s, ""
    if len(local) in (7, 8):
        return None, None, "local number starting 0/1 (policy silent)"
    return False, None, "length"


# ---------------------------------------------------------------------------------------------
# 公安联网备案号 and ICP numbers
# ---------------------------------------------------------------------------------------------
PSB = {"京": "11", "津": "12", "冀": "13", "晋": "14", "蒙": "15", "辽": "21", "吉": "22", "黑": "23",
       "沪": "31", "苏": "32", "浙": "33", "皖": "34", "闽": "35", "赣": "36", "鲁": "37", "豫": "41",
       "鄂": "42", "湘": "43", "粤": "44", "桂": "45", "琼": "46", "渝": "50", "川": "51", "贵": "52",
       "黔": "52", "滇": "53", "藏": "54", "陕": "61", "甘": "62", "青": "63", "宁": "64", "新": "65"}
ICP_ABBR = ["京", "津", "冀", "晋", "蒙", "辽", "吉", "黑", "沪", "苏", "浙", "皖", "闽", "赣", "鲁", "豫",
            "鄂", "湘", "粤", "桂", "琼", "渝", "蜀", "黔", "滇", "藏", "陕", "陇", "青", "宁", "新"]

# ---------------------------------------------------------------------------------------------
# Domains: strict UTS #46 via tr46 (node), then the registry rules of REFERENCE.md (in Python).
# ---------------------------------------------------------------------------------------------
CN_TLDS = {"cn", "xn--fiqs8s", "xn--fiqz9s"}


def script_of(ch):
    if ch.isascii():
        return "Latin" if ch.isalpha() else None
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "Unknown"
    for key, sc in (("CJK UNIFIED IDEOGRAPH", "Han"), ("CJK COMPATIBILITY IDEOGRAPH", "Han"),
                    ("LATIN", "Latin"), ("CYRILLIC", "Cyrillic"), ("GREEK", "Greek"),
                    ("HIRAGANA", "Hiragana"), ("KATAKANA", "Katakana"), ("HANGUL", "Hangul"),
                    ("ARABIC", "Arabic"), ("HEBREW", "Hebrew"), ("THAI", "Thai")):
        if name.startswith(key):
            return sc
    if unicodedata.category(ch).startswith("N"):
        return None
    return "Other"


def is_emoji(ch):
    o = ord(ch)
    return (0x1F000 <= o <= 0x1FAFF or 0x2600 <= o <= 0x27BF or 0x2B00 <= o <= 0x2BFF
            or o in (0x2764, 0x263A, 0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122))


# RFC 5892 exceptions (PVALID or CONTEXTO) among the symbol/punctuation/number categories.
IDNA2008_EXCEPTIONS = "\u00b7\u0375\u05f3\u05f4\u06fd\u06fe\u0f0b\u3007\u30fb"
IDNA2008_SYMBOL_CATEGORIES = {"Sm", "Sc", "Sk", "So", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Me",
                              "Nl", "No"}


def is_idna2008_symbol(ch):
    """REFERENCE.md: symbols (currency signs, arrows, dingbats, ∞) are refused by IDNA2008 (RFC 5892
    DISALLOWED by general category, or in its IgnorableBlocks)."""
    if ch.isascii() or ch in IDNA2008_EXCEPTIONS:
        return False
    o = ord(ch)
    if 0x20D0 <= o <= 0x20FF or 0x1D100 <= o <= 0x1D24F:
        return True
    return unicodedata.category(ch) in IDNA2008_SYMBOL_CATEGORIES


def oracle_domain(raw, uts46):
    """uts46: dict from tr46 {ascii, unicode, ok}.  Returns (valid, normalized, why, warn)."""
    if raw.rstrip().endswith((".", "\u3002", "\uff0e", "\uff61")):
        return None, None, "trailing root dot (policy silent)", False
    if not uts46.get("ok"):
        return False, None, "UTS46 strict: " + str(uts46.get("err")), False
    a = uts46["ascii"]
    u = uts46["unicode"]
    if a.endswith("."):
        return None, None, "trailing dot (policy silent)", False
    alabels = a.split(".")
    ulabels = u.split(".")
    if len(alabels) < 2:
        return False, None, "one label", False
    if alabels[-1].isdigit():
        return False, None, "numeric TLD", False
    if len(alabels[-1]) == 1:
        return False, None, "one-letter TLD", False
    if len(a) > 253 or any(len(x) > 63 for x in alabels):
        return False, None, "DNS length", False
    warn = False
    chinese_tld = alabels[-1] in CN_TLDS
    for al, ul in zip(alabels, ulabels):
        if any(is_emoji(ch) for ch in ul):
            return False, None, "emoji", False
        if any(is_idna2008_symbol(ch) for ch in ul):
            return False, None, "IDNA2008 symbol", False
        if chinese_tld:
            for ch in ul:
                if not (ch in "abcdefghijklmnopqrstuvwxyz0123456789-" or script_of(ch) == "Han"):
                    return False, None, "CNNIC: character %r" % ch, False
            if ul.startswith("-") or ul.endswith("-"):
                return False, None, "CNNIC: edge hyphen", False
            if "--" in ul:  # judged on the label's characters (an A-label may hold '--' by encoding)
                return False, None, "CNNIC: double hyphen", False
            if sum(1 for ch in ul if script_of(ch) == "Han") > 20:
                return False, None, "CNNIC: >20 Han", False
        else:
            scripts = {script_of(ch) for ch in ul} - {None}
            if len(scripts) > 1:
                warn = True
    return True, a, "", warn


NODE_HELPER = r"""
const readline = require('readline');
const mods = process.env.VERIFY_NODE_MODULES;
function tryreq(n) { try { return require(mods + '/' + n); } catch (e) { return null; } }
const tr46 = tryreq('tr46'); const IDV = tryreq('id-validator');
const GB = tryreq('id-validator/src/GB2260'); const idcard = tryreq('idcard');
const idv = (IDV && GB) ? new IDV(GB) : null;
const out = [];
const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const q = JSON.parse(line); const r = {};
  try {
    if (q.op === 'gb2260') { r.codes = GB ? Object.keys(GB) : []; }
    else if (q.op === 'domain') {
      if (tr46) {
        const opts = { checkBidi: true, checkJoiners: true, checkHyphens: true,
          useSTD3ASCIIRules: true, verifyDNSLength: true, transitionalProcessing: false };
        const a = tr46.toASCII(q.v, opts);
        const u = tr46.toUnicode(q.v, opts);
        r.ok = a !== null && !u.error; r.ascii = a; r.unicode = u.domain;
        if (!r.ok) r.err = 'tr46 rejects';
      } else { r.ok = null; }
      try { const x = require('url').domainToASCII(q.v); r.nodeDomainToASCII = x; } catch (e) { r.nodeDomainToASCII = 'ERR'; }
    } else if (q.op === 'ric') {
      r.idv = idv ? idv.isValid(q.v) : null;
      r.idcard = idcard ? idcard.verify(q.v) : null;
    } else if (q.op === 'url') {
      try { const x = new URL(q.v); r.ok = true; r.href = x.href; r.protocol = x.protocol; } catch (e) { r.ok = false; }
    }
  } catch (e) { r.exc = String(e); }
  out.push(JSON.stringify(r));
});
rl.on('close', () => { process.stdout.write(out.join('\n') + '\n'); });
"""


def node_batch(node_modules, queries):
    if not node_modules or not os.path.isdir(node_modules):
        return [{} for _ in queries]
    p = subprocess.run(["node", "-e", NODE_HELPER], env=dict(os.environ, VERIFY_NODE_MODULES=node_modules),
                       input="\n".join(json.dumps(q, ensure_ascii=False) for q in queries) + "\n",
                       capture_output=True, text=True, timeout=600)
    lines = [l for l in p.stdout.split("\n") if l.strip()]
    if len(lines) != len(queries):
        sys.exit("node helper failed: %s" % p.stderr[:2000])
    return [json.loads(l) for l in lines]


# ---------------------------------------------------------------------------------------------
# Generators
# ---------------------------------------------------------------------------------------------
FALLBACK_AREAS = ["110101", "110105", "120101", "130102", "310104", "320102", "330106", "340524",
                  "350102", "370102", "410102", "420102", "430102", "440305", "450102", "460105",
                  "500101", "510104", "520102", "530102", "540102", "610102", "620102", "630102",
                  "640104", "650102", "710000", "810000", "820000", "830000"]


class Gen:
    def __init__(self, rng, areas):
        self.r = rng
        self.areas = areas

    def org_body(self, letters=True):
        alpha = ORG_ALPHA if letters else "0123456789"
        # USCC bodies use the USCC alphabet only (no I O S V Z)
        alpha = "".join(c for c in alpha if c in USCC_ALPHA)
        while True:
            b = "".join(self.r.choice(alpha) for _ in range(8))
            if not b.startswith("PDY"):
                return b

    def uscc(self, a=None, c=None, good_org=True):
        a = a or self.r.choice(list(USCC_PAIRS))
        c = c or self.r.choice(USCC_PAIRS[a])
        div = self.r.choice(self.areas + ["100000"])
        while True:
            body = self.org_body(letters=self.r.random() < 0.3)
            oc = org_check(body)
            if oc in USCC_ALPHA:
                break
        if not good_org:
            oc = self.r.choice([x for x in "0123456789" if x != oc])
        s = a + c + div + body + oc
        return s + uscc_check(s)

    def org(self):
        while True:
            body = "".join(self.r.choice(ORG_ALPHA if self.r.random() < 0.3 else "0123456789")
                           for _ in range(8))
            if not body.startswith("PDY"):
                return body + org_check(body)

    def date(self, y0=1800, y1=2005):
        while True:
            y = self.r.randint(y0, y1)
            m = self.r.randint(1, 12)
            d = self.r.randint(1, 31)
            if real_date(y, m, d):
                return y, m, d

    def ric(self, area=None, ymd=None):
        area = area or self.r.choice(self.areas)
        y, m, d = ymd or self.date()
        s = "%s%04d%02d%02d%03d" % (area, y, m, d, self.r.randint(0, 999))
        return s + ric_check(s)

    def ric15(self):
        area = self.r.choice(self.areas)
        y, m, d = self.date(1900, 1999)
        return "%s%02d%02d%02d%03d" % (area, y % 100, m, d, self.r.randint(0, 999))

    def mobile(self):
        return "1" + self.r.choice("3456789") + "".join(self.r.choice("0123456789") for _ in range(9))


def to_fullwidth(s):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


def decorate_code(rng, v):
    """Harmless presentation changes that REFERENCE.md says are normalised away."""
    out = []
    out.append(v.lower())
    out.append(to_fullwidth(v))
    out.append("  " + v + "\t ")
    out.append(" ".join(v[i:i + 4] for i in range(0, len(v), 4)))
    out.append("-".join(v[i:i + 6] for i in range(0, len(v), 6)))
    out.append("\u3000" + v + "\u3000")
    out.append(to_fullwidth(v.lower()))
    return out


def mutations(rng, v, alphabet):
    out = []
    i = rng.randrange(len(v))
    ch = rng.choice([c for c in alphabet if c != v[i]])
    out.append(("substitution", v[:i] + ch + v[i + 1:]))
    j = rng.randrange(len(v) - 1)
    if v[j] != v[j + 1]:
        out.append(("transposition", v[:j] + v[j + 1] + v[j] + v[j + 2:]))
    out.append(("deletion", v[:i] + v[i + 1:]))
    out.append(("insertion", v[:i] + rng.choice(alphabet) + v[i:]))
    return out


# Each case: dict(kind, input, source, expect) where expect is computed per `now` by an oracle.
def build_cases(rng, n, areas, published):
    g = Gen(rng, areas)
    cases = []

    def add(kind, value, source):
        cases.append({"kind": kind, "input": value, "source": source})

    # ---- USCC
    for a, cats in USCC_PAIRS.items():
        for c in cats:
            for _ in range(max(3, n // 60)):
                add("uscc", g.uscc(a, c), "generated valid %s%s" % (a, c))
    for _ in range(n // 4):
        add("uscc", g.uscc(good_org=False), "generated valid, embedded org check wrong (warning only)")
    for _ in range(n // 4):
        v = g.uscc()
        for d in decorate_code(rng, v):
            add("uscc", d, "presentation variant")
        for kind, m in mutations(rng, v, USCC_ALPHA):
            add("uscc", m, "mutation " + kind)
        i = rng.randrange(18)
        add("uscc", v[:i] + rng.choice("IOSVZ") + v[i + 1:], "mutation: letter outside alphabet")
        add("uscc", v[:i] + "\u200b" + v[i:], "zero-width space inside (dropped)")
    for _ in range(max(10, n // 50)):
        add("uscc", "".join(rng.choice("0123456789") for _ in range(15)), "15-digit registration number (注册号)")
    for a in "0BCDEFGHJKLMPQRTUWX":
        for c in "0123456789":
            body = g.org_body()
            s = a + c + "110000" + body + (org_check(body) if org_check(body) in USCC_ALPHA else "0")
            add("uscc", s + uscc_check(s), "authority/category pair not in table")
    for a, cats in USCC_PAIRS.items():
        for c in "0123456789ABY":
            if c not in cats:
                s = a + c + "110000" + "60003734" + "1"
                add("uscc", s + uscc_check(s), "category not in authority's table")
    # ---- org code
    for _ in range(n):
        add("org-code", g.org(), "generated valid")
    for _ in range(n // 4):
        v = g.org()
        add("org-code", v[:8] + "-" + v[8], "printed with hyphen")
        for d in decorate_code(rng, v):
            add("org-code", d, "presentation variant")
        for kind, m in mutations(rng, v, ORG_ALPHA):
            add("org-code", m, "mutation " + kind)
    for body in ["PDY00001", "PDY99999", "PDY12345", "PDY00000", "PDX99999", "PDYA0001"]:
        add("org-code", body + org_check(body), "PDY reserved range edge")
    # ---- resident id
    for p in PROVINCES:
        pa = [x for x in areas if x.startswith(p)] or [p + "0000"]
        for _ in range(max(3, n // 40)):
            add("resident-id", g.ric(area=rng.choice(pa)), "generated valid, province " + p)
    for _ in range(n):
        add("resident-id", g.ric(), "generated valid random")
    for y in [1804, 1896, 1904, 1952, 1996, 2000, 2004, 1900, 1800, 2100 - 100]:
        add("resident-id", g.ric(ymd=(y, 2, 29)), "Feb 29 of %d" % y)
    for ymd in [(1800, 1, 1), (1799, 12, 31), (2005, 6, 1), (2005, 6, 2), (2026, 11, 23),
                (2026, 11, 24), (1980, 2, 30), (1980, 4, 31), (1980, 13, 1), (1980, 0, 10),
                (1980, 1, 0), (1981, 2, 29), (1900, 2, 29), (2000, 2, 29), (2005, 12, 31)]:
        area = rng.choice(areas)
        s = "%s%04d%02d%02d%03d" % (area, ymd[0], ymd[1], ymd[2], rng.randint(0, 999))
        add("resident-id", s + ric_check(s), "date edge %04d-%02d-%02d" % ymd)
    for _ in range(n // 4):
        add("resident-id", g.ric15(), "legacy 15-digit")
    for ymd in [(1900, 2, 29), (1996, 2, 29), (1999, 2, 30), (1980, 13, 1)]:
        add("resident-id", "%s%02d%02d%02d%03d" % (rng.choice(areas), ymd[0] % 100, ymd[1], ymd[2],
                                                     rng.randint(0, 999)), "legacy 15 date edge")
    for p in ["00", "10", "16", "20", "24", "30", "38", "40", "47", "49", "55", "60", "66", "70",
              "72", "80", "84", "90", "99"]:
        s = "%s0101%04d%02d%02d%03d" % (p, 1980, 5, 5, 123)
        add("resident-id", s + ric_check(s), "province not in list")
    for p in ["810000", "820000", "830000", "710000"]:
        add("resident-id", g.ric(area=p), "HK/MO/TW residence permit or TW")
    for _ in range(n // 4):
        v = g.ric()
        for d in decorate_code(rng, v):
            add("resident-id", d, "presentation variant")
        for kind, m in mutations(rng, v, "0123456789X"):
            add("resident-id", m, "mutation " + kind)
        add("resident-id", v[:6] + "\u200b" + v[6:], "zero-width space inside (dropped)")
    # ---- mobile
    for _ in range(n):
        m = g.mobile()
        form = rng.choice(["plain", "+86", "0086", "+86 ", "spaces", "hyphens", "fullwidth",
                           "+86-", "fw+86", "blanks"])
        v = {"plain": m, "+86": "+86" + m, "0086": "0086" + m, "+86 ": "+86 " + m,
             "spaces": m[:3] + " " + m[3:7] + " " + m[7:], "hyphens": m[:3] + "-" + m[3:7] + "-" + m[7:],
             "fullwidth": to_fullwidth(m), "+86-": "+86-" + m[:3] + "-" + m[3:],
             "fw+86": to_fullwidth("+86" + m), "blanks": "  " + m + " "}[form]
        add("mobile", v, "generated valid (%s)" % form)
    for bad in ["1" + d + "123456789" for d in "0123"] + ["12800138000", "1380013800", "138001380000",
                                                          "+8512345678901", "23800138000", "+86 1380013800",
                                                          "008613800138000" + "1", "1380013800a", ""]:
        add("mobile", bad, "invalid mobile")
    # ---- phone (landline / service)
    for _ in range(n // 2):
        if rng.random() < 0.4:
            area = rng.choice(TWO_DIGIT_AREAS)
        else:
            area = str(rng.randint(300, 999))
        ln = rng.choice([7, 8])
        local = str(rng.randint(2, 9)) + "".join(rng.choice("0123456789") for _ in range(ln - 1))
        fmt = rng.choice(["0%s-%s", "0%s%s", "0%s %s", "(0%s)%s", "＋86 %s %s"])
        if fmt.startswith("(") or fmt.startswith("＋"):
            v = fmt % (area, local)
            add("phone", v, "landline, unusual format (policy silent)")
        else:
            add("phone", fmt % (area, local), "generated landline area %s" % area)
    for _ in range(n // 10):
        add("phone", rng.choice(["400", "800"]) + "-" + "".join(rng.choice("0123456789") for _ in range(3)) +
            "-" + "".join(rng.choice("0123456789") for _ in range(4)), "generated 400/800")
    for bad in ["010-123456", "010-123456789", "0755-123456", "400-123-456", "800-1234-5678", "abc"]:
        add("phone", bad, "invalid landline")
    for _ in range(n // 10):
        area = rng.choice(TWO_DIGIT_AREAS + [str(rng.randint(300, 999))])
        ln = rng.choice([7, 8])
        local = str(rng.randint(2, 9)) + "".join(rng.choice("0123456789") for _ in range(ln - 1))
        ext = str(rng.randint(1, 10 ** rng.randint(1, 7) - 1))
        sep = rng.choice(["-", " - ", "－"])
        add("phone", "0%s-%s%s%s" % (area, local, sep, ext), "landline with hyphen extension")
    for prefix in SHORT_PREFIXES:
        for _ in range(max(3, n // 100)):
            v = prefix + "".join(rng.choice("0123456789") for _ in range(5 - len(prefix)))
            add("phone", v, "national short number")
            add("mobile", v, "national short number in a mobile field")
    for v in ["1237", "123456", "97555", "10186", "1001", "955555"]:
        add("phone", v, "short, but outside the national short-number ranges")
    # ---- 公安备案号
    for abbr, digits in PSB.items():
        for _ in range(max(2, n // 100)):
            num = digits + "".join(rng.choice("0123456789") for _ in range(12))
            sp = rng.choice(["", " "])
            add("psb-filing-number", "%s公网安备%s%s号" % (abbr, sp, num), "generated valid " + abbr)
            add("psb-filing-number", "%s公网安备%s%s号" % (abbr, sp, to_fullwidth(num)),
                "generated valid, full-width digits " + abbr)
            other = rng.choice([d for d in set(PSB.values()) if d != digits])
            add("psb-filing-number", "%s公网安备%s%s号" % (abbr, sp, other + num[2:]),
                "province digits mismatch")
            add("psb-filing-number", "%s公网安备%s号" % (abbr, num[:13]), "13 digits")
            add("psb-filing-number", "%s公网安备%s%s号" % (abbr, sp, num[:12]), "legacy 12 digits (warning)")
            add("psb-filing-number", "%s公网安备%s号" % (abbr, num[:11]), "11 digits")
            add("psb-filing-number", "%s公网安备%s号" % (abbr, num + "1"), "15 digits")
    # ---- ICP
    for abbr in ICP_ABBR:
        for _ in range(max(2, n // 100)):
            d8 = "%02d" % rng.randint(4, 20) + "".join(rng.choice("0123456789") for _ in range(6))
            d10 = str(rng.randint(2010, 2025)) + "".join(rng.choice("0123456789") for _ in range(6))
            d6 = "".join(rng.choice("0123456789") for _ in range(6))
            add("icp-number", "%sICP备%s号" % (abbr, d8), "generated ICP备 8 digits")
            add("icp-number", "%sICP备%s号" % (abbr, d10), "generated ICP备 10 digits")
            add("icp-number", "%sICP备%s号-%d" % (abbr, d10, rng.randint(1, 99)), "generated ICP备 -n")
            add("icp-number", "%sICP备%s号-%d%s" % (abbr, d10, rng.randint(1, 20), rng.choice("AX")),
                "generated ICP备 -nA/-nX")
            add("icp-number", "%sICP证%s号" % (abbr, d6), "generated ICP证")
            add("icp-number", "%sICP证%s号-%d" % (abbr, d6, rng.randint(1, 9)), "generated ICP证 -n")
            add("icp-number", "%s%s-%s" % (abbr, rng.choice(["B1", "B2"]), d10[:4] + d10[-4:]),
                "generated B1/B2 permit")
            add("icp-number", "%s%s-%s-%d" % (abbr, rng.choice(["B1", "B2"]), d10[:4] + d10[-4:],
                                              rng.randint(1, 9)), "generated B1/B2 permit -n")
            add("icp-number", "%s%s-%s-%d%s" % (abbr, rng.choice(["A2", "B2"]), d10[:4] + d10[-4:],
                                                rng.randint(1, 9999), rng.choice(["", "A", "X"])),
                "generated A2/B2 licence -n[A|X]")
            add("icp-number", "%sICP证%s号-%d%s" % (abbr, d6, rng.randint(1, 99), rng.choice("AX")),
                "generated ICP证 -nA/-nX")
            add("icp-number", "%s%s-%s-%d" % (abbr, rng.choice(["A2", "B2"]), d10[:4] + d10[-4:],
                                              rng.randint(10000, 99999)), "invalid: 5-digit serial")
            add("icp-number", "%sICP备%s号" % (abbr, d8[:7]), "invalid: 7 digits")
            add("icp-number", "%sICP备%s号" % (abbr, d10 + "1"), "invalid: 11 digits")
            add("icp-number", "%sICP证%s号" % (abbr, d6[:5]), "invalid: ICP证 5 digits")
    for bad in ["ICP备12345678号", "X ICP备12345678号", "京ICP备号", "京ICP备12345678", "京ICP12345678号"]:
        add("icp-number", bad, "invalid ICP shape (or policy-silent)")
    # ---- domains
    doms = []
    for d in ["例子.中国", "例子.中國", "中文域名.cn", "北京大学.cn", "中国互联网络信息中心.中国",
              "公司名称.公司", "网络.网络", "测试.在线", "百度.com", "腾讯.com", "qq邮箱.com",
              "例子.xn--fiqs8s", "xn--fsqu00a.xn--fiqs8s", "EXAMPLE.CN", "Example.Com",
              "例子。中国", "例子．中国", "例子｡中国", "ｅｘａｍｐｌｅ.cn", "www.gov.cn", "www.beian.gov.cn",
              "beian.miit.gov.cn", "sub.domain.example.com.cn", "a.cn", "1.cn", "123.com", "a1-b2.cn",
              "abc--d.cn", "abc--d.com", "ab--cd.com", "ab--cd.cn", "-abc.cn", "abc-.cn", "-abc.com",
              "xn--abc.cn", "xn--zz.cn", "xn--.cn", "аpple.cn", "аpple.com", "аррӏе.com", "аpple.公司",
              "😀.cn", "😀.com", "i❤.com", "a😀b.中国", "例子😀.中国", "localhost", "example.123",
              "1.2.3.4", "_dmarc.example.com", "exa_mple.cn", "exa mple.cn", "a\u200db.com",
              "a\u200cb.com", "exa\u200bmple.com", "exa\u00admple.com", "faß.de", "straße.com",
              "ⅰⅴ.com", "①②.cn", "example.com.", "example..com", ".example.com", "例子.中国.",
              "中国", "cn", "ﾃｽﾄ.jp", "テスト.jp", "한국.kr", "ελληνικά.gr", "ελλάδα.com", "αβγ.cn",
              "日本語.cn", "日本語です.cn", "abc中文.cn", "中文abc.com", "中-文.cn", "中--文.cn",
              "xn--55qx5d.xn--fiqs8s", "xn--io0a7i.cn", "\u0661\u0662.com", "a\u0661.com",
              "www.例子.中国", "www.例子.公司", "Ｗｗｗ．例子．ＣＮ", "mail.qq.com", "www.taobao.com",
              "∞.com", "€.com", "shop¥.cn", "go→now.net", "✓.com", "☆.中国", "中国∞.cn", "xn--59g.com",
              "col·legi.cat", "〇〇七.com", "ソニー・ストア.jp", "example.c", "www.example.x", "x.cn",
              "example.io", "a\u20dd.com", "\u00bd.com", "\u2030.com", "§.cn", "¶.com"]:
        doms.append((d, "hand-written edge/IDN"))
    lab63 = "a" * 63
    lab64 = "a" * 64
    doms += [(lab63 + ".cn", "63-octet label"), (lab64 + ".cn", "64-octet label"),
             (lab63 + ".com", "63-octet label"), (lab64 + ".com", "64-octet label")]
    base = ".".join(["a" * 63] * 3)  # 191
    name253 = base + "." + "b" * (253 - len(base) - 5) + ".com"
    name254 = base + "." + "b" * (254 - len(base) - 5) + ".com"
    doms += [(name253, "253-char name"), (name254, "254-char name"),
             (name253 + ".", "253-char name + root dot"), (name253.upper(), "253-char upper")]
    han = "中文域名测试北京上海广州深圳天津重庆南京杭州成都西安武汉长沙郑州"
    doms += [(han[:20] + ".cn", "20 Han label"), (han[:21] + ".cn", "21 Han label"),
             (han[:20] + ".中国", "20 Han label"), (han[:21] + ".com", "21 Han label, non-CN TLD"),
             (han[:20] + "a" * 8 + ".cn", "20 Han + ascii, length?")]
    hanpool = [chr(c) for c in range(0x4E00, 0x9FA5)]
    for _ in range(n // 4):
        k = rng.randint(1, 8)
        lab = "".join(rng.choice(hanpool) for _ in range(k))
        if rng.random() < 0.3:
            lab += rng.choice(["abc", "123", "x-y"])
        tld = rng.choice(["cn", "中国", "中國", "com.cn", "公司", "网络", "com", "net"])
        doms.append((lab + "." + tld, "random Han label"))
        asc = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rng.randint(1, 20)))
        doms.append((asc + "." + rng.choice(["cn", "com.cn", "gov.cn", "org", "中国"]), "random ASCII"))
    symbols = [chr(c) for c in range(0xA1, 0x2FFFF) if unicodedata.category(chr(c)) in
               IDNA2008_SYMBOL_CATEGORIES and chr(c) not in IDNA2008_EXCEPTIONS]
    for _ in range(n // 10):
        lab = rng.choice(["", "abc", "中文", "shop"]) + rng.choice(symbols) + rng.choice(["", "x", "网"])
        doms.append((lab + "." + rng.choice(["cn", "com", "中国", "net"]), "random symbol in a label"))
    for c in "abcdefghijklmnopqrstuvwxyz":
        doms.append(("example." + c, "one-letter TLD"))
    for d, s in doms:
        add("domain", d, s)
    # ---- ip / url / email (policy mostly silent: compared with Python / Node only)
    for v in ["1.2.3.4", "255.255.255.255", "0.0.0.0", "256.1.1.1", "01.2.3.4", "1.2.3", "1.2.3.4.5",
              "::1", "2001:db8::1", "2001:DB8::1", "::ffff:1.2.3.4", "fe80::1%eth0", "1::2::3",
              "2001:db8:0:0:0:0:0:1", " 1.2.3.4 ", "１.２.３.４", "192.168.1.1", "10.0.0.1",
              "1.2.3.4/24", "0x7f.0.0.1", "127.1", "[::1]", "gggg::1", ""]:
        add("ip", v, "hand-written")
    for _ in range(n // 10):
        add("ip", ".".join(str(rng.randint(0, 255)) for _ in range(4)), "random IPv4")
        add("ip", ":".join("%x" % rng.randint(0, 65535) for _ in range(8)), "random IPv6")
    for v in ["http://example.com", "https://例子.中国/路径?q=1", "https://www.beian.gov.cn/portal",
              "ftp://example.com", "http://", "https://abc--d.cn/", "https://аpple.cn/",
              "https://user:pw@example.com/", "http://1.2.3.4:8080/", "https://[2001:db8::1]/",
              "https://example.com:99999/", "example.com", "https://EXAMPLE.CN/A", "https://😀.com/",
              "javascript:alert(1)", "http://localhost/", "https://xn--fiqs8s/"]:
        add("url", v, "hand-written")
    for v in ["user@example.com", "user@例子.中国", "用户@例子.中国", "a@b", "a..b@example.com",
              "user@abc--d.cn", "\"a b\"@example.com", "user@[1.2.3.4]", "USER@EXAMPLE.CN", "@example.com",
              "user@", "user@@example.com", "a" * 65 + "@example.com"]:
        add("email", v, "hand-written")
    # ---- published values found on public web pages / public repositories
    for kind, v in published:
        add(kind, v, "published on a public website")
    return cases


PUBLISHED = [
    ("uscc", "91110000600037341L"),          # REFERENCE.md example
    ("uscc", "9144030071526726XG"),          # 腾讯科技（深圳）有限公司, printed in a public report
    ("org-code", "60003734-1"),
    ("resident-id", "34052419800101001X"),   # the example printed in GB 11643-1999
    ("psb-filing-number", "京公网安备11000002000001号"),   # baidu.com footer
    ("psb-filing-number", "粤公网安备 44030002000001号"),  # qq.com / tencent footers
    ("psb-filing-number", "浙公网安备33010602014742号"),
    ("psb-filing-number", "浙公网安备33011002020242号"),
    ("psb-filing-number", "浙公网安备33010502011812号"),
    ("psb-filing-number", "浙公网安备33010002000366"),    # as printed without 号 (policy silent)
    ("psb-filing-number", "皖公网安备3301080233301号"),    # printed typo: 13 digits, wrong province
    ("icp-number", "京ICP证030173号"),                    # baidu.com
    ("icp-number", "粤B2-20090059"),                      # tencent
    ("icp-number", "粤B2-20090059-5"),
    ("icp-number", "粤ICP备09017694号"),
    ("icp-number", "沪ICP备10000326号-6"),
    ("icp-number", "浙ICP备2024067534号-3"),
    ("icp-number", "浙ICP备19033231号-15"),
    ("icp-number", "浙ICP备2026059325号-1"),
    ("icp-number", "浙B2-20241358"),
    ("icp-number", "皖ICP备17010401号-2"),
    # Footer lines of public websites as kept in public repositories' templates (issue 11; the
    # full list and results are in docs/real-values.md).
    ("psb-filing-number", "京公网安备110105008661号"),    # pre-2016 12-digit number (warning)
    ("psb-filing-number", "豫公网安备 41019702002703号"),  # district 410197 is no county code
    ("psb-filing-number", "鲁公网安备37028102001616号"),
    ("psb-filing-number", "京公网安备11010802020134号"),
    ("icp-number", "浙B2-20080224-1"),
    ("icp-number", "京ICP证040867号-3"),
    ("icp-number", "沪ICP备 09007032"),                   # as printed without 号 (policy silent)
    ("phone", "0571-81683755"),
    ("phone", "400-85-666-85"),
    ("phone", "12345"),
]


# ---------------------------------------------------------------------------------------------
# Running formseal
# ---------------------------------------------------------------------------------------------


def run_formseal(binary, kind, values, now):
    out = []
    chunk = 5000
    for i in range(0, len(values), chunk):
        part = values[i:i + chunk]
        # empty values cannot be passed on stdin (blank lines) — pass them as arguments instead
        p = subprocess.run(["timeout", "120", binary, "check", kind, "--now", now],
                           input="\n".join(part) + "\n", capture_output=True, text=True)
        lines = [l for l in p.stdout.split("\n") if l.strip()]
        if p.returncode not in (0, 1) or len(lines) != len(part):
            # fall back to one value at a time to find the culprit
            for v in part:
                q = subprocess.run(["timeout", "20", binary, "check", kind, "--now", now, "--", v],
                                   capture_output=True, text=True)
                if q.returncode not in (0, 1) or not q.stdout.strip():
                    out.append({"crash": True, "rc": q.returncode, "stderr": q.stderr[-500:]})
                else:
                    out.append(json.loads(q.stdout.strip().split("\n")[0]))
        else:
            out.extend(json.loads(l) for l in lines)
    return out


def expected(case, now, aux):
    k, v = case["kind"], case["input"]
    if k == "uscc":
        ok, n, why = oracle_uscc(v)
    elif k == "org-code":
        ok, n, why = oracle_org(v)
    elif k == "resident-id":
        ok, n, why = oracle_ric(v, now)
    elif k == "mobile":
        ok, n, why = oracle_mobile(v)
        n = ("+86" + n) if n else None   # formseal seals E.164 (+86…); REFERENCE.md is silent on form
    elif k == "phone":
        ok, n, why = oracle_phone(v)
        n = None  # sealed form not specified
    elif k == "psb-filing-number":
        s = fw2hw(v.strip())
        ok, n, why = None, None, "policy silent"
        if s.endswith("号") and "公网安备" in s:
            abbr, rest = s.split("公网安备", 1)
            digits = rest[:-1].strip()
            if abbr in PSB and digits.isdigit():
                if len(digits) not in (12, 14):
                    ok, why = False, "14 digits (or the legacy 12)"
                elif digits[:2] != PSB[abbr]:
                    ok, why = False, "province digits"
                else:
                    ok, n, why = True, abbr + "公网安备" + digits + "号", ""
        if "公网安备" in s and not s.endswith("号"):
            ok, why = None, "no 号 (policy silent)"
    elif k == "icp-number":
        s = "".join(ch for ch in fw2hw(v.strip()) if ch not in " \t")  # spaces are normalised away
        abbr = "(" + "|".join(ICP_ABBR) + ")"
        # REFERENCE.md: the site serial -<1-4 digits>[A|X] is the same after every licence form.
        serial = r"(-\d{1,4}[AX]?)?"
        if (re.fullmatch(abbr + r"ICP备(\d{8}|\d{10})号" + serial, s)
                or re.fullmatch(abbr + r"ICP证\d{6}号" + serial, s)
                or re.fullmatch(abbr + r"[AB][12]-\d{8}" + serial, s)):
            ok, n, why = True, s, ""
        elif re.fullmatch(abbr + r"[AB][12]-.*", s):
            ok, n, why = False, None, "licence digit count / serial"
        elif re.fullmatch(abbr + r"ICP(备|证)\d+", s):
            ok, n, why = None, None, "no 号 (policy silent)"
        elif re.fullmatch(r".{0,2}ICP(备|证)\d+号(-\d+[AX]?)?", s) or re.fullmatch(abbr + r"ICP备.*", s) \
                or re.fullmatch(abbr + r"ICP证.*", s):
            ok, n, why = False, None, "digit count / shape"
        else:
            ok, n, why = None, None, "policy silent"
    elif k == "domain":
        ok, n, why, warn = oracle_domain(v, aux.get(("domain", v), {}))
        if aux.get(("domain", v), {}).get("ok") is None:
            ok, why = None, "tr46 not installed"
    else:
        ok, n, why = None, None, "no policy oracle (compared with other libraries only)"
    return ok, n, why


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default="/tmp/target-verify/debug/formseal")
    ap.add_argument("--node-modules", default="/tmp/npm-verify/node_modules")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--out", default="/tmp/verify-report.json")
    args = ap.parse_args()
    rng = random.Random(args.seed)

    codes = node_batch(args.node_modules, [{"op": "gb2260"}])[0].get("codes") or []
    areas = [c for c in codes if not c.endswith("00")] or FALLBACK_AREAS
    areas_src = "id-validator GB2260 (%d county codes)" % len(areas) if codes else "built-in list"
    cases = build_cases(rng, args.n, areas, PUBLISHED)

    doms = sorted({c["input"] for c in cases if c["kind"] in ("domain",)})
    aux = {}
    for d, r in zip(doms, node_batch(args.node_modules, [{"op": "domain", "v": d} for d in doms])):
        aux[("domain", d)] = r

    by_kind = defaultdict(list)
    for c in cases:
        by_kind[c["kind"]].append(c)

    disagreements = []
    silent = []
    stats = Counter()
    results = {}
    for now in NOWS:
        for kind, cs in by_kind.items():
            nonempty = [c for c in cs if c["input"] != "" and "\n" not in c["input"]]
            got = run_formseal(args.bin, kind, [c["input"] for c in nonempty], now)
            for c, gres in zip(nonempty, got):
                stats[(kind, now)] += 1
                results[(kind, c["input"], now)] = gres
                ok, norm, why = expected(c, now, aux)
                rec = {"kind": kind, "now": now, "input": c["input"], "source": c["source"],
                       "expected_valid": ok, "expected_normalized": norm, "why": why,
                       "got": gres}
                if gres.get("crash"):
                    disagreements.append(dict(rec, problem="crash/timeout"))
                    continue
                errors = [f for f in gres.get("findings", []) if f.get("severity") == "error"]
                if gres.get("valid") != (not errors):
                    disagreements.append(dict(rec, problem="valid flag inconsistent with findings"))
                if ok is None:
                    silent.append(rec)
                    continue
                if ok and not gres.get("valid"):
                    disagreements.append(dict(rec, problem="REJECTS A VALID VALUE"))
                elif ok and norm is not None and gres.get("normalized") != norm:
                    disagreements.append(dict(rec, problem="normalized form differs"))
                elif not ok and gres.get("valid"):
                    disagreements.append(dict(rec, problem="accepts an invalid value"))
                elif not ok and not errors:
                    disagreements.append(dict(rec, problem="invalid without an error finding"))

    # ---- comparisons with other libraries (information only)
    other = []
    try:
        from stdnum.cn import uscc as s_uscc, ric as s_ric
    except ImportError:
        s_uscc = s_ric = None
    now = NOWS[1]
    if s_uscc:
        for c in by_kind["uscc"]:
            r = results.get(("uscc", c["input"], now))
            if not r or r.get("crash"):
                continue
            try:
                sv = s_uscc.is_valid(c["input"])
            except Exception:
                sv = False
            if sv != r["valid"]:
                other.append({"lib": "stdnum.cn.uscc", "input": c["input"], "lib_valid": sv,
                              "formseal_valid": r["valid"], "source": c["source"]})
    ric_inputs = [c["input"] for c in by_kind["resident-id"]]
    nres = node_batch(args.node_modules, [{"op": "ric", "v": v} for v in ric_inputs])
    for v, nr in zip(ric_inputs, nres):
        r = results.get(("resident-id", v, now))
        if not r or r.get("crash"):
            continue
        if s_ric:
            try:
                sv = s_ric.is_valid(v)
            except Exception:
                sv = False
            if sv != r["valid"]:
                other.append({"lib": "stdnum.cn.ric", "input": v, "lib_valid": sv, "formseal_valid": r["valid"]})
        for lib in ("idv", "idcard"):
            if nr.get(lib) is not None and bool(nr[lib]) != r["valid"]:
                other.append({"lib": {"idv": "npm id-validator", "idcard": "npm idcard"}[lib], "input": v,
                              "lib_valid": bool(nr[lib]), "formseal_valid": r["valid"]})
    try:
        import idna as pyidna
    except ImportError:
        pyidna = None
    for d in doms:
        r = results.get(("domain", d, now))
        if not r or r.get("crash"):
            continue
        if pyidna:
            try:
                a = pyidna.encode(d, uts46=True, std3_rules=True).decode()
                pv = True
            except Exception:
                a, pv = None, False
            if pv != r["valid"] or (pv and a != r.get("normalized")):
                other.append({"lib": "idna (IDNA2008+UTS46 mapping)", "input": d, "lib_valid": pv,
                              "lib_ascii": a, "formseal_valid": r["valid"], "formseal": r.get("normalized")})
        na = aux[("domain", d)].get("nodeDomainToASCII")
        if (bool(na) != r["valid"]) or (na and na != r.get("normalized")):
            other.append({"lib": "node url.domainToASCII (non-strict UTS46)", "input": d, "lib_ascii": na,
                          "formseal_valid": r["valid"], "formseal": r.get("normalized")})
    for c in by_kind["ip"]:
        r = results.get(("ip", c["input"], now))
        if not r or r.get("crash"):
            continue
        try:
            ipaddress.ip_address(c["input"])
            pv = True
        except ValueError:
            pv = False
        if pv != r["valid"]:
            other.append({"lib": "python ipaddress", "input": c["input"], "lib_valid": pv,
                          "formseal_valid": r["valid"], "findings": [f["code"] for f in r["findings"]]})
    urls = [c["input"] for c in by_kind["url"]]
    for u, nr in zip(urls, node_batch(args.node_modules, [{"op": "url", "v": u} for u in urls])):
        r = results.get(("url", u, now))
        if r and not r.get("crash") and nr.get("ok") is not None and nr["ok"] != r["valid"]:
            other.append({"lib": "node URL", "input": u, "lib_valid": nr["ok"], "lib_href": nr.get("href"),
                          "formseal_valid": r["valid"], "findings": [f["code"] for f in r["findings"]]})

    report = {"areas": areas_src, "counts": {"%s @ %s" % k: v for k, v in sorted(stats.items())},
              "disagreements": disagreements, "policy_silent": silent, "other_libraries": other}
    with open(args.out, "w") as f:
        json.dump(report, f, ensure_ascii=False, indent=1)
    print("address codes from:", areas_src)
    for k, v in sorted(stats.items()):
        print("  %-18s %s  %6d values" % (k[0], k[1], v))
    print("disagreements with REFERENCE.md policy oracle: %d" % len(disagreements))
    for d in disagreements[:60]:
        g = d["got"]
        print("  [%s] %s %s %r (%s) expected=%s/%s why=%s got valid=%s norm=%r codes=%s" % (
            d["problem"], d["kind"], d["now"][:10], d["input"], d["source"], d["expected_valid"],
            d["expected_normalized"], d["why"], g.get("valid"), g.get("normalized"),
            [(f["code"], f["severity"]) for f in g.get("findings", [])]))
    print("policy-silent values (reported, not judged): %d" % len(silent))
    print("differences from other libraries (information only): %d  -> %s" % (len(other), args.out))
    for lib, cnt in Counter(o["lib"] for o in other).items():
        print("  %-45s %d" % (lib, cnt))
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
