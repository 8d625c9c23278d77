// The dev dependency commonmark-spec ships no types.
declare module 'commonmark-spec' {
  export interface SpecExample {
    /** As in the spec, where `→` stands for a tab. */
    readonly markdown: string;
    readonly html: string;
    readonly section: string;
    readonly number: number;
  }
  export const tests: readonly SpecExample[];
}
