#!/usr/bin/env python3
"""Checks the studio's translation files (translations/consisti2v_<lang>.ts).

Fails, listing every problem, when an entry of a checked .ts is
  - unfinished or empty (numerus entries: any empty form; Korean has one form, English two),
  - vanished / obsolete (the .ts is stale: refresh it with the update_translations target),
  - missing: a string the sources translate (extracted with lupdate into a temporary .ts) that the .ts lacks,
  - present in the .ts but no longer in the sources (only when --lupdate is given),
  - under a context no code translates with (a tr() in a free function is filed by lupdate under the
    enclosing namespace, while the call looks it up under another context: it would never be translated),
  - not keeping the placeholders of its source (%1 .. %99, %L1, %n), its HTML tags (<b>, <br> ...), its
    mnemonic (a single '&' in the source needs exactly one in the translation; '&&' is a literal '&').

Usage:
  check_translations.py --ts translations/consisti2v_ko.ts [--ts translations/consisti2v_en.ts]
                        [--lupdate /usr/lib/qt6/bin/lupdate --include <root> --sources app widgets ...]
  check_translations.py --fill-en translations/consisti2v_en.ts
      copies every English source text into its translation (numerus entries are left for a person: the
      singular and plural forms), so the English catalogue is complete after update_translations.
  check_translations.py --mark-finished translations/consisti2v_ko.ts
      marks finished every unfinished entry that already has a translation: lupdate pre-fills those from the
      same source text elsewhere (e.g. after a tr() context was renamed). Review them first.
"""
import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

PLACEHOLDER = re.compile(r"%(?:L?\d{1,2}|n)")
TAG = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9]*)[^>]*>")
# Number of plural forms a language's .ts must give (Qt's rules: Korean has no plural, English two).
NUMERUS_FORMS = {"ko": 1, "en": 2}


def language_of(root, path):
    lang = (root.get("language") or "").split("_")[0]
    if not lang:
        m = re.search(r"_([a-z]{2})(?:_[A-Z]{2})?\.ts$", path)
        lang = m.group(1) if m else ""
    return lang


def messages(path):
    """[(context, source, comment, numerus, translation element)] of a .ts file, and its root."""
    root = ET.parse(path).getroot()
    out = []
    for ctx in root.findall("context"):
        name = ctx.findtext("name") or ""
        for m in ctx.findall("message"):
            out.append((name, m.findtext("source") or "", m.findtext("comment") or "", m.get("numerus") == "yes",
                        m.find("translation")))
    return out, root


def mnemonics(text):
    """Number of mnemonic markers: '&' followed by a character other than '&' ('&&' is a literal ampersand)."""
    return len(re.findall(r"&(?!&)(?<!&&)", text.replace("&&", "")))


def check_entry(path, ctx, src, numerus, tr, forms_needed, problems):
    where = f"{os.path.basename(path)}: [{ctx}] {src!r}"
    if tr is None:
        problems.append(f"{where}: no <translation>")
        return
    kind = tr.get("type")
    if kind in ("vanished", "obsolete"):
        problems.append(f"{where}: {kind} (no longer in the sources: run the update_translations target)")
        return
    if numerus:
        forms = [f.text or "" for f in tr.findall("numerusform")]
    else:
        forms = [tr.text or ""]
    empty = not forms or any(not f.strip() for f in forms)
    if kind == "unfinished":
        problems.append(f"{where}: unfinished" + (" (empty)" if empty else " (translated: review it, then mark it finished)"))
        if empty:
            return
    elif empty:
        problems.append(f"{where}: empty translation")
        return
    if numerus and forms_needed and len(forms) != forms_needed:
        problems.append(f"{where}: {len(forms)} plural form(s), the language needs {forms_needed}")
    want_ph = collections.Counter(PLACEHOLDER.findall(src))
    want_tags = collections.Counter(t.lower() for t in TAG.findall(src))
    for f in forms:
        got_ph = collections.Counter(PLACEHOLDER.findall(f))
        if numerus:  # a plural form may leave %n out ("one frame"), never add or drop the others
            want_cmp = {k: v for k, v in want_ph.items() if k != "%n"}
            got_cmp = {k: v for k, v in got_ph.items() if k != "%n"}
        else:
            want_cmp, got_cmp = dict(want_ph), dict(got_ph)
        if want_cmp != got_cmp:
            problems.append(f"{where}: placeholders {sorted(want_ph.elements())} became {sorted(got_ph.elements())} "
                            f"in {f!r}")
        got_tags = collections.Counter(t.lower() for t in TAG.findall(f))
        if want_tags != got_tags:
            problems.append(f"{where}: HTML tags {dict(want_tags)} became {dict(got_tags)} in {f!r}")
        if mnemonics(src) != mnemonics(f):
            problems.append(f"{where}: {mnemonics(src)} mnemonic '&' in the source, {mnemonics(f)} in {f!r}")


def source_files(dirs):
    files = []
    for d in dirs:
        if os.path.isfile(d):
            files.append(os.path.abspath(d))
            continue
        for name in sorted(os.listdir(d)):
            if name.endswith((".cpp", ".h")):
                files.append(os.path.abspath(os.path.join(d, name)))
    return files


