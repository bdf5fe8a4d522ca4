const SECRET_NAME = /key|secret|token|password|passphrase|credential/i;

/** True when a setting's name suggests that its value must never be echoed. */
export function isSecretSetting(name: string): boolean {
  return SECRET_NAME.test(name);
}
