export function inviteCommand(url: string): string;
