// Rule conditions are a small subset of FHIRPath: member paths over the encounter, =, !=, <, <=, >, >=,
// and, or, in, contains, |, where(), exists(), count(), not(), matches(), empty(), literals and %variables.
// The `fhirpath` package evaluates any expression, but about half the mapping time went into it (its
// engine clones a context for every node it visits). This turns an expression of the subset into plain
// closures over JavaScript arrays, with FHIRPath's collection semantics: every value is a collection,
// an empty operand makes a comparison empty, `and`/`or` are three-valued, `where` keeps the items whose
// criterion is exactly `true`. An expression outside the subset is not compiled here (`undefined`), and
// the caller evaluates it with the `fhirpath` package instead. The answers are checked against that
// package on every shipped expression over generated and mutated encounters (test/mapping).
import fhirpath from 'fhirpath';

type Item = unknown;
type Collection = Item[];
export type Environment = Record<string, unknown>;
type Evaluate = (focus: Collection, environment: Environment) => Collection;

interface AstNode {
  type: string;
  text?: string;
  terminalNodeText?: string[];
  children?: AstNode[];
}

class Unsupported extends Error {}

const TRUE: Collection = [true];
const FALSE: Collection = [false];
const EMPTY: Collection = [];
const bool = (value: boolean): Collection => (value ? TRUE : FALSE);

/** The single boolean a collection stands for, or undefined when empty; anything else is outside the subset. */
function singletonBoolean(collection: Collection): boolean | undefined {
  if (collection.length === 0) return undefined;
  if (collection.length === 1 && typeof collection[0] === 'boolean') return collection[0];
  throw new Unsupported('a boolean operand that is not one boolean');
}

function member(focus: Collection, name: string): Collection {
  const out: Collection = [];
  for (const item of focus) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    const value = (item as Record<string, unknown>)[name];
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const element of value) if (element !== undefined && element !== null) out.push(element);
    } else out.push(value);
  }
  return out;
}

const isPrimitive = (value: unknown): value is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof value);

function equal(left: Collection, right: Collection): Collection {
  if (left.length === 0 || right.length === 0) return EMPTY;
  if (left.length !== right.length) return FALSE;
  for (let i = 0; i < left.length; i++) {
    const a = left[i];
    const b = right[i];
    if (!isPrimitive(a) || !isPrimitive(b) || typeof a !== typeof b) throw new Unsupported('equality of objects or of mixed types');
    if (a !== b) return FALSE;
  }
  return TRUE;
}

function compare(operator: string, left: Collection, right: Collection): Collection {
  if (left.length === 0 || right.length === 0) return EMPTY;
  const [a, b] = [left[0], right[0]];
  if (left.length > 1 || right.length > 1 || typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) throw new Unsupported('comparison of non-singletons or mixed types');
  const x = a as number | string;
  const y = b as number | string;
  switch (operator) {
    case '<':
      return bool(x < y);
    case '<=':
      return bool(x <= y);
    case '>':
      return bool(x > y);
    default:
      return bool(x >= y);
  }
}

function unescapeString(literal: string): string {
  return literal.slice(1, -1).replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_match, escaped: string) => {
    if (escaped.startsWith('u') && escaped.length === 5) return String.fromCharCode(parseInt(escaped.slice(1), 16));
    return ({ t: '\t', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[escaped] ?? escaped;
  });
}

function only(node: AstNode, count: number): AstNode[] {
  const children = node.children ?? [];
  if (children.length !== count) throw new Unsupported(`${node.type} with ${children.length} operands`);
  return children;
}

function compileFunction(node: AstNode): (input: Collection, environment: Environment) => Collection {
  const functn = only(node, 1)[0] as AstNode;
  const [identifier, params] = functn.children ?? [];
  const name = identifier?.text;
  const args = params?.children ?? [];
  const arity = (expected: number) => {
    if (args.length !== expected) throw new Unsupported(`${name}() with ${args.length} arguments`);
  };
  switch (name) {
    case 'exists':
      if (args.length === 0) return (input) => bool(input.length > 0);
      {
        const criterion = compileNode(args[0] as AstNode);
        return (input, environment) => bool(input.some((item) => singletonBoolean(criterion([item], environment)) === true));
      }
    case 'empty':
      arity(0);
      return (input) => bool(input.length === 0);
    case 'count':
      arity(0);
      return (input) => [input.length];
    case 'not':
      arity(0);
      return (input) => {
        const value = singletonBoolean(input);
        return value === undefined ? EMPTY : bool(!value);
      };
    case 'where': {
      arity(1);
      const criterion = compileNode(args[0] as AstNode);
      return (input, environment) => input.filter((item) => singletonBoolean(criterion([item], environment)) === true);
    }
    case 'matches': {
      arity(1);
      const pattern = args[0] as AstNode;
      const literal = findLiteral(pattern);
      if (literal === undefined || typeof literal !== 'string') throw new Unsupported('matches() with a pattern that is not a string literal');
      // As the fhirpath package does: the pattern may match anywhere, and `.` matches line breaks too.
      const regex = new RegExp(literal, 's');
      return (input) => {
        if (input.length === 0) return EMPTY;
        const [value] = input;
        if (input.length > 1 || typeof value !== 'string') throw new Unsupported('matches() on a non-string');
        return bool(regex.test(value));
      };
    }
    default:
      throw new Unsupported(`function ${name}()`);
  }
}

/** The value of an operand that is a bare literal (for matches()' pattern); undefined otherwise. */
function findLiteral(node: AstNode): unknown {
  if (node.type === 'TermExpression') return findLiteral(only(node, 1)[0] as AstNode);
  if (node.type === 'LiteralTerm') {
    const literal = only(node, 1)[0] as AstNode;
    if (literal.type === 'StringLiteral') return unescapeString(literal.text ?? "''");
  }
  return undefined;
}

