import type { ComponentChildren } from "preact";

interface FieldProps {
  /** Unique id of the input. */
  id: string;
  label: string;
  /** A short explanation under the label. */
  hint?: string;
  /** The messages about this field (client checks, then the server's `fields`). */
  errors?: string[];
  children: (describedBy: string | undefined, invalid: boolean) => ComponentChildren;
}

/** A labelled input with its hint and, right under it, the messages that concern it. */
export function Field({ id, label, hint, errors = [], children }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div class={errors.length ? "field invalid" : "field"}>
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {children(describedBy, errors.length > 0)}
      {errors.length ? (
        <ul class="field-errors" id={errorId}>
          {errors.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

interface TextInputProps {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  hint?: string;
  errors?: string[];
  type?: "text" | "password" | "url" | "number" | "email";
  multiline?: boolean;
  rows?: number;
  autoComplete?: string;
  required?: boolean;
  placeholder?: string;
  inputMode?: "decimal" | "numeric";
  readOnly?: boolean;
  /** The field the page's focus starts on (see app.tsx). */
  autoFocus?: boolean;
}

/** A text input or textarea inside a Field. */
export function TextInput({ id, label, value, onInput, hint, errors, type = "text", multiline, rows = 3, autoComplete, required, placeholder, inputMode, readOnly, autoFocus }: TextInputProps) {
  return (
    <Field id={id} label={label} hint={hint} errors={errors}>
      {(describedBy, invalid) =>
        multiline ? (
          <textarea id={id} name={id} rows={rows} value={value} onInput={(e) => onInput(e.currentTarget.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} required={required} placeholder={placeholder} readOnly={readOnly} />
        ) : (
          <input id={id} name={id} type={type as "text"} value={value} onInput={(e) => onInput(e.currentTarget.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} autoComplete={autoComplete} required={required} placeholder={placeholder} inputMode={inputMode} readOnly={readOnly} data-autofocus={autoFocus || undefined} />
        )
      }
    </Field>
  );
}

interface SelectInputProps<T extends string> {
  id: string;
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
  hint?: string;
  errors?: string[];
}

/** A select inside a Field. */
export function SelectInput<T extends string>({ id, label, value, options, onChange, hint, errors }: SelectInputProps<T>) {
  return (
    <Field id={id} label={label} hint={hint} errors={errors}>
      {(describedBy, invalid) => (
        <select id={id} name={id} value={value} onChange={(e) => onChange(e.currentTarget.value as T)} aria-describedby={describedBy} aria-invalid={invalid || undefined}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A checkbox with its label beside it. */
export function CheckboxInput({ id, label, checked, onChange, hint }: { id: string; label: string; checked: boolean; onChange: (checked: boolean) => void; hint?: string }) {
  return (
    <div class="field checkbox">
      <input id={id} name={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} aria-describedby={hint ? `${id}-hint` : undefined} />
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A message about the whole form or page (role=alert so it is announced). */
export function Notice({ tone, children }: { tone: "error" | "success" | "info"; children: ComponentChildren }) {
  return (
    <div class={`notice ${tone}`} role={tone === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}
