/** The lab's dark web: hidden services behind a SOCKS5 proxy (see hidden-services.ts). */
export {
  startHiddenServices,
  type HiddenServices,
  type HiddenServicesOptions,
  type RunningHiddenService,
  type SiteRequestRecord,
  type ExpectedPage,
} from './hidden-services.js';
export { HIDDEN_SERVICE_KINDS, type HiddenServiceKind, type HiddenServiceOrg } from './site-content.js';
export {
  startLabSocks5Proxy,
  isLoopbackV4,
  type LabSocks5Proxy,
  type LabSocks5ProxyOptions,
  type ProxyRequestRecord,
} from './socks5-proxy.js';
export { onionAddressFromLabel, onionAddressOf, ed25519PublicKey } from './onion-address.js';
