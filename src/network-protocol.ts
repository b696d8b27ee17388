/**
 * Protocols KubeArmor accepts in `network.matchProtocols[].protocol` (the CRD's set).
 * The library emits the lowercase spelling; imported upper-case spellings are kept as written.
 */
export enum NetworkProtocol {
  /** TCP sockets. */ TCP = 'tcp',
  /** UDP sockets. */ UDP = 'udp',
  /** Raw sockets (e.g. ping, packet crafting). */ RAW = 'raw',
  /** ICMP. */ ICMP = 'icmp',
  /** ICMPv6. */ ICMPV6 = 'icmpv6',
  /** SCTP. */ SCTP = 'sctp',
  /** SOCK_STREAM sockets. */ STREAM = 'stream',
  /** SOCK_DGRAM sockets. */ DGRAM = 'dgram',
  /** SOCK_RDM sockets. */ RDM = 'rdm',
  /** SOCK_SEQPACKET sockets. */ SEQPACKET = 'seqpacket',
  /** DCCP. */ DCCP = 'dccp',
  /** AF_PACKET sockets. */ PACKET = 'packet',
  /** Every protocol. */ ALL = 'all',
}
