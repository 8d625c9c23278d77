/** Building elements without HTML strings: text is always set as text, so nothing from a prompt or file name can become markup. */

type Child = Node | string | false | null | undefined;

export interface ElementProps {
  readonly className?: string;
  readonly text?: string;
  /** Attributes; `false` and `undefined` leave one out, `true` sets it empty. */
  readonly attrs?: Readonly<Record<string, string | number | boolean | undefined>>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) {
    element.className = props.className;
  }
  if (props.text !== undefined) {
    element.textContent = props.text;
  }
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value !== undefined && value !== false) {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  element.append(...children.filter((child): child is Node | string => child !== undefined && child !== null && child !== false));
  return element;
}

/** A codicon, hidden from screen readers: the control around it carries the words. */
export function icon(name: string, extraClass = ''): HTMLSpanElement {
  return el('span', { className: `codicon codicon-${name} ${extraClass}`.trim(), attrs: { 'aria-hidden': 'true' } });
}

/** A button showing only an icon, named for screen readers and hover by `label`. */
export function iconButton(name: string, label: string, onClick: () => void): HTMLButtonElement {
  const button = el('button', { className: 'icon-button', attrs: { type: 'button', 'aria-label': label, title: label } }, icon(name));
  button.addEventListener('click', onClick);
  return button;
}

/** A button with an icon and a visible label; `secondary` for the quieter style. */
export function textButton(name: string, label: string, onClick: () => void, secondary = false): HTMLButtonElement {
  const button = el(
    'button',
    { className: secondary ? 'button secondary' : 'button', attrs: { type: 'button' } },
    icon(name),
    el('span', { text: label }),
  );
  button.addEventListener('click', onClick);
  return button;
}

export function setOptions(
  select: HTMLSelectElement,
  choices: readonly { readonly value: string; readonly label: string }[],
  selected: string,
): void {
  const current = Array.from(select.options)
    .map((option) => `${option.value}\n${option.text}`)
    .join('\n');
  const wanted = choices.map((choice) => `${choice.value}\n${choice.label}`).join('\n');
  if (current !== wanted) {
    select.replaceChildren(...choices.map((choice) => el('option', { text: choice.label, attrs: { value: choice.value } })));
  }
  select.value = selected;
}
