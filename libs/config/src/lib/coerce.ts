import type { z } from 'zod';

interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
}

const WRAPPERS = new Set(['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch']);
const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);
const NUMBER_SHAPE = /^-?[0-9]+(\.[0-9]+)?$/;

/**
 * Turns a string from the environment or the command line into the type the schema expects
 * for that setting: numbers, booleans (`true/false`, `1/0`, `yes/no`, `on/off`), comma lists
 * and JSON objects. A string that does not fit is returned unchanged so the schema reports it.
 */
export function coerceString(schema: z.ZodType | undefined, text: string): unknown {
  const def = schema === undefined ? undefined : baseDef(schema);

  switch (def?.type) {
    case 'number':
      return NUMBER_SHAPE.test(text.trim()) ? Number(text.trim()) : text;
    case 'boolean':
      return coerceBoolean(text);
    case 'array':
      return text.trim() === ''
        ? []
        : text.split(',').map((item) => coerceString(def.element, item.trim()));
    case 'object':
    case 'record':
      return coerceJson(text);
    default:
      return text;
  }
}

function baseDef(schema: z.ZodType): SchemaDef {
  let def = schema._zod.def as unknown as SchemaDef;
  while (WRAPPERS.has(def.type) && def.innerType !== undefined) {
    def = def.innerType._zod.def as unknown as SchemaDef;
  }

  return def;
}

function coerceBoolean(text: string): unknown {
  const word = text.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;

  return text;
}

function coerceJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
