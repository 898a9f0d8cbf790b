// The config used when there is no --config, no SWITCHYARD_CONFIG and no ./switchyard.yaml
// (SPEC "Command line"): one in-process mock backend, so `npm start` answers at once.
// Server settings come from DEFAULTS (0.0.0.0:8080).
import type { RawConfig } from './schema.js'

export const DEMO_SOURCE = 'built-in demo config'

export const DEMO_CONFIG: RawConfig = {
  backends: [
    { name: 'mock', protocol: 'mock', match: { default: true } },
  ],
}
