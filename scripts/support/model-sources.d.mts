export interface HealthModelSources {
  sources?: Record<string, { source: string; model: string; dimensions?: number } | undefined>;
  aiGateway?: boolean;
}
export function modelSourceLines(health: HealthModelSources): string[];
