import type { CommandOutput } from './contract';
import type { Language } from './language';

/**
 * What the browser host writes into the console's page so its first screen
 * needs no round trip: the session and the Waiting tab's first page, read
 * while the browser is still loading the scripts. The renderer asks for
 * anything missing over the WebSocket as usual.
 */
export interface BootData {
  session: CommandOutput<'session.get'>;
  /** The first `limit` rows of Waiting; null when nobody is signed in or the read failed. */
  waiting: { limit: number; page: CommandOutput<'queue.list'> } | null;
}

/** The id of the `<script type="application/json">` element that carries it. */
export const BOOT_ELEMENT_ID = 'desk-boot';

/**
 * The element, with every `<` escaped so that no text inside (customer text
 * included) can close the script element or open a comment: the JSON reads
 * the same, the HTML parser sees no tag.
 */
export function bootElement(data: BootData): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<script type="application/json" id="${BOOT_ELEMENT_ID}">${json}</script>`;
}

/**
 * The console's first screen as HTML for the page's root element, rendered by
 * the host from the boot data in the operator's language, or null when
 * there is nothing to paint ahead of the scripts.
 */
export type FirstScreen = (boot: BootData, language: Language) => string | null;
