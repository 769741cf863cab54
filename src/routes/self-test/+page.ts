// The self-test starts Web Workers and needs SharedArrayBuffer: it only makes sense in the browser.
export const ssr = false;
