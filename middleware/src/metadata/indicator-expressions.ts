// Indicator numerators and denominators (reference/dhis2-web-api.md §5.2): arithmetic over operands such as
// `#{deUid}`, `#{deUid.cocUid}`, `#{deUid.*.aocUid}` and `R{dataSetUid.REPORTING_RATE}`. This module reads an
// expression into its operands (checking that nothing else is in it) and rewrites operands, which the
// package build uses to turn `#{CODE.CODE}` into `#{uid.uid}`.

export type Operand =
  | { kind: 'dataElement'; text: string; dataElement: string; categoryOptionCombo?: string; attributeOptionCombo?: string }
  | { kind: 'reportingRate'; text: string; dataSet: string; metric: string }
  | { kind: 'other'; text: string; prefix: string };

const OPERAND = /(OUG|[#RCNIDA])\{([^{}]*)\}/g;
const REPORTING_METRICS = new Set(['REPORTING_RATE', 'REPORTING_RATE_ON_TIME', 'ACTUAL_REPORTS', 'ACTUAL_REPORTS_ON_TIME', 'EXPECTED_REPORTS']);

export type ParsedExpression = { ok: true; operands: Operand[] } | { ok: false; message: string };

export function parseExpression(expression: string): ParsedExpression {
  if (expression.trim() === '') return { ok: false, message: 'is empty' };
  const operands: Operand[] = [];
  for (const match of expression.matchAll(OPERAND)) {
    const [text, prefix, inner] = match as unknown as [string, string, string];
    if (prefix === '#') {
      const parts = inner.split('.');
      const [dataElement, coc, aoc] = parts;
      if (parts.length > 3 || !dataElement || dataElement === '*' || coc === '' || aoc === '') {
        return { ok: false, message: `has a malformed operand ${text} (expected #{dataElement}, #{dataElement.coc} or #{dataElement.coc.aoc})` };
      }
      operands.push({
        kind: 'dataElement',
        text,
        dataElement,
        ...(coc !== undefined && coc !== '*' ? { categoryOptionCombo: coc } : {}),
        ...(aoc !== undefined && aoc !== '*' ? { attributeOptionCombo: aoc } : {}),
      });
    } else if (prefix === 'R') {
      const [dataSet, metric, ...rest] = inner.split('.');
      if (!dataSet || !metric || rest.length > 0 || !REPORTING_METRICS.has(metric)) {
        return { ok: false, message: `has a malformed operand ${text} (expected R{dataSet.REPORTING_RATE} or another reporting metric)` };
      }
      operands.push({ kind: 'reportingRate', text, dataSet, metric });
    } else {
      operands.push({ kind: 'other', text, prefix });
    }
  }
  // What is left once operands are taken out must be plain arithmetic.
  const rest = expression.replace(OPERAND, '0');
  const stray = /[^0-9.\s+\-*/%^()]/.exec(rest);
  if (stray) return { ok: false, message: `has "${stray[0]}" outside an operand (only numbers, + - * / % ^ and parentheses may join operands)` };
  let depth = 0;
  for (const char of rest) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (depth < 0) return { ok: false, message: 'closes a parenthesis it never opened' };
  }
  if (depth !== 0) return { ok: false, message: 'leaves a parenthesis open' };
  if (!/[0-9]/.test(rest)) return { ok: false, message: 'holds no operand or number' };
  return { ok: true, operands };
}

/** The expression with every `#{…}` operand's identifiers replaced (data element, then option combos). */
export function rewriteDataElementOperands(expression: string, replace: (identifier: string, position: 'dataElement' | 'categoryOptionCombo' | 'attributeOptionCombo') => string): string {
  const positions = ['dataElement', 'categoryOptionCombo', 'attributeOptionCombo'] as const;
  return expression.replace(/#\{([^{}]*)\}/g, (_text, inner: string) => {
    const parts = inner.split('.').map((part, i) => (part === '*' ? part : replace(part, positions[i] ?? 'attributeOptionCombo')));
    return `#{${parts.join('.')}}`;
  });
}
