"""Checks that every relative link in the given Markdown files points at an existing file, and that a #fragment
names a heading in that file (GitHub's anchor rules: lowercase, punctuation dropped, spaces to hyphens).
A link to a file that does not exist yet but is expected (architecture.md, written by the lead) is reported apart."""
import os, re, sys

LINK = re.compile(r'\[[^\]]*\]\(([^)\s]+)\)')
EXPECTED_MISSING = {'docs/architecture.md'}

def anchors(path):
    found = set()
    counts = {}
    in_code = False
    for line in open(path, encoding='utf-8'):
        if line.startswith('```'):
            in_code = not in_code
        if in_code or not line.startswith('#'):
            continue
        text = line.lstrip('#').strip()
        slug = re.sub(r'[^\w\- ]', '', text.lower()).replace(' ', '-')
        n = counts.get(slug, 0)
        counts[slug] = n + 1
        found.add(slug if n == 0 else f'{slug}-{n}')
    return found

bad = expected = 0
for md in sys.argv[1:]:
    base = os.path.dirname(md)
    text = open(md, encoding='utf-8').read()
    text = re.sub(r'```.*?```', '', text, flags=re.S)
    for target in LINK.findall(text):
        if re.match(r'^[a-z]+:', target):
            continue
        file, _, frag = target.partition('#')
        resolved = os.path.normpath(os.path.join(base, file)) if file else md
        rel = os.path.relpath(resolved)
        if not os.path.exists(resolved):
            if rel in EXPECTED_MISSING:
                expected += 1
                print(f'expected later: {md} -> {target}')
            else:
                bad += 1
                print(f'MISSING: {md} -> {target}')
            continue
        if frag and resolved.endswith('.md') and frag not in anchors(resolved):
            bad += 1
            print(f'NO ANCHOR: {md} -> {target}')
print(f'{bad} broken, {expected} expected later')
sys.exit(1 if bad else 0)
