// Metrics: counters in shared memory (block.ts), the sampler that turns them into the live
// panel's rates (sampler.ts, rates.ts, bottleneck.ts), the run report (report.ts), peeks at an
// edge's rows (peek.ts), worker and page memory (worker-probe.ts, page-memory.ts). See
// DESIGN.md, Metrics.
export * from './block';
export * from './sampler';
export * from './report';
export { PEEK_MAX_ROWS, PEEK_TIMEOUT_MS, type PeekResult } from './peek';
export { measurePageMemory } from './page-memory';
export { REPORTED } from './worker-probe';