def extract(lupdate, include, files):
    """The (context, source, comment) keys lupdate finds in `files`, as it would write them into a .ts."""
    with tempfile.TemporaryDirectory() as tmp:
        ts = os.path.join(tmp, "extracted_ko.ts")
        cmd = [lupdate, "-silent", "-locations", "absolute", "-no-obsolete"]
        if include:
            cmd += ["-I", include]
        cmd += files + ["-ts", ts]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0 or not os.path.exists(ts):
            sys.exit(f"lupdate failed ({r.returncode}): {' '.join(cmd)}\n{r.stdout}{r.stderr}")
        msgs, root = messages(ts)
        files_of = collections.defaultdict(set)  # context -> the source files its strings come from
        for ctx in root.findall("context"):
            for loc in ctx.iter("location"):
                name = loc.get("filename") or ""
                files_of[ctx.findtext("name") or ""].add(os.path.basename(name))
        return {(c, s, k) for c, s, k, _, _ in msgs}, files_of


def code_contexts(files):
    """The contexts the code looks translations up under: namespace-qualified Q_OBJECT classes, the
    Q_DECLARE_TR_FUNCTIONS(...) arguments, the explicit contexts of translate() / QT_TRANSLATE_NOOP, QObject."""
    found = {"QObject"}
    cls = re.compile(r"\b(?:class|struct)\s+(?:\w+\s+)*?(\w+)\s*(?:final\s*)?(?::[^{;]*)?\{")
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        ns = "studio::" if re.search(r"\bnamespace\s+studio\b", text) else ""
        for m in re.finditer(r"\bQ_OBJECT\b|\bQ_GADGET\b", text):
            prev = list(cls.finditer(text, 0, m.start()))
            if prev:
                found.add(ns + prev[-1].group(1))
        found.update(re.findall(r"Q_DECLARE_TR_FUNCTIONS\(\s*([\w:]+)\s*\)", text))
        found.update(re.findall(r"\btranslate\(\s*\"([^\"]+)\"", text))
        found.update(re.findall(r"QT_TRANSLATE_NOOP3?(?:_UTF8)?\(\s*\"([^\"]+)\"", text))
    return found


def fill_en(path):
    tree = ET.parse(path)
    filled = left = 0
    for ctx in tree.getroot().findall("context"):
        for m in ctx.findall("message"):
            tr = m.find("translation")
            if tr is None or tr.get("type") in ("vanished", "obsolete"):
                continue
            if m.get("numerus") == "yes":
                if tr.get("type") == "unfinished":
                    left += 1
                    print(f"needs singular and plural forms by hand: [{ctx.findtext('name')}] {m.findtext('source')!r}")
                continue
            if tr.get("type") == "unfinished" or not (tr.text or "").strip():
                tr.text = m.findtext("source")
                tr.attrib.pop("type", None)
                filled += 1
    tree.write(path, encoding="utf-8", xml_declaration=True)
    print(f"{path}: {filled} entr(ies) filled with the source text, {left} numerus entr(ies) left")
    return 0


def mark_finished(path):
    tree = ET.parse(path)
    done = 0
    for m in tree.getroot().iter("message"):
        tr = m.find("translation")
        if tr is None or tr.get("type") != "unfinished":
            continue
        forms = [f.text or "" for f in tr.findall("numerusform")] if m.get("numerus") == "yes" else [tr.text or ""]
        if forms and all(f.strip() for f in forms):
            tr.attrib.pop("type", None)
            done += 1
    tree.write(path, encoding="utf-8", xml_declaration=True)
    print(f"{path}: {done} entr(ies) marked finished")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ts", action="append", default=[], help="a .ts file to check (repeatable)")
    ap.add_argument("--lupdate", help="lupdate executable: also compare with the strings of the sources")
    ap.add_argument("--include", help="include root for lupdate (resolves namespaces of the classes)")
    ap.add_argument("--sources", nargs="*", default=[], help="source folders or files")
    ap.add_argument("--fill-en", metavar="TS", help="fill an English .ts with its source texts, then exit")
    ap.add_argument("--mark-finished", metavar="TS", help="mark pre-filled unfinished entries finished, then exit")
    a = ap.parse_args()
    if a.fill_en:
        return fill_en(a.fill_en)
    if a.mark_finished:
        return mark_finished(a.mark_finished)
    if not a.ts:
        ap.error("give --ts")

    problems = []
    files = source_files(a.sources) if a.sources else []
    extracted, files_of = extract(a.lupdate, a.include, files) if a.lupdate else (None, {})
    contexts = code_contexts(files) if files else None
    total = 0
    for path in a.ts:
        msgs, root = messages(path)
        lang = language_of(root, path)
        forms_needed = NUMERUS_FORMS.get(lang)
        keys = set()
        for ctx, src, comment, numerus, tr in msgs:
            total += 1
            keys.add((ctx, src, comment))
            check_entry(path, ctx, src, numerus, tr, forms_needed, problems)
        if extracted is not None:
            for ctx, src, comment in sorted(extracted - keys):
                problems.append(f"{os.path.basename(path)}: [{ctx}] {src!r}: used in the sources but missing "
                                f"(run the update_translations target, then translate it)")
            for ctx, src, comment in sorted(keys - extracted):
                problems.append(f"{os.path.basename(path)}: [{ctx}] {src!r}: in the .ts but no longer in the sources "
                                f"(run the update_translations target)")
        if contexts is not None:
            for ctx in sorted({c for c, _, _, _, _ in msgs} - contexts):
                where = ", ".join(sorted(files_of.get(ctx, ()))) or "?"
                problems.append(f"{os.path.basename(path)}: context '{ctx}' (from {where}) is not one the code translates "
                                f"with: a tr() outside a QObject class (free function, lambda in a namespace)? Use "
                                f"QCoreApplication::translate(\"<Context>\", ...) or a Q_DECLARE_TR_FUNCTIONS class")
    for p in problems:
        print(p)
    print(f"{len(a.ts)} file(s), {total} entries, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
