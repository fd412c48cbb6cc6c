#!/usr/bin/env python3
"""Chinese in the window is one language: po/GLOSSARY's terms, full-width punctuation.

Usage: check-po-terms.py GLOSSARY PO — prints one line per problem, exits 1 if there is any.
"""
import re
import sys

ENTRY = re.compile(
    r'(?:^msgctxt ((?:"(?:[^"\\]|\\.)*"\n)+))?'
    r'^msgid ((?:"(?:[^"\\]|\\.)*"\n)+)'
    r'(?:^msgid_plural ((?:"(?:[^"\\]|\\.)*"\n)+))?'
    r'((?:^msgstr(?:\[\d\])? (?:"(?:[^"\\]|\\.)*"\n)+)+)',
    re.M)
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
CJK = '\u3400-\u9fff\u201c\u201d\u3001\u3002\uff08\uff09\uff0c\uff1a\uff1b\uff01\uff1f'
# A half-width , ; : ! ? ( ) touching a Chinese character. "(_D)" mnemonics keep the GNOME
# convention; "%s:%u" and "08:00" touch no Chinese character and pass.
HALF_WIDTH = re.compile(r'[%s][,;:!?()](?!_[A-Za-z]\))|(?<!\(_[A-Za-z])[,;:!?()][%s]' % (CJK, CJK))
MNEMONIC = re.compile(r'\(_[A-Za-z]\)')


def text(block):
    return ''.join(STRING.findall(block or '')).replace('\\n', '\n').replace('\\"', '"')


def read_glossary(path):
    rules = []
    for n, line in enumerate(open(path, encoding='utf-8'), 1):
        if not line.strip() or line.startswith('#'):
            continue
        cols = re.split(r'\t+', line.rstrip('\n'))
        if len(cols) != 4:
            sys.exit('%s:%d: expected 4 tab-separated columns, found %d' % (path, n, len(cols)))
        concept, pattern, terms, rejected = cols
        rules.append((concept, re.compile(pattern, re.I), terms.split(','),
                      [] if rejected == '-' else rejected.split(',')))
    return rules


def main():
    rules = read_glossary(sys.argv[1])
    po = open(sys.argv[2], encoding='utf-8').read()
    problems = []
    for m in ENTRY.finditer(po):
        msgid = text(m.group(2)) + ' ' + text(m.group(3))
        msgstrs = [text(b) for b in re.findall(r'^msgstr(?:\[\d\])? ((?:"(?:[^"\\]|\\.)*"\n)+)',
                                                m.group(4), re.M)]
        if not msgid.strip() or not any(msgstrs):
            continue
        for msgstr in msgstrs:
            if not re.search('[\u3400-\u9fff]', msgstr):
                continue
            where = msgid.strip()[:70]
            for concept, pattern, terms, rejected in rules:
                for word in rejected:
                    if word in msgstr:
                        problems.append('"%s": %s is "%s", not "%s"' % (where, concept, terms[0], word))
                hit = pattern.search(msgid)
                if hit and not any(t in msgstr for t in terms) and \
                        hit.group(0).lower() not in msgstr.lower():
                    problems.append('"%s": says %s, so the translation says "%s"'
                                    % (where, concept, terms[0]))
            bad = HALF_WIDTH.search(MNEMONIC.sub('', msgstr))
            if bad:
                problems.append('"%s": half-width "%s" in Chinese text: use full-width punctuation'
                                % (where, bad.group(0)))
    for p in sorted(set(problems)):
        print(p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
