// Request validation: query strings, params and headers are text, so they are coerced to the
// schema's types; JSON bodies are not, so `"givenName": 42` is the 400 it should be.
import AjvModule, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const shared: Options = { removeAdditional: true, useDefaults: true, allErrors: false, strict: false };

function build(coerceTypes: Options['coerceTypes']) {
  const ajv = new AjvModule.default({ ...shared, coerceTypes });
  addFormats.default(ajv);
  return ajv;
}

export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const forBody = build(false);
  const forText = build('array');
  return ({ schema, httpPart }) => (httpPart === 'body' ? forBody : forText).compile(schema as object);
}
