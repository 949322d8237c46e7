import { html, type SafeHtml } from '../html.js';
import type { FormValues } from './badge-class-form.js';

/**
 * A console form's fields, named by the paths of the object they make (`title.en`), each with its
 * label, hint and problem tied to it for screen readers (`aria-describedby`, `aria-invalid`).
 */
export function formFields(values: FormValues, errors: Record<string, string>) {
  const v = (name: string) => values[name] ?? '';
  const err = (name: string) => errors[name];
  const idOf = (name: string) => `f-${name.replace(/[^a-zA-Z0-9]/g, '-')}`;
  const errorLine = (name: string): SafeHtml | '' => (err(name) ? html`<p class="field-error" id="${idOf(name)}-error">${err(name)}</p>` : '');
  const attrs = (name: string, hint?: string) => {
    const described = [err(name) ? `${idOf(name)}-error` : '', hint ? `${idOf(name)}-hint` : ''].filter(Boolean).join(' ');
    return html` id="${idOf(name)}" name="${name}"${err(name) ? html` aria-invalid="true"` : ''}${described ? html` aria-describedby="${described}"` : ''}`;
  };
  const hintLine = (name: string, hint?: string) => (hint ? html`<p class="hint" id="${idOf(name)}-hint">${hint}</p>` : '');
  return {
    v,
    idOf,
    errorLine,
    attrs,
    input: (name: string, label: string, options: { hint?: string | undefined; type?: string; required?: boolean; extra?: SafeHtml } = {}) => html`<div class="field">
  <label for="${idOf(name)}">${label}</label>
  ${hintLine(name, options.hint)}${errorLine(name)}
  <input type="${options.type ?? 'text'}" value="${v(name)}"${attrs(name, options.hint)}${options.required ? html` required` : ''}${options.extra ?? ''}>
</div>`,
    textarea: (name: string, label: string, rows = 4) => html`<div class="field">
  <label for="${idOf(name)}">${label}</label>${errorLine(name)}
  <textarea rows="${rows}"${attrs(name)}>${v(name)}</textarea>
</div>`,
    select: (name: string, label: string, options: Array<[string, string]>) => html`<div class="field">
  <label for="${idOf(name)}">${label}</label>${errorLine(name)}
  <select${attrs(name)}>${options.map(([value, text]) => html`<option value="${value}"${v(name) === value ? html` selected` : ''}>${text}</option>`)}</select>
</div>`,
  };
}

/** The row numbers of `prefix.N.…` fields that hold something. */
export const usedRows = (values: FormValues, prefix: string): number[] =>
  Object.entries(values).filter(([k, v]) => k.startsWith(prefix) && v.trim() !== '').map(([k]) => Number(k.slice(prefix.length).split('.')[0]));

/** The rows to show: those filled and one more, `least` at least, `max` at most (without a script, a row appears only when the form comes back). */
export const rowsToShow = (values: FormValues, prefix: string, least: number, max: number): number[] =>
  Array.from({ length: Math.min(max, Math.max(least - 1, ...usedRows(values, prefix).map((i) => i + 1)) + 1) }, (_, i) => i);

/** Whether a language's section holds anything, or a problem: it is shown open. */
export const languageFilled = (values: FormValues, errors: Record<string, string>, lang: string): boolean =>
  Object.entries(values).some(([k, v]) => k.endsWith(`.${lang}`) && v.trim() !== '') || Object.keys(errors).some((k) => k.endsWith(`.${lang}`));

/**
 * A `validation_failed` error's problems, each on the form field its path names (`steps[0].required`
 * → `steps.0.required`; the whole object's on `slug`), its message without the path it begins with.
 */
export function fieldErrorsOf(details: ReadonlyArray<{ path: string; message: string }>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const d of details) {
    const field = (d.path === '(root)' ? 'slug' : d.path).replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
    errors[field] ??= d.message.replace(/^"[^"]*" /, '');
  }
  return errors;
}
