// Request validation: query strings, params and headers are text, so they are coerced to the
// schema's types; JSON bodies are not, so `"givenName": 42` is the 400 it should be.
import AjvModule, { type Options, type ValidateFunction } from 'ajv';
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
  // Compiled on a route's first request, not at start-up, where compiling every route's schemas
  // was a large share of the start time. Fastify reads a failed validation's `errors` from the
  // function it was given, so they are copied onto the wrapper.
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? forBody : forText;
    let compiled: ValidateFunction | undefined;
    const validate = (data: unknown) => {
      compiled ??= ajv.compile(schema as object);
      const valid = compiled(data);
      validate.errors = compiled.errors;
      return valid;
    };
    validate.errors = null as ValidateFunction['errors'];
    return validate;
  };
}
