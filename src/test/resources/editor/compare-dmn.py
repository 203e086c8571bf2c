#!/usr/bin/env python3
"""Checks that a DMN file re-saved by an editor holds the same model as the original.

usage: python3 compare-dmn.py ORIGINAL.dmn RESAVED.dmn

Works across DMN versions (elements are compared by local name, so 1.2 `dmn:`-prefixed output and
1.6 default-namespace output compare alike). Checks, for every DRG element of ORIGINAL (by id):
name, variable name/typeRef, requirements, description, and the whole expression (decision
tables: hit policy, inputs, outputs, every rule's input/output/annotation entry text; literal
expressions: text), plus all itemDefinitions. Editor noise is ignored and listed: empty
<extensionElements/>, element order at the top level, preferredOrientation/outputLabel on a
decision table when only one side has it, a decision-table input's label that only one side has
and that equals the input expression text, and everything in DMNDI (only summarised). Exits 0 when the models match, 1 otherwise.
"""
import sys
import xml.etree.ElementTree as ET

NOISE_ATTRS = {'preferredOrientation', 'outputLabel'}


def local(tag):
    return tag.split('}', 1)[1] if '}' in tag else tag


def uri(tag):
    return tag[1:].split('}', 1)[0] if '}' in tag else ''


class Notes:
    def __init__(self):
        self.noise, self.errors = {}, []

    def n(self, what):
        self.noise[what] = self.noise.get(what, 0) + 1


def canon(el, notes, path):
    """(tag, attrs, text, children) with editor noise removed."""
    attrs = {local(k): v for k, v in el.attrib.items()}
    kids = []
    for c in el:
        if local(c.tag) == 'extensionElements' and len(c) == 0 and not (c.text or '').strip():
            notes.n('empty <extensionElements/>')
            continue
        kids.append(canon(c, notes, path + '/' + local(c.tag)))
    return (local(el.tag), tuple(sorted(attrs.items())), (el.text or '').strip(), tuple(kids))


def diffs(a, b, path, out, notes):
    if a[0] != b[0]:
        out.append(f'{path}: element {a[0]} vs {b[0]}')
        return
    p = f'{path}/{a[0]}'
    da, db = dict(a[1]), dict(b[1])
    for k in sorted(set(da) | set(db)):
        if k in NOISE_ATTRS and (k not in da or k not in db):
            notes.n(f'attribute {k} present on one side only, on {a[0]}')
            continue
        if a[0] == 'input' and k == 'label' and (k not in da or k not in db):
            expr = next((t[2] for c in a[3] if c[0] == 'inputExpression' for t in c[3] if t[0] == 'text'), None)
            if (da.get(k) or db.get(k)) == expr:
                notes.n('decision-table input label equal to its input expression, present on one side only')
                continue
        if da.get(k) != db.get(k):
            out.append(f'{p}/@{k}: {da.get(k)!r} vs {db.get(k)!r}')
    if a[2] != b[2]:
        out.append(f'{p}: text {a[2]!r} vs {b[2]!r}')
    if len(a[3]) != len(b[3]):
        out.append(f'{p}: children {[c[0] for c in a[3]]} vs {[c[0] for c in b[3]]}')
        return
    for i, (ca, cb) in enumerate(zip(a[3], b[3])):
        diffs(ca, cb, f'{p}[{i}]', out, notes)


def main(a_path, b_path):
    ra, rb = ET.parse(a_path).getroot(), ET.parse(b_path).getroot()
    notes = Notes()
    print(f'model namespace: {uri(ra.tag)} -> {uri(rb.tag)}')
    for k in ('id', 'name', 'namespace'):
        if ra.get(k) != rb.get(k):
            notes.errors.append(f'definitions/@{k}: {ra.get(k)!r} vs {rb.get(k)!r}')

    def elements(root):
        return [c for c in root if local(c.tag) not in ('DMNDI', 'extensionElements')]

    def key(el):
        return (local(el.tag), el.get('id') or el.get('name') or '')

    ea, eb = elements(ra), elements(rb)
    byb = {key(e): e for e in eb}
    if [key(e) for e in ea if key(e) in byb] != [key(e) for e in eb if key(e) in {key(x) for x in ea}]:
        notes.n('top-level elements reordered')
    for e in ea:
        k = key(e)
        if k not in byb:
            notes.errors.append(f'{k[0]} {k[1]} missing')
            continue
        out = []
        diffs(canon(e, notes, k[0]), canon(byb[k], notes, k[0]), f'{k[0]}#{k[1]}', out, notes)
        notes.errors.extend(out)
    for e in eb:
        if key(e) not in {key(x) for x in ea}:
            notes.errors.append(f'extra {key(e)[0]} {key(e)[1]} in resaved file')

    decisions = [e for e in ea if local(e.tag) == 'decision']
    for d in decisions:
        rules = [r for dt in d.iter() if local(dt.tag) == 'decisionTable' for r in dt if local(r.tag) == 'rule']
        kind = next((local(c.tag) for c in d if local(c.tag) not in
                     ('description', 'extensionElements', 'variable', 'informationRequirement',
                      'knowledgeRequirement', 'authorityRequirement', 'question', 'allowedAnswers')), '-')
        print(f'  decision {d.get("name")!r}: {kind}' + (f', {len(rules)} rules' if rules else ''))

    # DMNDI: only report.
    def di(root):
        shapes, edges = {}, {}
        for el in root.iter():
            if local(el.tag) == 'DMNShape':
                b = next((x for x in el if local(x.tag) == 'Bounds'), None)
                shapes[el.get('dmnElementRef')] = (el.get('id'), None if b is None else tuple(sorted(b.attrib.items())))
            elif local(el.tag) == 'DMNEdge':
                edges[el.get('dmnElementRef')] = (el.get('id'), tuple(tuple(sorted(w.attrib.items())) for w in el if local(w.tag) == 'waypoint'))
        return shapes, edges
    sa, ga = di(ra)
    sb, gb = di(rb)
    print(f'DMNDI: shapes {len(sa)} -> {len(sb)}, edges {len(ga)} -> {len(gb)}; '
          f'shape ids changed {sum(1 for k in sa if k in sb and sa[k][0] != sb[k][0])}, '
          f'bounds changed {sum(1 for k in sa if k in sb and sa[k][1] != sb[k][1])}, '
          f'edge ids changed {sum(1 for k in ga if k in gb and ga[k][0] != gb[k][0])}, '
          f'waypoints changed {sum(1 for k in ga if k in gb and ga[k][1] != gb[k][1])}, '
          f'missing shapes {[k for k in sa if k not in sb]}, missing edges {[k for k in ga if k not in gb]}')
    for what, n in sorted(notes.noise.items()):
        print(f'ignored: {what} (x{n})')
    for e in notes.errors:
        print('DIFF', e)
    print(f'{len(decisions)} decisions, {len(ea)} top-level elements compared: '
          + ('SAME MODEL' if not notes.errors else f'{len(notes.errors)} DIFFERENCES'))
    return 0 if not notes.errors else 1


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
