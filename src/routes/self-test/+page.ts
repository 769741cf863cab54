// The self-test starts Web Workers (with or without SharedArrayBuffer): it only makes sense in the browser.
export const ssr = false;
