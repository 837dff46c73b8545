// Small DOM helpers shared by the page's modules. Text always goes in through textContent, never as markup, so
// a username or a chat line can never become HTML.

export const byId = (id) => document.getElementById(id);

/**
 * Creates an element: `props` are set as properties (`className`, `type`, `disabled`...), except `dataset`
 * (an object of data-* attributes) and `on` (an object of event listeners). Children are nodes or strings.
 */
export function make(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  const { dataset = {}, on = {}, ...rest } = props;
  Object.assign(node, rest);
  for (const [key, value] of Object.entries(dataset)) {
    if (value !== undefined && value !== null) node.dataset[key] = String(value);
  }
  for (const [type, listener] of Object.entries(on)) node.addEventListener(type, listener);
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}
