/** How this desktop run was asked to start: `--operator EMAIL` (or DESK_OPERATOR), `--devtools`. */
export interface DesktopConfig {
  operatorEmail?: string;
  devTools: boolean;
}

export function desktopConfig(argv: readonly string[], env: Record<string, string | undefined>): DesktopConfig {
  let operatorEmail = env.DESK_OPERATOR?.trim() || undefined;
  let devTools = env.DESK_DEVTOOLS === '1';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--operator' && argv[i + 1] && !argv[i + 1].startsWith('--')) operatorEmail = argv[++i];
    else if (a.startsWith('--operator=')) operatorEmail = a.slice('--operator='.length) || operatorEmail;
    else if (a === '--devtools') devTools = true;
  }
  return { operatorEmail, devTools };
}
