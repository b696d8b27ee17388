import { alternatives, specSchema } from './util/crd';
import { Capability, NetworkProtocol } from './util/model';


describe('Capability and NetworkProtocol against the CRDs', () => {
  test.each(['KubeArmorPolicy', 'KubeArmorClusterPolicy', 'KubeArmorHostPolicy'])('Capability is exactly the capability set of %s', (kind) => {
    const pattern = specSchema(kind).properties.capabilities.properties.matchCapabilities.items.properties.capability.pattern;
    expect(Object.values(Capability).sort()).toEqual(alternatives(pattern).sort());
  });

  test.each(['KubeArmorPolicy', 'KubeArmorClusterPolicy', 'KubeArmorHostPolicy'])('NetworkProtocol is the lowercase protocol set of %s', (kind) => {
    const pattern = specSchema(kind).properties.network.properties.matchProtocols.items.properties.protocol.pattern;
    const lower = alternatives(pattern).filter((p) => p === p.toLowerCase());
    expect(Object.values(NetworkProtocol).sort()).toEqual(lower.sort());
  });
});
