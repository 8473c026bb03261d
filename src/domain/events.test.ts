/** The event categories the tools accept are exactly the API's (the vendored OpenAPI spec's enum, which the fake also serves). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENT_CATEGORIES } from './events.js';

const spec = JSON.parse(readFileSync(new URL('../intervals/openapi/intervals-icu-openapi.json', import.meta.url), 'utf8')) as {
  components: { schemas: Record<string, { properties: { category?: { enum?: string[] } } }> };
};

describe('EVENT_CATEGORIES', () => {
  it.each(['Event', 'EventEx'])('is the enum of %s.category, in the same order', (schema) => {
    expect([...EVENT_CATEGORIES]).toEqual(spec.components.schemas[schema]?.properties.category?.enum);
  });
});