function compileNode(node: AstNode): Evaluate {
  switch (node.type) {
    case 'EntireExpression':
    case 'TermExpression':
    case 'ParenthesizedTerm':
    case 'InvocationTerm':
      return compileNode(only(node, 1)[0] as AstNode);
    case 'MemberInvocation': {
      const name = only(node, 1)[0]?.text;
      if (name === undefined) throw new Unsupported('member without a name');
      return (focus) => member(focus, name);
    }
    case 'FunctionInvocation': {
      const apply = compileFunction(node);
      return (focus, environment) => apply(focus, environment);
    }
    case 'InvocationExpression': {
      const [left, right] = only(node, 2) as [AstNode, AstNode];
      const source = compileNode(left);
      if (right.type === 'MemberInvocation') {
        const name = only(right, 1)[0]?.text;
        if (name === undefined) throw new Unsupported('member without a name');
        return (focus, environment) => member(source(focus, environment), name);
      }
      if (right.type === 'FunctionInvocation') {
        const apply = compileFunction(right);
        return (focus, environment) => apply(source(focus, environment), environment);
      }
      throw new Unsupported(`invocation of ${right.type}`);
    }
    case 'LiteralTerm': {
      const literal = only(node, 1)[0] as AstNode;
      let value: unknown;
      if (literal.type === 'StringLiteral') value = unescapeString(literal.text ?? "''");
      else if (literal.type === 'NumberLiteral') value = Number(literal.text);
      else if (literal.type === 'BooleanLiteral') value = literal.text === 'true';
      else throw new Unsupported(`literal ${literal.type}`);
      const collection = [value];
      return () => collection;
    }
    case 'ExternalConstantTerm': {
      const name = node.text;
      if (name === undefined || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Unsupported('external constant');
      return (_focus, environment) => {
        const value = environment[name];
        if (value === undefined) throw new Unsupported(`%${name} is not defined`);
        return value === null ? EMPTY : Array.isArray(value) ? value : [value];
      };
    }
    case 'EqualityExpression': {
      const [left, right] = only(node, 2).map(compileNode) as [Evaluate, Evaluate];
      if (node.text === '=') return (focus, environment) => equal(left(focus, environment), right(focus, environment));
      if (node.text === '!=') {
        return (focus, environment) => {
          const result = equal(left(focus, environment), right(focus, environment));
          return result.length === 0 ? EMPTY : bool(!result[0]);
        };
      }
      throw new Unsupported(`equality ${node.text}`);
    }
    case 'InequalityExpression': {
      const [left, right] = only(node, 2).map(compileNode) as [Evaluate, Evaluate];
      const operator = node.text ?? '';
      if (!['<', '<=', '>', '>='].includes(operator)) throw new Unsupported(`inequality ${operator}`);
      return (focus, environment) => compare(operator, left(focus, environment), right(focus, environment));
    }
    case 'AndExpression':
    case 'OrExpression': {
      const [left, right] = only(node, 2).map(compileNode) as [Evaluate, Evaluate];
      if (node.text !== 'and' && node.text !== 'or') throw new Unsupported(`logical ${node.text}`);
      const isAnd = node.text === 'and';
      return (focus, environment) => {
        const a = singletonBoolean(left(focus, environment));
        const b = singletonBoolean(right(focus, environment));
        if (isAnd) {
          if (a === false || b === false) return FALSE;
          return a === true && b === true ? TRUE : EMPTY;
        }
        if (a === true || b === true) return TRUE;
        return a === false && b === false ? FALSE : EMPTY;
      };
    }
    case 'MembershipExpression': {
      const [left, right] = only(node, 2).map(compileNode) as [Evaluate, Evaluate];
      const isIn = node.text === 'in';
      if (!isIn && node.text !== 'contains') throw new Unsupported(`membership ${node.text}`);
      return (focus, environment) => {
        const collection = isIn ? right(focus, environment) : left(focus, environment);
        const element = isIn ? left(focus, environment) : right(focus, environment);
        if (element.length === 0) return EMPTY;
        const [value] = element;
        if (element.length > 1 || !isPrimitive(value)) throw new Unsupported('membership of a non-singleton');
        return bool(collection.some((item) => item === value));
      };
    }
    case 'UnionExpression': {
      const [left, right] = only(node, 2).map(compileNode) as [Evaluate, Evaluate];
      return (focus, environment) => {
        const out: Collection = [];
        for (const item of [...left(focus, environment), ...right(focus, environment)]) {
          if (!isPrimitive(item)) throw new Unsupported('union of objects');
          if (!out.includes(item)) out.push(item);
        }
        return out;
      };
    }
    default:
      throw new Unsupported(node.type);
  }
}

/**
 * The expression as closures, or undefined when it lies outside the subset. A compiled expression that
 * meets a case the subset leaves out at run time (a comparison of objects, an undefined %variable) hands
 * that one evaluation to `fallback`, so an answer never differs from the `fhirpath` package's.
 */
export function compileSubset(
  expression: string,
  fallback: (encounter: unknown, environment: Environment) => unknown[],
): ((encounter: unknown, environment: Environment) => unknown[]) | undefined {
  let evaluate: Evaluate;
  try {
    evaluate = compileNode(fhirpath.parse(expression) as AstNode);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  return (encounter, environment) => {
    try {
      return evaluate([encounter], environment);
    } catch (error) {
      if (error instanceof Unsupported) return fallback(encounter, environment);
      throw error;
    }
  };
}
