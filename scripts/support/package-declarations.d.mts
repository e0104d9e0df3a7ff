export function withExplicitExtensions(text: string, exists: (relativePath: string) => boolean): string;
export const DECLARATION_ENTRIES: string[];
export function writePackageDeclarations(typesDir?: string, outDir?: string): number;
