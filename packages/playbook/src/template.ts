/** Variables a touch's templated content may use, e.g. `{{account.name}}`. */
export type TemplateVariables = Record<string, unknown>;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/g;

function lookup(vars: TemplateVariables, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), vars);
}

/** Replaces `{{path}}` placeholders; unknown variables render empty rather than leaking braces. */
export function renderTemplate(text: string, vars: TemplateVariables): string {
  return text.replace(PLACEHOLDER, (_match, path: string) => {
    const value = lookup(vars, path);
    return value === undefined || value === null ? '' : String(value);
  });
}

/** The variable paths a template refers to, in order of first use. */
export function templateVariables(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(PLACEHOLDER), (m) => m[1]))];
}
