// Sample details by key (model version + sample id): answers the main side already gave,
// plus the requests still in flight, so a prefetch and the panel asking for the same
// sample share one request. A model version's answers never change, so a hit is final.

export class DetailCache<T> {
  private readonly done = new Map<string, T>();
  private readonly pending = new Map<string, Promise<T>>();

  constructor(private readonly limit = 500) {}

  get(key: string): T | undefined {
    return this.done.get(key);
  }

  /** The cached answer, the request already in flight, or a new one from `load`. */
  fetch(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.done.get(key);
    if (hit !== undefined) return Promise.resolve(hit);
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const p = load().then(
      (value) => {
        this.pending.delete(key);
        // Oldest first out: Map keeps insertion order.
        if (this.done.size >= this.limit) this.done.delete(this.done.keys().next().value as string);
        this.done.set(key, value);
        return value;
      },
      (err: unknown) => {
        // A failure is not cached: asking again retries.
        this.pending.delete(key);
        throw err;
      },
    );
    this.pending.set(key, p);
    return p;
  }
}
