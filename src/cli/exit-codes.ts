/** Exit codes of `sluice`: ok, the run failed, bad usage or an invalid pipeline, Ctrl-C. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, INTERRUPTED: 130 } as const;
