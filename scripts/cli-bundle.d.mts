export declare const BUNDLED_COMMANDS: ReadonlySet<string>;
export declare function bundleEntry(root: string): string;
export declare function freshBundle(root: string, command: string | undefined): string | null;
export declare function buildCliBundle(root: string, out?: string): Promise<string>;
