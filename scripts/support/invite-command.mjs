// What `npm start` tells a new user to run to become the console's first admin.

/**
 * The command that invites the first console admin of the worker at `url`. The CLI finds ADMIN_TOKEN in
 * .dev.vars and the worker at http://127.0.0.1:8787 by itself; another address needs --url.
 *
 * @example
 * inviteCommand("http://127.0.0.1:8787") // "npx edgechat members invite you --role admin"
 */
export function inviteCommand(url) {
  return `npx edgechat members invite you --role admin${url === "http://127.0.0.1:8787" ? "" : ` --url ${url}`}`;
}
