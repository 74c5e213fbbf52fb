import { BOOT_ELEMENT_ID, type BootData } from '../../shared/boot';

/**
 * The boot data the browser host wrote into the page (the session, the first
 * page of Waiting), taken once: null in Electron, or when the host had
 * nothing ready in time. The element goes, so the data is not left in the DOM.
 */
export function takeBootData(): BootData | null {
  const el = document.getElementById(BOOT_ELEMENT_ID);
  if (!el) return null;
  el.remove();
  try {
    return JSON.parse(el.textContent ?? '') as BootData;
  } catch {
    return null;
  }
}
