// Metrics: counters in shared memory (block.ts) and the sampler that turns them into the live
// panel's rates (sampler.ts, rates.ts, bottleneck.ts). See DESIGN.md, Metrics.
export * from './block';
export * from './sampler';
