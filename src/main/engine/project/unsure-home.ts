// Where Unsure keeps its own files (projects, the recent list): the platform's per-user
// data folder, overridable with UNSURE_HOME (tests, portable installs).
import os from 'node:os';
import path from 'node:path';

export function unsureHome(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (env.UNSURE_HOME) return path.resolve(env.UNSURE_HOME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Unsure');
  if (platform === 'win32') return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'Unsure');
  // XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.local', 'share'), 'unsure');
}
