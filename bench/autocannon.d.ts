// The part of autocannon's API the benchmarks use (the package ships no types).
declare module 'autocannon' {
  type Options = { url: string; connections?: number; duration?: number; headers?: Record<string, string> };
  type Histogram = { average: number; p50: number; p90: number; p99: number; max: number; total?: number };
  export type Result = { requests: Histogram; latency: Histogram; throughput: Histogram; errors: number; timeouts: number; non2xx: number };
  /**
   * A run with `skipAggregateResult`: its counts, and its histograms as autocannon keeps them (HDR,
   * compressed and base64-encoded), for `aggregateResult` to add up over several runs.
   */
  export type RawResult = {
    totalCompletedRequests: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    latencies: string;
    requests: string;
    throughput: string;
  };
  function autocannon(options: Options): Promise<Result>;
  function autocannon(options: Options & { skipAggregateResult: true }, done: (err: Error | null, result: RawResult) => void): unknown;
  namespace autocannon {
    /** The result of several runs made with `skipAggregateResult`: latency percentiles over all their responses. */
    function aggregateResult(results: RawResult[], options: Options): Result;
  }
  export default autocannon;
}
