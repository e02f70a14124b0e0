import { fileURLToPath } from 'node:url';

/** The installed package's root folder (checks/_harness/ is two levels down). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
