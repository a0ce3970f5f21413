/**
 * The vault as each host opens it: the desktop app's core with the keychain key main hands over
 * (and the key file for a vault the command line made), everything else — browser mode, `lcr`,
 * a server — with the key file alone.
 */
import { defaultKeyFile, fileKeyProvider, handedKeyProvider, type KeyHandover } from './keys.ts';
import { FileVault } from './file-vault.ts';

export interface OpenVaultOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** The desktop app's key, as main hands it over (the Electron utility process only). */
  handover?: Promise<KeyHandover>;
  onWarning?: (text: string) => void;
}

export function openVault(o: OpenVaultOptions): FileVault {
  const keyFile = fileKeyProvider({ path: defaultKeyFile(o.env ?? process.env), dataDir: o.dataDir });
  return new FileVault({ dataDir: o.dataDir, keys: o.handover ? [handedKeyProvider(o.handover), keyFile] : [keyFile], onWarning: o.onWarning });
}
