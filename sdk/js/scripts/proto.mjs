// A parser for the subset of proto3 that guildhall.proto uses: messages (nested messages and enums), top-level
// enums, scalar / message / enum fields, `repeated`, `optional`, `map<K, V>` and `oneof`. Comments are kept only
// where they carry meaning for the SDK: the section comments inside a oneof ("Requests", "Responses", "Pushes"),
// which say each Envelope body's direction. Anything else (services, options, imports, extensions) is refused
// with an error naming the line, so a .proto that outgrows this parser fails loudly instead of silently.

const SCALARS = new Set([
  'double', 'float', 'int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64',
  'sfixed32', 'sfixed64', 'bool', 'string', 'bytes',
]);

/** protobuf's JSON name: snake_case to lowerCamelCase (what json_name defaults to). */
export function jsonName(name) {
  return name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
}

export function isScalar(type) {
  return SCALARS.has(type);
}

function tokenize(text) {
  const tokens = [];
  const pattern = /(\/\/[^\n]*)|(\/\*[\s\S]*?\*\/)|("(?:[^"\\]|\\.)*")|([A-Za-z_][A-Za-z0-9_.]*)|(-?\d+)|(\S)/g;
  let line = 1;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    line += countNewlines(text, last, match.index);
    last = match.index;
    const [whole, lineComment, blockComment, string, word, number] = match;
    if (lineComment) tokens.push({ kind: 'comment', text: lineComment.slice(2).trim(), line });
    else if (blockComment) continue;
    else if (string) tokens.push({ kind: 'string', text: string.slice(1, -1), line });
    else if (word) tokens.push({ kind: 'word', text: word, line });
    else if (number) tokens.push({ kind: 'number', text: number, line });
    else tokens.push({ kind: 'symbol', text: whole, line });
  }
  return tokens;
}

function countNewlines(text, from, to) {
  let n = 0;
  for (let i = from; i < to; i += 1) if (text.charCodeAt(i) === 10) n += 1;
  return n;
}

class Parser {
  #tokens;
  #at = 0;
  #lastComment = null;

  constructor(tokens) {
    this.#tokens = tokens;
  }

  /** The next token that is not a comment; comments seen on the way are remembered for oneof sections. */
  peek() {
    while (this.#tokens[this.#at]?.kind === 'comment') {
      this.#lastComment = this.#tokens[this.#at].text;
      this.#at += 1;
    }
    return this.#tokens[this.#at] ?? null;
  }

  next() {
    const token = this.peek();
    if (!token) throw new Error('proto: unexpected end of file');
    this.#at += 1;
    return token;
  }

  expect(text) {
    const token = this.next();
    if (token.text !== text) throw new Error(`proto line ${token.line}: expected '${text}', found '${token.text}'`);
    return token;
  }

  word() {
    const token = this.next();
    if (token.kind !== 'word') throw new Error(`proto line ${token.line}: expected a name, found '${token.text}'`);
    return token.text;
  }

  number() {
    const token = this.next();
    if (token.kind !== 'number') throw new Error(`proto line ${token.line}: expected a number, found '${token.text}'`);
    return Number(token.text);
  }

  takeComment() {
    const comment = this.#lastComment;
    this.#lastComment = null;
    return comment;
  }
}

function parseEnum(p, scope) {
  const name = p.word();
  const values = [];
  p.expect('{');
  while (p.peek()?.text !== '}') {
    const value = p.word();
    p.expect('=');
    values.push({ name: value, number: p.number() });
    p.expect(';');
  }
  p.expect('}');
  return { name, fullName: scope ? `${scope}.${name}` : name, values };
}

function parseField(p, first, { oneof = null, section = null } = {}) {
  let label = null;
  let type = first;
  if (first === 'repeated' || first === 'optional') {
    label = first;
    type = p.word();
  }
  let map = null;
  if (type === 'map') {
    p.expect('<');
    const key = p.word();
    p.expect(',');
    const value = p.word();
    p.expect('>');
    map = { key, value };
  }
  const name = p.word();
  p.expect('=');
  const number = p.number();
  const token = p.next();
  if (token.text !== ';') throw new Error(`proto line ${token.line}: field options are not supported (${name})`);
  return {
    name, jsonName: jsonName(name), number, type: map ? 'map' : type, map,
    repeated: label === 'repeated', optional: label === 'optional', oneof, section,
  };
}

function parseOneof(p, message) {
  const oneof = p.word();
  p.expect('{');
  p.takeComment();
  let section = null;
  for (;;) {
    const token = p.peek();
    const comment = p.takeComment();
    if (comment) section = sectionOf(comment) ?? section;
    if (token.text === '}') break;
    message.fields.push(parseField(p, p.word(), { oneof, section }));
  }
  p.expect('}');
  message.oneofs.push(oneof);
}

/** "Requests (client -> server)." -> 'request'; null for a comment that is not a section heading. */
function sectionOf(comment) {
  const heading = /^(Requests|Responses|Pushes)\b/.exec(comment);
  return heading ? { Requests: 'request', Responses: 'response', Pushes: 'push' }[heading[1]] : null;
}

function parseMessage(p, scope, out) {
  const name = p.word();
  const fullName = scope ? `${scope}.${name}` : name;
  const message = { name, fullName, fields: [], oneofs: [] };
  out.messages.push(message);
  p.expect('{');
  while (p.peek()?.text !== '}') {
    const word = p.word();
    if (word === 'message') parseMessage(p, fullName, out);
    else if (word === 'enum') out.enums.push(parseEnum(p, fullName));
    else if (word === 'oneof') parseOneof(p, message);
    else if (word === 'reserved' || word === 'option' || word === 'extensions') {
      throw new Error(`proto: '${word}' in ${fullName} is not supported by this parser`);
    } else message.fields.push(parseField(p, word));
  }
  p.expect('}');
}

/**
 * Parses .proto text into {package, messages: [{name, fullName, fields, oneofs}], enums: [{name, fullName,
 * values}]}. Nested names are dotted ("PresenceEvent.Kind"). Field types stay as written; resolveType() finds
 * what a name refers to. Throws an Error naming the line for anything outside the supported subset.
 */
export function parseProto(text) {
  const p = new Parser(tokenize(text));
  const out = { package: '', messages: [], enums: [] };
  while (p.peek()) {
    const word = p.word();
    if (word === 'syntax') {
      p.expect('=');
      const version = p.next().text;
      if (version !== 'proto3') throw new Error(`proto: syntax ${version} is not supported`);
      p.expect(';');
    } else if (word === 'package') {
      out.package = p.word();
      p.expect(';');
    } else if (word === 'message') {
      parseMessage(p, '', out);
    } else if (word === 'enum') {
      out.enums.push(parseEnum(p, ''));
    } else {
      throw new Error(`proto: top-level '${word}' is not supported by this parser`);
    }
  }
  return out;
}

/**
 * What `type` (as written in message `scope`) names: {kind: 'scalar'|'message'|'enum', fullName}. Looks in the
 * scope, then its parents, as protoc does. Throws for a name that resolves to nothing.
 */
export function resolveType(proto, scope, type) {
  if (isScalar(type)) return { kind: 'scalar', fullName: type };
  const parts = scope.split('.');
  for (let i = parts.length; i >= 0; i -= 1) {
    const candidate = [...parts.slice(0, i), type].filter(Boolean).join('.');
    if (proto.messages.some((m) => m.fullName === candidate)) return { kind: 'message', fullName: candidate };
    if (proto.enums.some((e) => e.fullName === candidate)) return { kind: 'enum', fullName: candidate };
  }
  throw new Error(`proto: ${scope}: unknown type ${type}`);
}
