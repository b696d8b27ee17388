export * from './access-request';
export * from './environment';
export * from './predicted-alert';
export * from './simulation-result';
export * from './policy-simulator';
export * from './simulator-assertions';
export * from '../impact';
